import TestSupport
import Codegen
import ExprParse
import Foundation
import Symbolic
import Testing

/// Emitted NumPy and Swift against the evaluator, batched: one python3 process runs every
/// NumPy function, one swiftc invocation compiles every Swift function. The batches include
/// programs whose every name is a hostile identifier and every hostile function name the
/// emitter accepts; each emitted file must also pass the strict token check.
@Suite struct EmittedCodePropertyTests {
    static let driver = """
        import json, sys
        import numpy as np
        cases = json.load(open(sys.argv[1]))
        results = {}
        for key, name, source, points in cases:
            namespace = {}
            exec(compile(source, key, "exec"), namespace)
            fn = namespace[name]
            results[key] = [[repr(float(v)) for v in fn(*p)] for p in points]
        print(json.dumps(results))
        """

    @Test func numpyMatchesTheEvaluator() throws {
        guard try ExternalTools.require("python3", ["-c", "import numpy"], install: "install python3 and numpy") else { return }
        let cases = try CodeBatch.cases(.numpy, seed: 300, programs: 300, hostilePrograms: 80)
        checkTokens(cases, .numpy)
        let directory = try ExternalTools.scratchDirectory("numpy")
        defer { try? FileManager.default.removeItem(at: directory) }
        let table: [[Any]] = cases.map { [$0.key, $0.functionName, $0.code.text, $0.points] }
        let casesURL = directory.appendingPathComponent("cases.json"), driverURL = directory.appendingPathComponent("driver.py")
        try JSONSerialization.data(withJSONObject: table).write(to: casesURL)
        try Self.driver.write(to: driverURL, atomically: true, encoding: .utf8)
        let run = try ExternalTools.run("python3", ["-W", "ignore", driverURL.path, casesURL.path])
        try #require(run.status == 0, "python3 failed:\n\(run.stderr.suffix(4000))")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: [[String]]])
        var oracle = Oracle()
        for c in cases {
            guard let rows = report[c.key], rows.count == c.points.count else { oracle.fail("\(c.key): no results"); continue }
            for (point, row) in zip(c.points, rows) { oracle.check(c, point: point, got: row.map { Double($0) ?? .nan }) }
        }
        print("NumPy property batch: \(cases.count) functions, \(oracle.comparisons) comparisons")
        #expect(oracle.comparisons > 2000)
        #expect(oracle.summary == nil, "\(oracle.summary ?? "")")
    }

    @Test func swiftMatchesTheEvaluator() throws {
        guard try ExternalTools.require("swiftc", ["--version"], install: "put a Swift 6 toolchain's usr/bin on the PATH") else { return }
        let cases = try CodeBatch.cases(.swift, seed: 400, programs: 120, hostilePrograms: 40)
        checkTokens(cases, .swift)
        let directory = try ExternalTools.scratchDirectory("swift")
        defer { try? FileManager.default.removeItem(at: directory) }
        // Each function lives in a wrapper of its own, so hostile function names never clash
        // with one another or with the driver.
        var source = "import Foundation\n\nfunc report(_ key: String, _ index: Int, _ values: [Double]) {\n"
            + "    print(([key, String(index)] + values.map { \"\\($0)\" }).joined(separator: \" \"))\n}\n\n"
        for c in cases {
            source += "func run_\(c.key)() {\n"
            source += c.code.text.replacingOccurrences(of: "import Foundation\n", with: "")
            for (index, point) in c.points.enumerated() {
                source += "    do {\n        let r = \(c.functionName)(\(point.map { "\($0)" }.joined(separator: ", ")))\n"
                // A program without inputs returns its value alone, not a tuple.
                let inputs = c.gradient.staged.inputs.count
                let results = inputs == 0 ? "r" : (0...inputs).map { "r.\($0)" }.joined(separator: ", ")
                source += "        report(\"\(c.key)\", \(index), [\(results)])\n    }\n"
            }
            source += "}\nrun_\(c.key)()\n\n"
        }
        let sourceURL = directory.appendingPathComponent("main.swift")
        try source.write(to: sourceURL, atomically: true, encoding: .utf8)
        let binary = directory.appendingPathComponent("batch").path
        let started = Date()
        let compile = try ExternalTools.run("swiftc", ["-Onone", "-warnings-as-errors", sourceURL.path, "-o", binary])
        try #require(compile.status == 0, "swiftc failed:\n\(compile.stderr.prefix(6000))")
        let compiled = Date()
        let run = try ExternalTools.run(binary, [])
        try #require(run.status == 0, "the batch failed:\n\(run.stderr.suffix(4000))")
        var rows: [String: [[Double]]] = [:]
        for line in run.stdout.split(separator: "\n") {
            let fields = line.split(separator: " ").map(String.init)
            guard fields.count >= 2 else { continue }
            rows[fields[0], default: []].append(fields.dropFirst(2).map { Double($0) ?? .nan })
        }
        var oracle = Oracle()
        for c in cases {
            guard let got = rows[c.key], got.count == c.points.count else { oracle.fail("\(c.key): no results"); continue }
            for (point, row) in zip(c.points, got) { oracle.check(c, point: point, got: row) }
        }
        print("Swift property batch: \(cases.count) functions compiled in "
              + "\(String(format: "%.1f", compiled.timeIntervalSince(started))) s, \(oracle.comparisons) comparisons")
        #expect(oracle.comparisons > 800)
        #expect(oracle.summary == nil, "\(oracle.summary ?? "")")
    }

    private func checkTokens(_ cases: [BatchCase], _ language: Language) {
        for c in cases {
            let problems = SourceTokens.problems(in: c.code.text, language: language, functionName: c.functionName)
            #expect(problems.isEmpty, "\(c.key) [\(c.source)]: \(problems)\n\(c.code.text)")
        }
    }

    /// Hostile function names: accepted ones are identifiers that are not keywords of the
    /// language; everything else is refused with `invalidFunctionName`.
    @Test(arguments: Language.allCases) func hostileFunctionNamesAreAcceptedOrRefusedClearly(language: Language) throws {
        let gradient = try Gradient(source: "x*y + sin(x)")
        let keywords = Set(language == .numpy ? HostileNames.pythonKeywords : HostileNames.swiftKeywords.prefix(while: { $0 != "_" }))
        for name in HostileNames.functionNames {
            do {
                let code = try emit(gradient, source: "x*y + sin(x)", options: EmitOptions(language: language, functionName: name))
                #expect(!keywords.contains(name), "\(language): keyword '\(name)' accepted as a function name")
                #expect(name.range(of: "^[A-Za-z_][A-Za-z0-9_]*$", options: .regularExpression) != nil, "\(language): '\(name)' accepted")
                #expect(SourceTokens.problems(in: code.text, language: language, functionName: name).isEmpty, "\(name): \(code.text)")
            } catch let error as CodegenError {
                #expect(error == .invalidFunctionName(name, language))
                #expect(error.description.contains("cannot name a generated"))
            }
        }
    }
}
