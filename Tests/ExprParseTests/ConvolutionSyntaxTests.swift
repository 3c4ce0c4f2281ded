import Testing
@testable import ExprParse

/// The convolution and pooling calls as the parser sees them: arity, keywords and their values,
/// and the printed call reading back unchanged.
@Suite("Convolution syntax")
struct ConvolutionSyntaxTests {
    @Test("calls parse and reprint", arguments: [
        "conv2d(x, w, b, stride=2, pad=1)",
        "conv1d(x, w)",
        "maxpool2d(x, 2, stride=2)",
        "avgpool1d(x, 3, pad=1)",
        "conv2d_input_grad(dy, w, stride=2, pad=1)",
        "conv2d_filter_grad(x, dy)",
        "conv2d_bias_grad(dy)",
        "maxpool2d_grad(x, dy, 2)",
        "avgpool2d_grad(dy, 3, stride=1)",
        "maxpool2d_pick(x, u, 2)",
    ])
    func reprints(source: String) {
        #expect(diagnosticIDs(source) == [])
        #expect(reprinted(source) == source)
    }

    @Test("stride below 1")
    func strideBelowOne() {
        #expect(rendered("conv2d(x, w, stride=0)") == """
            input:1:14: error: 'stride' must be a positive integer, got 0
            conv2d(x, w, stride=0)
                         ^~~~~~~~
            """)
    }

    @Test("negative padding")
    func negativePadding() {
        #expect(rendered("maxpool2d(x, 2, pad=-1)") == """
            input:1:17: error: 'pad' must be 0 or a positive integer, got -1
            maxpool2d(x, 2, pad=-1)
                            ^~~~~~
            """)
    }

    @Test("documented errors", arguments: [
        ("conv2d(x)", "wrong-arity"), ("conv2d(x, w, b, c)", "wrong-arity"), ("maxpool2d(x)", "wrong-arity"),
        ("conv2d(x, w, axis=1)", "unknown-keyword"), ("conv2d_bias_grad(g, stride=2)", "unexpected-keyword"),
        ("conv2d(x, w, stride=true)", "invalid-keyword-value"), ("conv2d(x, w, stride=1, stride=2)", "duplicate-keyword"),
    ])
    func error(input: String, id: String) {
        #expect(diagnosticIDs(input) == [id])
    }
}
