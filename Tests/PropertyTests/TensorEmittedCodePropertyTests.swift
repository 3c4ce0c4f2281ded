import TestSupport
import Codegen
import ExprParse
import Foundation
import Symbolic
import Testing

/// Random tensor programs (`RandomTensorPrograms`: broadcasting both ways, `@` with promotion
/// and batches, `.T`, reductions with axes, the softmax family, labels, indexing, named
/// dimensions, negative constants, decimals, negated exponents, convolution and pooling, matrix
/// functions) through both tensor emitters: the emitted NumPy run in one python3, the emitted
/// Swift compiled in one `swiftc -O -warnings-as-errors`, and every value and gradient compared
/// with the evaluator, element for element, to 1e-12 of the array's largest element (1e-12
/// absolute below 1; the emitters may sum in another order). Array outputs are called with an
/// upstream gradient (a VJP).
@Suite struct TensorEmittedCodePropertyTests {
    /// A case and its emitted code.
    struct Entry {
        let key: String
        let c: TensorPropertyTests.Case
        let code: String
    }

    static func entries(_ language: Language, seed: UInt64, count: Int) -> [Entry] {
        TensorPropertyTests.cases(seed: seed, count: count).enumerated().compactMap { index, c in
            let key = "p\(index)"
            do {
                let code = try emit(c.gradient, source: c.program.text, options: EmitOptions(language: language, functionName: key))
                return Entry(key: key, c: c, code: code.text)
            } catch {
                Issue.record("\(c.context)\nemit --lang \(language) refuses it: \(error)")
                return nil
            }
        }
    }

    /// What the evaluator says each result is: the value, then the gradient of every real input
    /// (zeros where no gradient flows).
    static func expected(_ e: Entry) -> [[Double]] {
        let g = e.c.gradient
        return [e.c.evaluation.value.scalars] + g.staged.inputNodes.indices.filter { !g.isLabel($0) }.map {
            e.c.evaluation.gradient[$0]?.scalars ?? [Double](repeating: 0, count: e.c.point[$0].count)
        }
    }

    /// Compares `got` (one flat array per result) with the evaluator; returns the failures.
    static func compare(_ e: Entry, _ language: String, _ got: [[Double]], comparisons: inout Int) -> [String] {
        let want = expected(e)
        guard got.count == want.count else {
            return ["\(e.c.context)\n\(language): \(got.count) results, expected \(want.count)\n\(e.code)"]
        }
        for (position, (a, b)) in zip(got, want).enumerated() {
            guard a.count == b.count else {
                return ["\(e.c.context)\n\(language): result \(position) has \(a.count) elements, expected \(b.count)\n\(e.code)"]
            }
            // At least 1: a result that cancels to a tiny number (sum(outer(u, u)) = (sum u)^2
            // near 0) is compared to 1e-12 absolute, as its terms are of order 1.
            let scale = Swift.max(b.map(Swift.abs).max() ?? 0, 1)
            for (x, y) in zip(a, b) {
                comparisons += 1
                if !(x == y || Swift.abs(x - y) <= 1e-12 * scale) {
                    return ["\(e.c.context)\n\(language): result \(position) is \(a), the evaluator says \(b)\n\(e.code)"]
                }
            }
        }
        return []
    }

    static let harness = """
        import json
        import numpy as np
        report = {}
        for key, fn, args in CASES:
            report[key] = [[repr(float(t)) for t in np.asarray(v, dtype=np.float64).ravel()] for v in fn(*args)]
        print(json.dumps(report))
        """

