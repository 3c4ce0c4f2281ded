import TestSupport
import Codegen
import Foundation
import Symbolic
import Testing

/// Emitted code that performs the evaluator's operations must give the evaluator's numbers to
/// the last bit: negative bases of integer powers, decimal coefficients (`0.3*x`, not
/// `3 * x / 10`, which rounds differently and overflows at 1e308), and powers of zero, whose
/// derivative in the exponent is the limit 0 (`xlogy`), not 0 * -inf. The staged code performs
/// exactly the evaluator's operations and must match bit for bit; closed forms are simplified
/// (`0.109*y/3` becomes `0.036333...*y`), so they match to a few ulps.
@Suite struct ExactAgreementTests {
    struct Case: Sendable, CustomStringConvertible {
        let source: String
        let points: [[Double]]
        var description: String { source }
    }

    static let cases: [Case] = [
        Case(source: "(-3)^2 + x", points: [[1], [-2.5]]),
        // The stable NumPy sigmoid is a quotient: a constant's sigmoid inlined under `^-1` or
        // after `/` was written without its group (x / e / (1 + e') and q / d**-1).
        Case(source: "x*sigmoid(0.5)^-1 + x/sigmoid(2) + sigmoid(-1)^2", points: [[1], [-2.5]]),
        Case(source: "x + (-1)^2*y", points: [[1, 2], [0.5, -3]]),
        Case(source: "(-2)^3*z", points: [[1], [0.25]]),
        Case(source: "-2^2*x + (-x)^2", points: [[1.5], [-3]]),
        Case(source: "0.3*x", points: [[1e308], [0.1], [-7.25]]),
        Case(source: "0.1*x + 0.2*y", points: [[0.1, 0.2], [3, 7]]),
        Case(source: "x*y*0.17 - 1.7*x + 0.109*y/3", points: [[0.1, 0.2], [1e300, 2], [-4, 0.3]]),
        Case(source: "0^x", points: [[1], [2.5]]),
        Case(source: "pow(x, y)", points: [[0, 2], [0, 0.5], [2, 3]]),
        Case(source: "x^y + 2^(-x*y) + e^(-x*y)", points: [[0, 3], [1.5, 0.5]]),
        // Signs folded by Gradient.backwardSteps: `dx = da * (2 * x) - db` for -db + da*(2*x),
        // `dw2 = dd * -0.231` for (-dd)*0.231, `-cos(x) - da`, a negation read twice.
        Case(source: "x^2*exp(-x) + sin(x*y)", points: [[0.7, 0.3], [-2.5, 1e-3]]),
        Case(source: "tanh(0.109*w1 - 0.231*w2 + b)", points: [[0.3, -0.7, 0.1], [1e3, 2, -1]]),
        Case(source: "exp(-x) - sin(x)", points: [[0.3], [-4.25]]),
        Case(source: "sin(a - b*c) + cos(a - b*c)*exp(b)", points: [[0.1, 0.2, 0.3], [3, -1.5, 0.25]]),
    ]

    /// The evaluator's value and partials at every point, as Python `repr`s of the Doubles.
    static func expected(_ gradient: Gradient, _ points: [[Double]]) -> [[String]] {
        points.map { point in
            let result = gradient.evaluate(at: point)
            return ([result.value] + result.gradient).map(Self.pythonRepr)
        }
    }

    /// Python's `repr` of a float: the shortest round-tripping digits, as Swift's description.
    static func pythonRepr(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        if d == 0 { return d.sign == .minus ? "-0.0" : "0.0" }
        if d == d.rounded() && Swift.abs(d) < 1e16 { return "\(Int64(d)).0" }
        return "\(d)"
    }

