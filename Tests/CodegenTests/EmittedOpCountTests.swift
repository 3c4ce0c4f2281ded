import TestSupport
import Codegen
import Foundation
import Symbolic
import Testing

/// The emitted NumPy does the work `Gradient.opCounts()` counts, counted as it runs by the
/// benchmark's own counter (`numpy_op_counts` in scripts/bench.py), which the gradient-cost
/// comparison with CasADi relies on; and what the folded seed returns: read-only float64
/// arrays in the value's shape.
@Suite struct EmittedOpCountTests {
    static let programs: [(source: String, variables: [String]?)] = [
        ("a1 = sin(x)*x + y\na2 = sin(a1)*a1 + y\na3 = sin(a2)*a2 + y", nil),
        ("s1 = sin(x1*x2) + x1^2*exp(-x1)\ns2 = s1 + sin(x2*x3) + x2^2*exp(-x2)\nf = s2 + sin(x3*x1) + x3^2*exp(-x3)", nil),
        ("h1 = tanh(0.819*w1_1 + 0.638*w1_2 - 0.457*w1_3 + b1)\nh2 = tanh(0.819*w2_1 + 0.638*w2_2 - 0.457*w2_3 + b2)\n"
            + "o = v1*h1 + v2*h2 + c\nloss = (o - 0.5)^2", nil),
        ("h1 = tanh(b1 + 0.1*w1_1 + 0.2*w1_2)\no = c + v1*h1\nloss = (o - 0.5)^2", nil),
        ("(x + y)z", nil),
        ("x*y + 3*z - w", nil),
        ("exp(-x) - sin(x)", nil),
        ("sin(a - b*c) + cos(a - b*c)*exp(b)", nil),
    ]

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    @Test func theCodeRunsTheOpsOpCountsCounts() throws {
        guard try ExternalTools.requirePythonWithNumPy() else { return }
        var table = "CASES = [\n"
        var expected: [String] = []
        for (index, program) in Self.programs.enumerated() {
            let g = try Gradient(source: program.source, variables: program.variables)
            let code = try emit(g, source: program.source, options: EmitOptions(language: .numpy, functionName: "f\(index)"))
            #expect(!code.text.contains("ones_like"), "\(program.source): the seed is folded\n\(code.text)")
            let escaped = code.text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"\"\"", with: "\\\"\\\"\\\"")
            table += "    (\(index), \"\"\"\(escaped)\"\"\"),\n"
            let counts = g.opCounts()
            expected.append("\(index) \(counts.forward) \(counts.backward)")
        }
        let script = """
            import sys
            sys.path.insert(0, sys.argv[1])
            import bench
            \(table)]
            for index, text in CASES:
                forward, backward = bench.numpy_op_counts(text)
                print(index, forward, backward)
            """
        let directory = try ExternalTools.scratchDirectory("opcount")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("count.py")
        try script.write(to: url, atomically: true, encoding: .utf8)
        let run = try ExternalTools.run("python3", [url.path, Self.repositoryRoot.appendingPathComponent("scripts").path])
        try #require(run.status == 0, "python3 failed:\n\(run.stderr)")
        #expect(run.stdout.split(separator: "\n").map(String.init) == expected)
    }

    /// `df/dx = 3` is a float64 array, not a Python int; every partial is a read-only view in the
    /// broadcast shape of the value (widened by an input the value ignores), and an array
    /// passed in is not copied into a partial that is that input.
    @Test func partialsAreReadOnlyFloatArraysInTheValuesShape() throws {
        guard try ExternalTools.requirePythonWithNumPy() else { return }
        let g = try Gradient(source: "3*x + x*y", variables: ["x", "y", "z"])
        let code = try emit(g, source: "3*x + x*y", options: EmitOptions(language: .numpy))
        let script = code.text + """

            import numpy as np
            y = np.array([1.0, 2.0, 3.0])
            for args in [(2, 5, 7), (2, y, 7), (2.0, 5.0, np.zeros((2, 1)))]:
                value, dx, dy, dz = f(*args)
                print([(np.shape(d), d.dtype.name, d.flags.writeable) for d in (dx, dy, dz)])
            value, dx, dy, dz = f(y, y, 0.0)
            print(np.shares_memory(dy, y), dx.tolist(), dy.tolist())
            """
        let directory = try ExternalTools.scratchDirectory("readonly")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("readonly.py")
        try script.write(to: url, atomically: true, encoding: .utf8)
        let run = try ExternalTools.run("python3", [url.path])
        try #require(run.status == 0, "python3 failed:\n\(run.stderr)")
        #expect(run.stdout == """
            [((), 'float64', False), ((), 'float64', False), ((), 'float64', False)]
            [((3,), 'float64', False), ((3,), 'float64', False), ((3,), 'float64', False)]
            [((), 'float64', False), ((), 'float64', False), ((2, 1), 'float64', False)]
            True [4.0, 5.0, 6.0] [1.0, 2.0, 3.0]

            """)
    }
}
