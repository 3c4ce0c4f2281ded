@testable import Codegen
import Symbolic
import Testing

/// Graphviz output for programs with arrays: shapes on every node, values and gradients of
/// small arrays, VJP edges written with the gate's adjoint variable.
@Suite struct TensorDOTGraphTests {
    static let normSquared = "W: (2, 2); x: (2,); sum((W @ x)^2)"

    @Test func normSquaredShowsShapes() throws {
        let gradient = try Gradient(source: Self.normSquared)
        #expect(DOTGraph(gradient, backward: true).render() == #"""
            digraph symdiff {
              rankdir=LR;
              node [fontname=Helvetica];
              edge [fontname=Helvetica];
              n0 [label="W\n(2, 2)", shape=ellipse, style=filled, fillcolor=lightblue];
              n1 [label="x\n(2,)", shape=ellipse, style=filled, fillcolor=lightblue];
              n2 [label="2", shape=plaintext];
              n3 [label="a = W @ x\n(2,)", shape=box];
              n4 [label="b = a^2\n(2,)", shape=box];
              n5 [label="out = sum(b)\n()", shape=box, peripheries=2];
              n0 -> n3 [label="1"];
              n1 -> n3 [label="2"];
              n3 -> n4 [label="1"];
              n2 -> n4 [label="2"];
              n4 -> n5 [label="1"];
              n5 -> n4 [label="broadcast_to(1, (2,))", style=dashed, color=red, fontcolor=red, constraint=false];
              n4 -> n3 [label="2*a", style=dashed, color=red, fontcolor=red, constraint=false];
              n3 -> n0 [label="outer(da, x)", style=dashed, color=red, fontcolor=red, constraint=false];
              n3 -> n1 [label="W.T @ da", style=dashed, color=red, fontcolor=red, constraint=false];
            }

            """#)
    }

    /// The worksheet's point: W x = (0.22, 0.26), df/dW = 2 outer(W x, x), df/dx = 2 W.T W x.
    @Test func normSquaredAtTheWorksheetPoint() throws {
        let gradient = try Gradient(source: Self.normSquared)
        let w = try Tensor(shape: [2, 2], scalars: [0.1, 0.5, -0.3, 0.8])
        let drawing = try DOTGraph(gradient, tensors: [w, Tensor(vector: [0.2, 0.4])], backward: true)
        #expect(drawing.render() == #"""
            digraph symdiff {
              rankdir=LR;
              node [fontname=Helvetica];
              edge [fontname=Helvetica];
              n0 [label="W\n(2, 2)\nvalue [[0.1, 0.5], [-0.3, 0.8]]\ngrad [[0.08800000000000002, 0.17600000000000005], [0.10400000000000004, 0.20800000000000007]]", shape=ellipse, style=filled, fillcolor=lightblue];
              n1 [label="x\n(2,)\nvalue [0.2, 0.4]\ngrad [-0.11200000000000002, 0.6360000000000001]", shape=ellipse, style=filled, fillcolor=lightblue];
              n2 [label="2", shape=plaintext];
              n3 [label="a = W @ x\n(2,)\nvalue [0.22000000000000003, 0.26000000000000006]\ngrad [0.44000000000000006, 0.5200000000000001]", shape=box];
              n4 [label="b = a^2\n(2,)\nvalue [0.04840000000000001, 0.06760000000000004]\ngrad [1.0, 1.0]", shape=box];
              n5 [label="out = sum(b)\n()\nvalue 0.11600000000000005\ngrad 1", shape=box, peripheries=2];
              n0 -> n3 [label="1"];
              n1 -> n3 [label="2"];
              n3 -> n4 [label="1"];
              n2 -> n4 [label="2"];
              n4 -> n5 [label="1"];
              n5 -> n4 [label="broadcast_to(1, (2,))\ncontributes [1.0, 1.0]", style=dashed, color=red, fontcolor=red, constraint=false];
              n4 -> n3 [label="2*a\ncontributes [0.44000000000000006, 0.5200000000000001]", style=dashed, color=red, fontcolor=red, constraint=false];
              n3 -> n0 [label="outer(da, x)\ncontributes [[0.08800000000000002, 0.17600000000000005], [0.10400000000000004, 0.20800000000000007]]", style=dashed, color=red, fontcolor=red, constraint=false];
              n3 -> n1 [label="W.T @ da\ncontributes [-0.11200000000000002, 0.6360000000000001]", style=dashed, color=red, fontcolor=red, constraint=false];
            }

            """#)
    }

    /// Named dimensions are bound by the values; arrays over six elements show no values;
    /// labels are integers.
    @Test func aBatchShowsBoundShapesAndOnlySmallArrays() throws {
        let gradient = try Gradient(source: "X: (N, 3); W: (3, 2); y: int (N,); cross_entropy(X @ W, y)")
        let x = try Tensor(shape: [4, 3], scalars: [1, 2, 3, 0, 0, 0, 1, 1, 1, 2, 0, -1])
        let w = try Tensor(shape: [3, 2], scalars: [1, 0, 0, 1, 1, 1])
        let text = try DOTGraph(gradient, tensors: [x, w, Tensor(vector: [0, 1, 1, 0])]).render()
        #expect(text.contains(#"n0 [label="X\n(4, 3)", shape=ellipse"#))
        #expect(text.contains(#"n1 [label="W\n(3, 2)\nvalue [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]\ngrad [[-0.11736610566856007, 0.11736610566856], "#))
        #expect(text.contains(#"n2 [label="y\nint (4,)\nvalue [0, 1, 1, 0]", shape=ellipse"#))
        #expect(text.contains(#"n3 [label="a = X @ W\n(4, 2)", shape=box];"#))
        #expect(text.contains(#"n4 [label="out = cross_entropy(a, y)\n()\nvalue 0.7066210149202715\ngrad 1", shape=box, peripheries=2];"#))
        #expect(DOTGraph(gradient).render().contains(#"n0 [label="X\n(N, 3)", shape=ellipse"#))
    }

    @Test func aBadPointIsAPointError() throws {
        let gradient = try Gradient(source: Self.normSquared)
        #expect(throws: PointError.shape(input: "x", declared: TensorShape([2]), got: TensorShape([3]))) {
            try DOTGraph(gradient, tensors: [Tensor(vector: [1, 2, 3, 4]).reshaped([2, 2]), Tensor(vector: [1, 2, 3])])
        }
    }
}
