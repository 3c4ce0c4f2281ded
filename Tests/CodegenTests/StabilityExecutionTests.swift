import TestSupport
import Codegen
import Foundation
import Symbolic
import Testing

/// Issue 15's proof by execution: the code emitted for the scalar spellings of the stability
/// rewrites runs at the stress points (logits of +-800 and +-1000) with finite values and
/// gradients equal to the evaluator's (1e-12 relative), in NumPy with its floating-point
/// warnings turned into errors and in Swift compiled with `-warnings-as-errors`; the
/// docstring names the rules. (Tensor programs cannot be emitted yet.)
@Suite struct StabilityExecutionTests {
    struct Case {
        let source: String
        /// The rules the docstring must name.
        let rules: [String]
        /// Points in parameter order: stress points and one ordinary point.
        let points: [[Double]]
    }

    static let cases: [Case] = [
        Case(source: "ln(1 + e^x)", rules: ["softplus"], points: [[-1000], [-800], [-50], [0], [50], [800], [1000], [0.75]]),
        Case(source: "ln(e^x + 1)", rules: ["softplus"], points: [[-1000], [1000], [-0.5]]),
        Case(source: "ln(sigmoid(x))", rules: ["log-sigmoid"], points: [[-800], [800], [0.5]]),
        Case(source: "ln(1 - sigmoid(x))", rules: ["log-one-minus-sigmoid"], points: [[-800], [800], [0.5]]),
        Case(source: "-(y*ln(sigmoid(z)) + (1 - y)*ln(1 - sigmoid(z)))", rules: ["log-sigmoid", "log-one-minus-sigmoid"],
             points: [[0, 800], [1, 800], [0, -800], [1, -800], [0.3, 1.5]]),
        Case(source: "ln(e^a + e^b + e^c)", rules: ["log-sum-exp"],
             points: [[1000, 1001, 1002], [-1000, -1001, -1002], [1000, 1000, -1000], [0.1, 0.2, 0.3]]),
    ]

    struct Entry {
        let key: String
        let testCase: Case
        let gradient: Gradient
        let code: EmittedCode
    }

    static func entries(_ language: Language) throws -> [Entry] {
        try cases.enumerated().flatMap { index, c in
            let gradient = try Gradient(source: c.source)
            return try [false, true].map { closedForm in
                let key = "s\(index)_\(closedForm ? "closed" : "staged")"
                let options = EmitOptions(language: language, functionName: key, closedForm: closedForm)
                return Entry(key: key, testCase: c, gradient: gradient, code: try emit(gradient, source: c.source, options: options))
            }
        }
    }

    /// What generated code returned at one point: its numbers, or the error it raised.
    enum Row {
        case numbers([Double])
        case error(String)
    }

    /// Compares one row of generated-code results with the evaluator: finite, and equal to
    /// 1e-12 relative (`|a - b| <= 1e-12 max(1, |b|)`). A row that is not numbers is the
    /// error the code raised.
    static func check(_ entry: Entry, _ language: String, point: [Double], row: Row) {
        let expected = entry.gradient.evaluate(at: point)
        let label = "\(language) \(entry.key) (\(entry.testCase.source)) at \(point)"
        let want = [expected.value] + expected.gradient
        let finite = want.allSatisfy { $0.isFinite }
        #expect(finite, "\(label): the evaluator is not finite: \(want)")
        switch row {
        case .error(let error):
            Issue.record("\(label): \(error)")
        case .numbers(let got):
            #expect(got.count == want.count, "\(label): \(got)")
            for (a, b) in zip(got, want) {
                #expect(a.isFinite && Swift.abs(a - b) <= 1e-12 * Swift.max(1, Swift.abs(b)), "\(label): got \(got), evaluator \(want)")
            }
        }
    }

