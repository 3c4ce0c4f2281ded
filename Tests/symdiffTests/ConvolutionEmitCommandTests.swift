import Testing

/// `emit` on the LeNet homework net (TENSORS.md section 1), end to end through the built
/// binary: both languages write it, and the code reads like its staged backward pass. (The
/// emitted code is executed against the evaluator in CodegenTests, at a small size.)
@Suite struct ConvolutionEmitCommandTests {
    static let lenet = """
        x: (B, 1, 28, 28); Wc: (20, 1, 5, 5); bc: (20,)
        W1: (500, 2880); b1: (500,); W2: (10, 500); b2: (10,); t: int (B,)
        c = conv2d(x, Wc, bc)
        p = maxpool2d(c, 2, stride=2)
        h = relu(flatten(p) @ W1.T + b1)
        cross_entropy(h @ W2.T + b2, t)
        """

    @Test func numPyCallsOneFunctionPerLayerOp() {
        let run = runSymdiff(["emit", Self.lenet, "--lang", "numpy", "--name", "lenet"])
        #expect(run.status == 0)
        #expect(run.stderr == "")
        for line in ["def conv2d(x, w, b=None, stride=1, pad=0):", "def maxpool2d_grad(x, g, k, stride=None, pad=0):",
                     "def lenet(x, Wc, bc, W1, b1, W2, b2, t):", "    c = conv2d(x, Wc, bc)\n", "    p = maxpool2d(c, 2)\n",
                     "    dc = maxpool2d_grad(c, dp, 2)\n", "    dx = conv2d_input_grad(dc, Wc)\n", "    dWc = conv2d_filter_grad(x, dc)\n",
                     "    dbc = np.sum(dc, axis=(0, 2, 3))\n", "    return out, dx, dWc, dbc, dW1, db1, dW2, db2\n"] {
            #expect(run.stdout.contains(line), "missing \(line)")
        }
        // Only the functions the net uses.
        #expect(!run.stdout.contains("def avgpool2d("))
        #expect(!run.stdout.contains("def conv1d("))
    }

    @Test func swiftIsOneFunctionOfLoops() {
        let run = runSymdiff(["emit", Self.lenet, "--lang", "swift", "--name", "lenet"])
        #expect(run.status == 0)
        #expect(run.stderr == "")
        #expect(run.stdout.contains("func lenet(_ B: Int, _ x: [Double], _ Wc: [Double], _ bc: [Double], _ W1: [Double], _ b1: [Double], "
                                    + "_ W2: [Double], _ b2: [Double], _ t: [Int]) -> (value: Double, dx: [Double], dWc: [Double], dbc: [Double], "
                                    + "dW1: [Double], db1: [Double], dW2: [Double], db2: [Double]) {\n"))
        for line in ["    // c = conv2d(x, Wc, bc)  (B, 20, 24, 24)\n", "    // dc = maxpool2d_grad(c, dp, 2)  (B, 20, 24, 24)\n",
                     "    // dx = conv2d_input_grad(dc, Wc)  (B, 1, 28, 28)\n", "// the window's gradient goes to its first maximum\n",
                     // The stages i, j and k keep their names; the loops take i_2, j_2, k_2.
                     "let inRow = inPlane + (oh + i_2) * 28 + j_2\n"] {
            #expect(run.stdout.contains(line), "missing \(line)")
        }
    }
}