    /// Exact text, or numbers within 4e-16 relative (a couple of ulps).
    static func compare(_ output: String, _ expected: [String], exact: Bool, sourceLocation: SourceLocation = #_sourceLocation) {
        let lines = output.split(separator: "\n").map(String.init)
        if exact {
            #expect(lines == expected, sourceLocation: sourceLocation)
            return
        }
        #expect(lines.count == expected.count, sourceLocation: sourceLocation)
        for (got, want) in zip(lines, expected) {
            let a = got.split(separator: " ").map { Double(String($0)) ?? .nan }
            let b = want.split(separator: " ").map { Double(String($0)) ?? .nan }
            let close = a.count == b.count && zip(a, b).allSatisfy { x, y in
                x == y || (x.isNaN && y.isNaN) || Swift.abs(x - y) <= 4e-16 * Swift.max(Swift.abs(x), Swift.abs(y))
            }
            #expect(close, "\(got) against \(want)", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: [false, true]) func numpyAgreesBitForBit(closedForm: Bool) throws {
        guard try ExternalTools.requirePythonWithNumPy() else { return }
        var script = "import numpy as np\n\n"
        var checks = ""
        var expected: [String] = []
        for (index, c) in Self.cases.enumerated() {
            let gradient = try Gradient(source: c.source)
            let name = "f\(index)"
            script += try emit(gradient, source: c.source, options: EmitOptions(language: .numpy, functionName: name, closedForm: closedForm)).text + "\n\n"
            for (point, row) in zip(c.points, Self.expected(gradient, c.points)) {
                let arguments = point.map { "\($0)" }.joined(separator: ", ")
                checks += "print(\(index), ' '.join(repr(float(v)) for v in \(name)(\(arguments))))\n"
                expected.append("\(index) " + row.joined(separator: " "))
            }
        }
        let directory = try ExternalTools.scratchDirectory("exact")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("exact.py")
        try (script + "np.seterr(all='ignore')\n" + checks).write(to: url, atomically: true, encoding: .utf8)
        let run = try ExternalTools.run("python3", [url.path])
        try #require(run.status == 0, "python3 failed:\n\(run.stderr)")
        Self.compare(run.stdout, expected, exact: !closedForm)
    }

    @Test(arguments: [false, true]) func swiftAgreesBitForBit(closedForm: Bool) throws {
        guard try ExternalTools.requireSwiftc() else { return }
        var source = "import Foundation\n\n"
        var checks = ""
        var expected: [String] = []
        for (index, c) in Self.cases.enumerated() {
            let gradient = try Gradient(source: c.source)
            let name = "f\(index)"
            let text = try emit(gradient, source: c.source, options: EmitOptions(language: .swift, functionName: name, closedForm: closedForm)).text
            source += text.replacingOccurrences(of: "import Foundation\n", with: "") + "\n"
            for (point, row) in zip(c.points, Self.expected(gradient, c.points)) {
                let arguments = point.map { "\($0)" }.joined(separator: ", ")
                let count = gradient.staged.inputs.count
                let fields = (0...count).map { "r.\($0)" }.joined(separator: ", ")
                checks += "do { let r = \(name)(\(arguments)); show(\(index), [\(fields)]) }\n"
                expected.append("\(index) " + row.joined(separator: " "))
            }
        }
        source += """
            func show(_ index: Int, _ values: [Double]) {
                print(index, values.map { v -> String in
                    if v.isNaN { return "nan" }
                    if v.isInfinite { return v < 0 ? "-inf" : "inf" }
                    if v == 0 { return v.sign == .minus ? "-0.0" : "0.0" }
                    if v == v.rounded() && Swift.abs(v) < 1e16 { return "\\(Int64(v)).0" }
                    return "\\(v)"
                }.joined(separator: " "))
            }

            """ + checks
        let directory = try ExternalTools.scratchDirectory("exact-swift")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("main.swift")
        try source.write(to: url, atomically: true, encoding: .utf8)
        let binary = directory.appendingPathComponent("exact").path
        let compile = try ExternalTools.run("swiftc", ["-Onone", "-warnings-as-errors", url.path, "-o", binary])
        try #require(compile.status == 0, "swiftc failed:\n\(compile.stderr.prefix(4000))")
        let run = try ExternalTools.run(binary, [])
        Self.compare(run.stdout, expected, exact: !closedForm)
    }
}
