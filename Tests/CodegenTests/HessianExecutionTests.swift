import TestSupport
import Codegen
import Foundation
import Symbolic
import Testing

/// `emit --hessian` proven by execution: value, gradient and Hessian from the generated NumPy
/// (one python3 process) and Swift (one `swiftc -O -warnings-as-errors` build) against the
/// evaluator's reverse-over-reverse Hessian, at two points per program.
@Suite struct HessianExecutionTests {
    static let programs: [(source: String, points: [[Double]])] = [
        ("x^2*y", [[3, 2], [-1.5, 0.25]]),
        ("x^2*y + sigmoid(x*y)", [[0.3, -0.7], [1.2, 0.4]]),
        ("ln(x)*sigmoid(sqrt(y))/sigmoid((x+y)^2)", [[2, 1.5707963267948966], [0.7, 0.3]]),
        ("exp(x)/(1 + y^2) + tanh(x*z)", [[0.1, -0.2, 0.9], [-1, 2, 0.5]]),
        ("x = ln(t); y = t^3/3; z = 2x + y", [[2], [0.5]]),
        ("softplus(a*b) - a^3 + cos(b)", [[0.4, -1.1], [2.2, 0.6]]),
        ("3*x + 2", [[1], [-4]]),
        ("sin(lambda)*def", [[0.5, 2], [1, -1]]),
    ]

    /// Each program's generated code and the evaluator's numbers at its points.
    private func cases(_ language: Language) throws -> [(name: String, code: String, points: [[Double]], expected: [[Double]])] {
        try Self.programs.enumerated().map { index, program in
            let g = try Gradient(source: program.source)
            let h = try Hessian(g, wrt: Array(g.staged.inputs.indices))
            let name = "h\(index)"
            let code = try emitHessian(h, source: program.source, options: EmitOptions(language: language, functionName: name))
            let expected = program.points.map { point in
                let values = h.evaluate(scalars: point)
                return [values.value] + values.gradient.map { $0.scalars[0] } + values.matrix.flatMap { $0 }
            }
            return (name, code.text, program.points, expected)
        }
    }

    private func compare(_ output: String, _ cases: [(name: String, code: String, points: [[Double]], expected: [[Double]])]) {
        var rows: [String: [[Double]]] = [:]
        for line in output.split(separator: "\n") {
            let fields = line.split(separator: " ").map(String.init)
            guard fields.count >= 2 else { continue }
            rows[fields[0], default: []].append(fields.dropFirst(2).map { Double($0) ?? .nan })
        }
        var compared = 0
        for c in cases {
            let got = rows[c.name] ?? []
            #expect(got.count == c.points.count, "\(c.name): \(got.count) rows")
            for (row, expected) in zip(got, c.expected) {
                #expect(row.count == expected.count, "\(c.name): \(row) vs \(expected)")
                for (a, b) in zip(row, expected) {
                    #expect(Swift.abs(a - b) <= 1e-10 * Swift.max(1, Swift.abs(b)), "\(c.name): \(row) vs \(expected)")
                    compared += 1
                }
            }
        }
        #expect(compared > 100)
    }

    @Test func numpyHessianRuns() throws {
        guard try ExternalTools.requirePythonWithNumPy() else { return }
        let cases = try cases(.numpy)
        var script = "import numpy as np\nimport warnings\nwarnings.simplefilter('error')\n\n"
        for c in cases { script += c.code.replacingOccurrences(of: "import numpy as np\n", with: "") + "\n" }
        script += """

            def report(key, index, result):
                values = [float(result[0])] + [float(g) for g in result[1:-1]] + [float(h) for h in np.asarray(result[-1]).ravel()]
                assert np.asarray(result[-1]).dtype == np.float64
                print(key, index, *[repr(v) for v in values])


            """
        for c in cases {
            for (index, point) in c.points.enumerated() {
                script += "report('\(c.name)', \(index), \(c.name)(\(point.map { "\($0)" }.joined(separator: ", "))))\n"
            }
        }
        let directory = try ExternalTools.scratchDirectory("hessian-numpy")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("hessians.py")
        try script.write(to: url, atomically: true, encoding: .utf8)
        let run = try ExternalTools.run("python3", [url.path])
        try #require(run.status == 0, "python3 failed:\n\(run.stderr.prefix(4000))")
        compare(run.stdout, cases)
    }

    @Test func swiftHessianCompilesWithoutWarningsAndRuns() throws {
        guard try ExternalTools.requireSwiftc() else { return }
        let cases = try cases(.swift)
        var source = "import Foundation\n\n"
        for c in cases { source += c.code.replacingOccurrences(of: "import Foundation\n", with: "") + "\n" }
        source += """
            func report(_ key: String, _ index: Int, _ values: [Double]) {
                print(([key, String(index)] + values.map { "\\($0)" }).joined(separator: " "))
            }


            """
        for c in cases {
            for (index, point) in c.points.enumerated() {
                let call = "\(c.name)(\(point.map { "\($0)" }.joined(separator: ", ")))"
                let partials = (0..<point.count).map { "r\(index)\(c.name).\($0 + 1)" }
                source += "let r\(index)\(c.name) = \(call)\n"
                source += "report(\"\(c.name)\", \(index), [r\(index)\(c.name).value, \(partials.joined(separator: ", "))] + r\(index)\(c.name).hessian.flatMap { $0 })\n"
            }
        }
        let directory = try ExternalTools.scratchDirectory("hessian-swift")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("main.swift")
        try source.write(to: url, atomically: true, encoding: .utf8)
        let binary = directory.appendingPathComponent("hessians").path
        let compile = try ExternalTools.run("swiftc", ["-O", "-warnings-as-errors", url.path, "-o", binary])
        try #require(compile.status == 0, "swiftc failed:\n\(compile.stderr.prefix(6000))")
        let run = try ExternalTools.run(binary, [])
        try #require(run.status == 0, "the batch failed:\n\(run.stderr)")
        compare(run.stdout, cases)
    }

    @Test func arraysAreRefusedClearly() throws {
        let g = try Gradient(source: "x: (2,); sum(x^2)")
        let h = try Hessian(g, wrt: [0])
        #expect(throws: CodegenError.tensorProgram) { try emitHessian(h, source: "x: (2,); sum(x^2)", options: EmitOptions(language: .numpy)) }
    }
}
