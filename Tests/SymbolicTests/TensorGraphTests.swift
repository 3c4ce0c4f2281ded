import Testing
@testable import Symbolic

/// The tensor core without the parser: graphs built directly, staged, differentiated and
/// evaluated, against the worksheet's answers.
@Suite struct TensorGraphTests {
    /// ||W x||^2 at the worksheet's point: f = 0.116, df/dW = 2 (Wx) x^T, df/dx = 2 W^T W x.
    @Test func squaredNormOfMatrixVectorProduct() throws {
        let graph = Graph()
        graph.declare("W", InputDeclaration(shape: [2, 2]))
        graph.declare("x", InputDeclaration(shape: [2]))
        let (w, x) = (graph.variable("W"), graph.variable("x"))
        let a = graph.intern(.tensor(.linear(.matmul)), Children(w, x))
        let b = try graph.elementwise(.pow, [a, graph.integer(2)])
        let out = graph.intern(.tensor(.reduction(.sum(axis: nil, keepdims: false))), Children(b))
        let gradient = Gradient(StagedProgram(ProgramGraph(graph: graph, inputs: ["W", "x"], output: out)))
        #expect(gradient.isTensorProgram)
        let result = try gradient.evaluate(tensors: [try Tensor.parse("[[0.1, 0.5], [-0.3, 0.8]]"), try Tensor.parse("[0.2, 0.4]")])
        #expect(Swift.abs((result.value.scalarValue ?? 0) - 0.116) < 1e-12)
        let dW = try #require(result.gradient[0]), dx = try #require(result.gradient[1])
        for (got, want) in zip(dW.scalars, [0.088, 0.176, 0.104, 0.208]) { #expect(Swift.abs(got - want) < 1e-12) }
        for (got, want) in zip(dx.scalars, [-0.112, 0.636]) { #expect(Swift.abs(got - want) < 1e-12) }
        #expect(graph.shapeFaults == 0)
        let printer = Printer(graph, InputLanguage(spaced: true))
        #expect(gradient.closedForm().map { printer.render($0) } == ["2 * outer(W @ x, x)", "2 * (W.T @ (W @ x))"])
        // The card's listing: the seed's broadcast folds into the first line.
        #expect(gradient.backwardLines(InputLanguage(spaced: true)).listing == """
            da = 2 * a
            dW = outer(da, x)
            dx = W.T @ da
            """)
    }
}