    @Test func docstringsNameTheRules() throws {
        for language in [Language.numpy, .swift] {
            for entry in try Self.entries(language) {
                let named = entry.testCase.rules.map { "\($0): " }
                #expect(entry.code.text.contains("(stable forms: "), "\(entry.key): \(entry.code.text)")
                for rule in named { #expect(entry.code.text.contains(rule), "\(entry.key) should name \(rule)") }
            }
        }
    }

    /// NumPy with `np.seterr(all='raise', under='ignore')` and `warnings.simplefilter('error')`:
    /// overflow, division by zero and invalid operations raise, as do NumPy's warnings. Underflow
    /// is left at NumPy's default ('ignore', no warning): every stable softplus computes
    /// exp(-|x|), which rounds to 0 for |x| > 745 exactly as it should, and np.logaddexp itself
    /// raises under='raise' at x = 800.
    @Test func numpyRunsTheStressPointsWithWarningsAsErrors() throws {
        guard try ExternalTools.requirePythonWithNumPy() else { return }
        let entries = try Self.entries(.numpy)
        var script = """
            import json, warnings
            import numpy as np
            np.seterr(all='raise', under='ignore')
            warnings.simplefilter('error')


            """
        var table = "CASES = [\n"
        for entry in entries {
            script += entry.code.text + "\n\n"
            let points = entry.testCase.points.map { "[" + $0.map { "\($0)" }.joined(separator: ", ") + "]" }
            table += "    (\"\(entry.key)\", \(entry.key), [\(points.joined(separator: ", "))]),\n"
        }
        script += table + "]\n\n" + """
            report = {}
            for key, fn, points in CASES:
                rows = []
                for p in points:
                    try:
                        rows.append([repr(float(v)) for v in fn(*[float(x) for x in p])])
                    except Exception as error:
                        rows.append("%s: %s" % (type(error).__name__, error))
                report[key] = rows
            print(json.dumps(report))

            """
        let directory = try ExternalTools.scratchDirectory("stability-numpy")
        defer { try? FileManager.default.removeItem(at: directory) }
        let scriptURL = directory.appendingPathComponent("stability.py")
        try script.write(to: scriptURL, atomically: true, encoding: .utf8)
        let run = try ExternalTools.run("python3", [scriptURL.path])
        try #require(run.status == 0, "python3 failed:\n\(run.stderr)")
        #expect(run.stderr.isEmpty, "\(run.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: [Any]])
        for entry in entries {
            let rows = try #require(report[entry.key], "\(entry.key): no result")
            for (point, row) in zip(entry.testCase.points, rows) {
                let result: Row
                if let numbers = row as? [String] {
                    result = .numbers(numbers.map { Double($0) ?? .nan })
                } else {
                    result = .error("\(row)")
                }
                // NumPy's sigmoid is spelled e^min(x, 0)/(1 + e^-|x|): no overflow at any point.
                Self.check(entry, "numpy", point: point, row: result)
            }
        }
    }

    @Test func swiftCompilesWithoutWarningsAndRunsTheStressPoints() throws {
        guard try ExternalTools.requireSwiftc() else { return }
        let entries = try Self.entries(.swift)
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
        let directory = try ExternalTools.scratchDirectory("stability-swift")
        defer { try? FileManager.default.removeItem(at: directory) }
        let sourceURL = directory.appendingPathComponent("main.swift")
        try source.write(to: sourceURL, atomically: true, encoding: .utf8)
        let binary = directory.appendingPathComponent("stability").path
        let compile = try ExternalTools.run("swiftc", ["-O", "-warnings-as-errors", sourceURL.path, "-o", binary])
        try #require(compile.status == 0, "swiftc failed:\n\(compile.stderr.prefix(6000))")
        #expect(compile.stderr.isEmpty, "swiftc printed diagnostics:\n\(compile.stderr.prefix(6000))")
        let run = try ExternalTools.run(binary, [])
        try #require(run.status == 0, "the program failed:\n\(run.stderr)")

        var rows: [String: [Int: [Double]]] = [:]
        for line in run.stdout.split(separator: "\n") {
            let fields = line.split(separator: " ").map(String.init)
            guard fields.count >= 2, let index = Int(fields[1]) else { continue }
            rows[fields[0], default: [:]][index] = fields.dropFirst(2).map { Double($0) ?? .nan }
        }
        for entry in entries {
            for (index, point) in entry.testCase.points.enumerated() {
                let row = rows[entry.key]?[index]
                Self.check(entry, "swift", point: point, row: row.map { .numbers($0) } ?? .error("no output"))
            }
        }
    }
}
