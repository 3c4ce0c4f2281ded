import ExprParse
import Foundation
import Symbolic
import Testing

/// Deep and wide programs: no stack overflow, and a gradient whose size is linear in the program.
@Suite struct ScaleTests {
    /// a0 = x; a_{k+1} = sin(a_k)*a_k + y, as statements.
    static func chain(_ n: Int) -> String {
        var text = "a0 = x\n"
        text.reserveCapacity(n * 32)
        for k in 0..<n { text += "a\(k + 1) = sin(a\(k))*a\(k) + y\n" }
        return text
    }

    @Test(arguments: [1_000, 10_000, 100_000]) func deepChainIsLinear(_ n: Int) throws {
        let g = try gradient(Self.chain(n))
        #expect(g.staged.equations.count == 3 * n)
        let counts = g.opCounts()
        #expect(counts.forward == 3 * n)
        #expect(counts.ratio <= 3.0, "ratio \(counts.ratio)")
        // O(N) nodes: the whole graph, forward and backward, stays a small multiple of N.
        #expect(g.graph.count < 12 * n, "\(g.graph.count) nodes for N = \(n)")
        let result = g.evaluate(at: [0.3, 0.2])
        #expect(result.value.isFinite && result.gradient.allSatisfy(\.isFinite))
    }

    @Test func deepChainGradientMatchesFiniteDifferences() throws {
        let g = try gradient(Self.chain(200))
        let point = [0.3, 0.1]
        let result = g.evaluate(at: point)
        for i in 0..<2 {
            var plus = point, minus = point
            plus[i] += 1e-7
            minus[i] -= 1e-7
            let fd = (g.value(at: plus) - g.value(at: minus)) / 2e-7
            #expect(close(result.gradient[i], fd, 1e-5))
        }
    }

    @Test func millionNodeExpressionDoesNotOverflowTheStack() throws {
        // A 10^6-deep left spine built directly in the graph, then differentiated and printed.
        let graph = Graph()
        let x = graph.variable("x")
        var node = x
        for k in 0..<1_000_000 { node = graph.intern(k % 2 == 0 ? .add : .mul, [node, x]) }
        let staged = StagedProgram(ProgramGraph(graph: graph, inputs: ["x"], output: node))
        let g = Gradient(staged)
        #expect(g.contributions.count == 2_000_000)
        #expect(g.evaluate(at: [0.5]).value.isFinite)
        var simplifier = Simplifier(graph)
        _ = simplifier.simplify(g.derivative(0))
        #expect(simplifier.stopReason != .done)
    }

    @Test func simplifyingTheClosedFormOfADeepChainIsBounded() throws {
        // Flattening the nested products of a chain's adjoint would build N prefix products of
        // up to N factors (this took minutes and 600 MB at N = 10^4): the work budget stops it.
        let g = try gradient(Self.chain(1_000))
        let before = g.graph.count
        var simplifier = Simplifier(g.graph)
        let forms = g.staged.inputNodes.indices.map { simplifier.simplify(g.derivative($0)) }
        #expect(simplifier.stopReason != .done)
        #expect(g.graph.count - before < 10 * before, "\(g.graph.count - before) new nodes for \(before)")
        // Whatever was not simplified is returned as it was: still the right derivative.
        #expect(forms[1] == g.derivative(1))
    }

    @Test func wideSumOfManyTerms() throws {
        let text = (0..<20_000).map { "sin(x\($0)*x\($0 + 1))" }.joined(separator: " + ")
        let g = try gradient(text)
        #expect(g.staged.inputs.count == 20_001)
        #expect(g.opCounts().ratio <= 3.0)
    }
}
