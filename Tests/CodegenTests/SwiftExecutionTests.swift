import TestSupport
import Codegen
import Foundation
import Symbolic
import Testing

/// Proof by execution: every corpus case, compiled by one `swiftc -O -warnings-as-errors`
/// invocation per style and run once.
@Suite struct SwiftExecutionTests {
    @Test(arguments: [false, true]) func everyCaseCompilesWithoutWarningsAndRuns(closedForm: Bool) throws {
        guard try ExternalTools.requireSwiftc() else { return }
        let entries = try Batch.entries(.swift, styles: [closedForm])
        let directory = try ExternalTools.scratchDirectory(closedForm ? "swift-closed" : "swift-staged")
        defer { if ProcessInfo.processInfo.environment["KEEP_GENERATED"] == nil { try? FileManager.default.removeItem(at: directory) } }

        // One file: the functions without their (repeated) imports, then a main that prints
        // `key index value partials...` per point.
        var source = "import Foundation\n\n"
        for entry in entries {
            source += entry.code.text.replacingOccurrences(of: "import Foundation\n", with: "") + "\n"
        }
        source += """
            func report(_ key: String, _ index: Int, _ result: Any) {
                let values = (result as? Double).map { [$0] } ?? Mirror(reflecting: result).children.compactMap { $0.value as? Double }
                print(([key, String(index)] + values.map { "\\($0)" }).joined(separator: " "))
            }


            """
        for entry in entries {
            for (index, point) in entry.testCase.points.enumerated() {
                source += "report(\"\(entry.key)\", \(index), \(entry.key)(\(point.map { "\($0)" }.joined(separator: ", "))))\n"
            }
        }
        let sourceURL = directory.appendingPathComponent("main.swift")
        try source.write(to: sourceURL, atomically: true, encoding: .utf8)
        let binary = directory.appendingPathComponent("batch").path

        let started = Date()
        let compile = try ExternalTools.run("swiftc", ["-O", "-warnings-as-errors", sourceURL.path, "-o", binary])
        let compiled = Date()
        try #require(compile.status == 0, "swiftc failed:\n\(compile.stderr.prefix(6000))")
        #expect(compile.stderr.isEmpty, "swiftc printed diagnostics:\n\(compile.stderr.prefix(6000))")
        let run = try ExternalTools.run(binary, [])
        print("Swift batch (\(closedForm ? "closed form" : "staged")): \(entries.count) functions, compiled in "
              + "\(String(format: "%.1f", compiled.timeIntervalSince(started))) s, ran in "
              + "\(String(format: "%.2f", Date().timeIntervalSince(compiled))) s")
        try #require(run.status == 0, "the batch failed:\n\(run.stderr)")

        var rows: [String: [[Double]]] = [:]
        for line in run.stdout.split(separator: "\n") {
            let fields = line.split(separator: " ").map(String.init)
            guard fields.count >= 2 else { continue }
            rows[fields[0], default: []].append(fields.dropFirst(2).map { Double($0) ?? .nan })
        }
        var oracle = Oracle()
        for entry in entries {
            let got = rows[entry.key] ?? []
            guard got.count == entry.testCase.points.count else { oracle.fail("\(entry.key): \(got.count) rows"); continue }
            for (point, row) in zip(entry.testCase.points, got) { oracle.check(entry, "swift", point: point, got: row) }
        }
        print("Swift batch: \(oracle.comparisons) comparisons")
        #expect(oracle.summary == nil, "\(oracle.summary ?? "")")
    }
}
