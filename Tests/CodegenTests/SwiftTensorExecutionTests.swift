import TestSupport
import Codegen
import Foundation
import Symbolic
import Testing

/// Proof by execution for tensor programs: every corpus function emitted as Swift, compiled in
/// one `swiftc -O -warnings-as-errors` run, run at two seeded points, and compared element by
/// element with `Gradient.evaluate(tensors:)` (1e-12 relative).
@Suite struct SwiftTensorExecutionTests {
    struct Entry {
        let key: String
        let testCase: TensorCase
        let gradient: Gradient
        let code: EmittedCode
        let points: [(inputs: [Tensor], upstream: Tensor?)]
    }

    static func entries() throws -> [Entry] {
        try TensorCorpus.all.enumerated().map { index, testCase in
            let gradient = try testCase.gradient()
            let key = "t\(index)"
            let code = try emit(gradient, source: testCase.source, options: EmitOptions(language: .swift, functionName: key))
            let points = try (1...2).map { try testCase.point(gradient, seed: UInt64($0 * 1000 + index)) }
            return Entry(key: key, testCase: testCase, gradient: gradient, code: code, points: points)
        }
    }

    /// A Swift literal for `tensor`: a number, or a flat array.
    static func literal(_ tensor: Tensor, label: Bool) -> String {
        let numbers = tensor.scalars.map { label ? String(Int($0)) : "\($0)" }
        return tensor.rank == 0 ? (numbers.first ?? "0") : "[" + numbers.joined(separator: ", ") + "]"
    }

    @Test func everyTensorProgramCompilesWithoutWarningsAndMatchesTheEvaluator() throws {
        guard try ExternalTools.requireSwiftc() else { return }
        let entries = try SwiftTensorExecutionTests.entries()
        let directory = try ExternalTools.scratchDirectory("swift-tensor")
        defer { if ProcessInfo.processInfo.environment["KEEP_GENERATED"] == nil { try? FileManager.default.removeItem(at: directory) } }

        var source = "import Foundation\n\n"
        for entry in entries {
            source += entry.code.text.replacingOccurrences(of: "import Foundation\n", with: "") + "\n"
        }
        // `key point | value | partial | ...`, every array flat.
        source += """
            func flat(_ x: Any) -> [[Double]] {
                if let d = x as? Double { return [[d]] }
                if let a = x as? [Double] { return [a] }
                return Mirror(reflecting: x).children.flatMap { flat($0.value) }
            }
            func report(_ key: String, _ point: Int, _ result: Any) {
                print(([key, String(point)] + flat(result).map { $0.map { "\\($0)" }.joined(separator: ",") }).joined(separator: " | "))
            }


            """
        for entry in entries {
            let dims = TensorCase.dimensionOrder(entry.gradient)
            let bindings = entry.testCase.bindings(entry.gradient)
            for (index, point) in entry.points.enumerated() {
                var arguments = dims.map { String(bindings[$0] ?? 3) }
                for (input, value) in point.inputs.enumerated() {
                    arguments.append(SwiftTensorExecutionTests.literal(value, label: entry.gradient.isLabel(input)))
                }
                if let upstream = point.upstream { arguments.append(SwiftTensorExecutionTests.literal(upstream, label: false)) }
                source += "report(\"\(entry.key)\", \(index), \(entry.key)(\(arguments.joined(separator: ", "))))\n"
            }
        }
        let sourceURL = directory.appendingPathComponent("main.swift")
        try source.write(to: sourceURL, atomically: true, encoding: .utf8)
        let binary = directory.appendingPathComponent("batch").path
        let started = Date()
        let compile = try ExternalTools.run("swiftc", ["-O", "-warnings-as-errors", sourceURL.path, "-o", binary])
        let compiled = Date()
        try #require(compile.status == 0, "swiftc failed:\n\(compile.stderr.prefix(8000))")
        #expect(compile.stderr.isEmpty, "swiftc printed diagnostics:\n\(compile.stderr.prefix(8000))")
        let run = try ExternalTools.run(binary, [])
        print("Swift tensor batch: \(entries.count) functions, compiled in "
              + "\(String(format: "%.1f", compiled.timeIntervalSince(started))) s")
        try #require(run.status == 0, "the batch failed:\n\(run.stderr)")

        var rows: [String: [String]] = [:]
        for line in run.stdout.split(separator: "\n") {
            let fields = line.components(separatedBy: " | ")
            guard fields.count >= 2 else { continue }
            rows[fields[0] + " " + fields[1]] = Array(fields.dropFirst(2))
        }
        var failures: [String] = []
        var comparisons = 0
        for entry in entries {
            for (index, point) in entry.points.enumerated() {
                let where_ = "\(entry.key) [\(entry.testCase.source)] point \(index)"
                guard let got = rows["\(entry.key) \(index)"] else {
                    failures.append("\(where_): no output")
                    continue
                }
                let expected = try entry.gradient.evaluate(tensors: point.inputs, dims: entry.testCase.bindings(entry.gradient),
                                                           upstream: point.upstream)
                let want = [expected.value.scalars] + entry.gradient.staged.inputNodes.indices
                    .filter { !entry.gradient.isLabel($0) }
                    .map { index in
                        // No gradient flows (the output is a constant array): zeros of the input's shape.
                        expected.gradient[index]?.scalars ?? [Double](repeating: 0, count: point.inputs[index].scalars.count)
                    }
                guard got.count == want.count else {
                    failures.append("\(where_): \(got.count) results, expected \(want.count)")
                    continue
                }
                for (position, (text, values)) in zip(got, want).enumerated() {
                    let numbers = text.isEmpty ? [] : text.split(separator: ",").map { Double($0) ?? .nan }
                    guard numbers.count == values.count else {
                        failures.append("\(where_): result \(position) has \(numbers.count) elements, expected \(values.count)")
                        continue
                    }
                    for (a, b) in zip(numbers, values) {
                        comparisons += 1
                        if !Oracle.close(a, b, 1e-12) {
                            failures.append("\(where_): result \(position) is \(numbers), the evaluator says \(values)")
                            break
                        }
                    }
                }
            }
        }
        print("Swift tensor batch: \(comparisons) comparisons")
        #expect(failures.count == 0, "\(failures.count) failures:\n\(failures.prefix(12).joined(separator: "\n"))")
    }
}
