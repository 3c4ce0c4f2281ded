import TestSupport
import Codegen
import Foundation
import Symbolic
import Testing

/// Max pooling's tie rule in emitted code: at points where a window holds its maximum more
/// than once, the whole gradient goes to the first maximal cell in row-major order (and a
/// padded -inf cell never wins, even where every real cell of the window is -inf: then the
/// first real cell takes it), in NumPy and in Swift, exactly as the evaluator says and as
/// worked out by hand. Finite differences cannot check this (the points are kinks), so the
/// expected gradients are written out.
@Suite struct PoolingTieTests {
    struct Tie {
        let source: String
        let point: [Tensor]
        /// The value, then each input's gradient, flat.
        let expected: [[Double]]
    }

    static let ties: [Tie] = {
        do {
            return [
                // Overlapping 2x2 windows over a constant matrix: each window's first cell is its
                // top-left one, so the upstream u lands on the top-left 2x2 cells.
                Tie(source: "x: (3, 3); u: (2, 2); sum(maxpool2d(x, 2, stride=1) * u)",
                    point: [try Tensor(shape: [3, 3], scalars: Array(repeating: 1, count: 9)), try Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])],
                    expected: [[10], [1, 2, 0, 3, 4, 0, 0, 0, 0], [1, 1, 1, 1]]),
                // Padded windows of 3 over [5, 5, 5]: [-inf, 5, 5], [5, 5, 5], [5, 5, -inf]. The
                // first two windows' maxima are cell 0, the last one's cell 1.
                Tie(source: "x: (3,); u: (3,); sum(maxpool1d(x, 3, stride=1, pad=1) * u)",
                    point: [try Tensor(shape: [3], scalars: [5, 5, 5]), try Tensor(shape: [3], scalars: [1, 2, 4])],
                    expected: [[35], [3, 4, 0], [5, 5, 5]]),
                // A batch of planes: ties within each 2x2 window at positions that differ by plane.
                Tie(source: "x: (2, 1, 2, 4); sum(maxpool2d(x, 2)^2)",
                    point: [try Tensor(shape: [2, 1, 2, 4], scalars: [0, 3, 7, 1, 3, 1, 7, 7, 2, 2, -1, -1, 1, 2, -1, -1])],
                    expected: [[9 + 49 + 4 + 1], [0, 6, 14, 0, 0, 0, 0, 0, 4, 0, -2, 0, 0, 0, 0, 0]]),
                // Padded windows of 3 over [-inf, -inf, 2]: the first, [-inf (pad), -inf, -inf], has
                // only -inf real cells, and its gradient goes to the first real cell, x[0] (emitted
                // NumPy and Swift sent it to the padded cell, where it was dropped).
                Tie(source: "x: (3,); u: (3,); sum(maxpool1d(x, 3, stride=1, pad=1) * u)",
                    point: [try Tensor(shape: [3], scalars: [-.infinity, -.infinity, 2]), try Tensor(shape: [3], scalars: [1, 2, 4])],
                    expected: [[-.infinity], [1, 0, 6], [-.infinity, 2, 2]]),
            ]
        } catch {
            return []
        }
    }()

    @Test func numPyGivesTiesToTheFirstMaximum() throws {
        guard try ExternalTools.requirePythonWithNumPy() else { return }
        try #require(Self.ties.count == 4)
        var script = ""
        var calls = ""
        for (index, tie) in Self.ties.enumerated() {
            let g = try Gradient(source: tie.source)
            script += try emit(g, source: tie.source, options: EmitOptions(language: .numpy, functionName: "f\(index)")).text + "\n\n"
            let arguments = tie.point.map { NumPyTensorTests.python($0).replacingOccurrences(of: "-inf", with: "-np.inf") }.joined(separator: ", ")
            calls += "print(' | '.join(','.join(repr(float(v)) for v in np.ravel(r)) for r in f\(index)(\(arguments))))\n"
        }
        let directory = try ExternalTools.scratchDirectory("numpy-ties")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("ties.py")
        try (script + calls).write(to: url, atomically: true, encoding: .utf8)
        let run = try ExternalTools.run("python3", ["-W", "error::RuntimeWarning", url.path])
        try #require(run.status == 0, "python3 failed:\n\(run.stderr)")
        try check(run.stdout, language: "NumPy")
    }

    @Test func swiftGivesTiesToTheFirstMaximum() throws {
        guard try ExternalTools.requireSwiftc() else { return }
        try #require(Self.ties.count == 4)
        var source = "import Foundation\n\n"
        var calls = ""
        for (index, tie) in Self.ties.enumerated() {
            let g = try Gradient(source: tie.source)
            source += try emit(g, source: tie.source, options: EmitOptions(language: .swift, functionName: "f\(index)")).text
                .replacingOccurrences(of: "import Foundation\n", with: "") + "\n"
            let arguments = tie.point.map { SwiftTensorExecutionTests.literal($0, label: false).replacingOccurrences(of: "-inf", with: "-Double.infinity") }
                .joined(separator: ", ")
            let results = ["r.value"] + g.staged.inputs.map { "r.d\($0)" }
            calls += "do {\n    let r = f\(index)(\(arguments))\n    print([\(results.joined(separator: ", "))].map { v in (v as? [Double] ?? [v as? Double ?? .nan]).map { \"\\($0)\" }.joined(separator: \",\") }.joined(separator: \" | \"))\n}\n"
        }
        let directory = try ExternalTools.scratchDirectory("swift-ties")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("main.swift")
        try (source + calls).write(to: url, atomically: true, encoding: .utf8)
        let binary = directory.appendingPathComponent("ties").path
        let compile = try ExternalTools.run("swiftc", ["-O", "-warnings-as-errors", url.path, "-o", binary])
        try #require(compile.status == 0, "swiftc failed:\n\(compile.stderr.prefix(4000))")
        let run = try ExternalTools.run(binary, [])
        try #require(run.status == 0, "the program failed:\n\(run.stderr)")
        try check(run.stdout, language: "Swift")
    }

    /// Each output line (value | gradient | ...) against the hand-worked answer and the evaluator.
    func check(_ output: String, language: String) throws {
        let lines = output.split(separator: "\n")
        try #require(lines.count == Self.ties.count, "\(language): \(output)")
        for (line, tie) in zip(lines, Self.ties) {
            let got = line.components(separatedBy: " | ").map { $0.split(separator: ",").map { Double($0) ?? .nan } }
            #expect(got == tie.expected, "\(language), \(tie.source): \(got), expected \(tie.expected)")
            let evaluated = try Gradient(source: tie.source).evaluate(tensors: tie.point)
            let evaluator = [evaluated.value.scalars] + evaluated.gradient.map { $0?.scalars ?? [] }
            #expect(evaluator == tie.expected, "the evaluator, \(tie.source): \(evaluator)")
        }
    }
}