    @Test(arguments: [UInt64(1310), 1311]) func emittedNumPyMatchesTheEvaluator(seed: UInt64) throws {
        guard try ExternalTools.requirePythonWithNumPy() else { return }
        let entries = Self.entries(.numpy, seed: seed, count: 80)
        var script = "", table = "CASES = [\n"
        for e in entries {
            let (helpers, function) = SourceTokens.splitNumPyModule(e.code, functionName: e.key)
            let problems = SourceTokens.problems(in: function, language: .numpy, functionName: e.key, defined: Set(helpers.keys))
            #expect(problems.isEmpty, "\(e.c.context)\n\(problems)\n\(e.code)")
            script += e.code + "\n\n"
            let g = e.c.gradient
            var arguments = e.c.point.enumerated().map { TensorArguments.python($1, labels: g.isLabel($0)) }
            if let upstream = e.c.upstream { arguments.append(TensorArguments.python(upstream)) }
            table += "    (\"\(e.key)\", \(e.key), [\(arguments.joined(separator: ", "))]),\n"
        }
        script += table + "]\n\n" + Self.harness + "\n"
        let directory = try ExternalTools.scratchDirectory("numpy-tensor-property")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("cases.py")
        try script.write(to: url, atomically: true, encoding: .utf8)
        let run = try ExternalTools.run("python3", ["-W", "ignore", url.path])
        try #require(run.status == 0, "python3 failed:\n\(run.stderr.suffix(4000))")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: [[String]]])
        var comparisons = 0, failures: [String] = []
        for e in entries {
            guard let rows = report[e.key] else { failures.append("\(e.c.context)\nNumPy: no result"); continue }
            failures += Self.compare(e, "NumPy", rows.map { $0.map { Double($0) ?? .nan } }, comparisons: &comparisons)
        }
        print("NumPy tensor property batch (seed \(seed)): \(entries.count) programs, \(comparisons) comparisons")
        #expect(entries.count >= 60, "too few programs: \(entries.count)")
        #expect(failures.isEmpty, "\(failures.count) failures:\n\(failures.prefix(4).joined(separator: "\n\n"))")
    }

    @Test func emittedSwiftCompilesWithoutWarningsAndMatchesTheEvaluator() throws {
        guard try ExternalTools.requireSwiftc() else { return }
        let entries = Self.entries(.swift, seed: 1320, count: 60)
        var source = "import Foundation\n\n"
        for e in entries { source += e.code.replacingOccurrences(of: "import Foundation\n", with: "") + "\n" }
        source += """
            func flat(_ x: Any) -> [[Double]] {
                if let d = x as? Double { return [[d]] }
                if let a = x as? [Double] { return [a] }
                return Mirror(reflecting: x).children.flatMap { flat($0.value) }
            }
            func report(_ key: String, _ result: Any) {
                print(([key] + flat(result).map { $0.map { "\\($0)" }.joined(separator: ",") }).joined(separator: " | "))
            }


            """
        for e in entries {
            let g = e.c.gradient
            var arguments = TensorArguments.dimensionOrder(g).map { String(e.c.program.bindings[$0] ?? 0) }
            arguments += e.c.point.enumerated().map { TensorArguments.swift($1, label: g.isLabel($0)) }
            if let upstream = e.c.upstream { arguments.append(TensorArguments.swift(upstream, label: false)) }
            source += "report(\"\(e.key)\", \(e.key)(\(arguments.joined(separator: ", "))))\n"
        }
        let directory = try ExternalTools.scratchDirectory("swift-tensor-property")
        defer { try? FileManager.default.removeItem(at: directory) }
        let sourceURL = directory.appendingPathComponent("main.swift"), binary = directory.appendingPathComponent("batch").path
        try source.write(to: sourceURL, atomically: true, encoding: .utf8)
        let compile = try ExternalTools.run("swiftc", ["-O", "-warnings-as-errors", sourceURL.path, "-o", binary])
        try #require(compile.status == 0, "swiftc failed:\n\(compile.stderr.prefix(8000))")
        #expect(compile.stderr.isEmpty, "swiftc printed diagnostics:\n\(compile.stderr.prefix(8000))")
        let run = try ExternalTools.run(binary, [])
        try #require(run.status == 0, "the batch failed:\n\(run.stderr.suffix(4000))")
        var rows: [String: [[Double]]] = [:]
        for line in run.stdout.split(separator: "\n") {
            let fields = line.components(separatedBy: " | ")
            guard let key = fields.first else { continue }
            rows[key] = fields.dropFirst().map { $0.isEmpty ? [] : $0.split(separator: ",").map { Double($0) ?? .nan } }
        }
        var comparisons = 0, failures: [String] = []
        for e in entries {
            guard let got = rows[e.key] else { failures.append("\(e.c.context)\nSwift: no result"); continue }
            failures += Self.compare(e, "Swift", got, comparisons: &comparisons)
        }
        print("Swift tensor property batch: \(entries.count) programs, \(comparisons) comparisons")
        #expect(entries.count >= 45, "too few programs: \(entries.count)")
        #expect(failures.isEmpty, "\(failures.count) failures:\n\(failures.prefix(4).joined(separator: "\n\n"))")
    }
}
