import Foundation
import Testing

/// The vector and matrix exercises of WORKSHEETS.md section 6 (and TENSORS.md section 1), end
/// to end through the built binary, against answers computed independently with NumPy.
@Suite struct TensorWorksheetTests {
    static let normProgram = "W: (2, 2); x: (2,); sum((W @ x)^2)"
    static let normPoint = "W=[[0.1,0.5],[-0.3,0.8]],x=[0.2,0.4]"

    /// ||W x||^2: f = 0.116, df/dW = 2 (Wx) x^T, df/dx = 2 W^T W x.
    @Test func squaredNormValuesAndGradients() {
        let run = runSymdiff(["eval", Self.normProgram, "--at", Self.normPoint])
        #expect(run.stdout == """
            f = 0.11600000000000005
            df/dW = [[0.08800000000000002, 0.17600000000000005],
                     [0.10400000000000004, 0.20800000000000007]]
            df/dx = [-0.11200000000000002, 0.6360000000000001]

            """)
        #expect(run.stderr == "")
        #expect(run.status == 0)
        // norm(W @ x)^2 is the same function.
        #expect(runSymdiff(["eval", "W: (2, 2); x: (2,); norm(W @ x)^2", "--at", Self.normPoint]).stdout == run.stdout)
    }

    /// `emit --lang numpy` writes a vectorised function that, run by python3, gives the
    /// worksheet's answers (before issue 13 it refused tensor programs).
    @Test func squaredNormEmittedNumPyRunsAndGivesTheWorksheetAnswers() throws {
        let run = runSymdiff(["emit", Self.normProgram, "--lang", "numpy"])
        #expect(run.status == 0)
        #expect(run.stderr == "")
        #expect(run.stdout.contains("def f(W, x):"))
        #expect(run.stdout.contains("    dW = np.outer(da, x)\n    dx = W.T @ da\n    return out, dW, dx\n"))
        let script = run.stdout + """

            value, dW, dx = f([[0.1, 0.5], [-0.3, 0.8]], [0.2, 0.4])
            print(repr(float(value)), dW.shape, dx.shape, [repr(float(v)) for v in list(dW.ravel()) + list(dx)])
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "python3 with NumPy is needed for this test")
        let fields = output.split(separator: " ", maxSplits: 1)
        #expect(Swift.abs((Double(fields[0]) ?? 0) - 0.116) < 1e-15)
        #expect(output.contains("(2, 2) (2,)"))
        let numbers = output.split(separator: "[").last.map { $0.filter { "0123456789.-e,".contains($0) }.split(separator: ",").compactMap { Double($0) } } ?? []
        for (got, want) in zip(numbers, [0.088, 0.176, 0.104, 0.208, -0.112, 0.636]) { #expect(Swift.abs(got - want) < 1e-15) }
        #expect(numbers.count == 6)
    }

    @Test func squaredNormJSONHasNestedListsOfEachInputsShape() throws {
        let run = runSymdiff(["eval", Self.normProgram, "--at", Self.normPoint, "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let value = try #require(object["value"] as? Double)
        #expect(Swift.abs(value - 0.116) < 1e-15)
        let gradient = try #require(object["gradient"] as? [String: Any])
        let dW = try #require(gradient["W"] as? [[Double]])
        let dx = try #require(gradient["x"] as? [Double])
        for (got, want) in zip(dW.flatMap { $0 }, [0.088, 0.176, 0.104, 0.208]) { #expect(Swift.abs(got - want) < 1e-15) }
        for (got, want) in zip(dx, [-0.112, 0.636]) { #expect(Swift.abs(got - want) < 1e-15) }
        #expect(dW.count == 2 && dW.allSatisfy { $0.count == 2 })
    }

    /// The card's staged form: one op per line with its shape, the seed folded into db.
    @Test func squaredNormStagedBackwardPass() {
        #expect(runSymdiff(["stage", Self.normProgram, "--backward"]).stdout == """
            # forward pass
            a = W @ x     # (2,)
            b = a^2       # (2,)
            out = sum(b)  # ()
            # backward pass (d<name> is dout/d<name>)
            da = 2 * a         # (2,)
            dW = outer(da, x)  # (2, 2)
            dx = W.T @ da      # (2,)

            """)
    }

    @Test func squaredNormClosedFormsInTextAndLaTeX() {
        #expect(runSymdiff(["grad", Self.normProgram]).stdout == "df/dW = 2*outer(W @ x, x)\ndf/dx = 2*(W.T @ (W @ x))\n")
        #expect(runSymdiff(["grad", Self.normProgram, "--format", "latex"]).stdout == """
            \\frac{\\partial f}{\\partial W} = 2 \\left(W x\\right) x^\\top
            \\frac{\\partial f}{\\partial x} = 2 W^\\top W x

            """)
    }

    /// L = -log softmax(W x + b)[y]: dL/db = p - onehot(y), dL/dW = (p - onehot(y)) x^T,
    /// dL/dx = W^T (p - onehot(y)).
    @Test func softmaxCrossEntropyClosedForms() {
        let program = "W: (4, 3); b: (4,); x: (3,); y: int\ncross_entropy(W @ x + b, y)"
        #expect(runSymdiff(["grad", program]).stdout == """
            df/dW = outer(softmax(b + W @ x) - onehot(y, 4), x)
            df/db = softmax(b + W @ x) - onehot(y, 4)
            df/dx = W.T @ (softmax(b + W @ x) - onehot(y, 4))

            """)
        #expect(runSymdiff(["stage", program, "--backward"]).stdout == """
            # forward pass
            a = W @ x                  # (4,)
            c = a + b                  # (4,)
            out = cross_entropy(c, y)  # ()
            # backward pass (d<name> is dout/d<name>)
            dc = softmax(c) - onehot(y, 4)  # (4,)
            da = dc                         # (4,)
            db = dc                         # (4,)
            dW = outer(da, x)               # (4, 3)
            dx = W.T @ da                   # (3,)

            """)
    }

    /// The batch form: the mean over N rows, with b broadcast over the rows and summed back.
    @Test func batchCrossEntropyValuesMatchNumPy() {
        let program = "X: (N, 3); W: (3, 2); b: (2,); y: int (N,)\ncross_entropy(X @ W + b, y)"
        let run = runSymdiff(["eval", program, "--at", "X=[[1,2,3],[0,-1,0.5]],W=[[0.1,-0.2],[0.3,0.4],[-0.5,0.6]],b=[0.01,-0.02],y=[1,0]"])
        #expect(run.stdout == """
            f = 0.48309119501267656
            df/dX = [[ 0.006046562313406391, -0.002015520771135478,
                      -0.022170728482490094],
                     [-0.09052248747970895 ,  0.03017416249323633 ,
                       0.33191578742559946 ]]
            df/dW = [[ 0.02015520771135461, -0.02015520771135465],
                     [ 0.3420520403550723 , -0.3420520403550725 ],
                     [-0.09040518933211773,  0.09040518933211764]]
            df/db = [-0.2815864172210085, 0.2815864172210085]

            """)
        let staged = runSymdiff(["stage", program, "--backward"]).stdout
        #expect(staged.contains("c = broadcast_to(b, (N, 2))"))
        #expect(staged.contains("db = sum(dc, axis=0)"))
        #expect(staged.contains("dd = (softmax(d) - onehot(y, 2)) / N"))
    }

    /// Computed stably: logits around 1000 give the exact loss, not nan.
    @Test func crossEntropyIsStableAtLargeLogits() {
        let run = runSymdiff(["eval", "z: (3,); y: int; cross_entropy(z, y)", "--at", "z=[1000,1001,1002],y=2", "--format", "json"])
        #expect(run.stdout.hasPrefix("{\"value\": 0.4076059644443804, "))
        #expect(!run.stdout.contains("NaN"))
    }

    /// Skip connection y = W2 relu(W1 x) + x: dL/dx = W1^T R(W1 x) W2^T dy + dy.
    @Test func skipConnectionGradient() {
        let run = runSymdiff(["grad", "x: (4,); W1: (6, 4); W2: (4, 6)\nsum((W2 @ relu(W1 @ x) + x)^2)", "--wrt", "x"])
        #expect(run.stdout == "df/dx = 2*x + 2*(W2 @ relu(W1 @ x)) + 2*(W1.T @ ((W2.T @ (x + W2 @ relu(W1 @ x)))*step(W1 @ x)))\n")
    }

    /// NumPy broadcasting for addition, each answer from the worksheet.
    @Test(arguments: [
        ("(2,)", "(2, 1)", "[2, 2]"),
        ("(4,)", "(4, 1, 1)", "[4, 1, 4]"),
        ("(4, 2)", "(2, 4, 1)", "[2, 4, 2]"),
        ("(8, 3)", "(2, 8, 1)", "[2, 8, 3]"),
    ])
    func broadcastingShapes(a: String, b: String, shape: String) {
        let run = runSymdiff(["shape", "a: \(a); b: \(b); a + b", "--format", "json"])
        #expect(run.stdout.hasPrefix("{\"shape\": \(shape)"))
        #expect(run.status == 0)
    }

    @Test func broadcastingStepsAsAStudentReadsThem() {
        #expect(runSymdiff(["shape", "a: (4, 2); b: (2, 4, 1); a + b"]).stdout == """
            a + b: (2, 4, 2)
              (4, 2) and (2, 4, 1)
              pad on the left with 1s: (1, 4, 2) and (2, 4, 1)
              stretch the 1s: axis 0: 1 -> 2 (left); axis 2: 1 -> 2 (right)
              result: (2, 4, 2)

            """)
    }

    @Test func broadcastingFailureNamesBothShapesAndTheAxis() {
        let run = runSymdiff(["shape", "a: (6, 5, 3); b: (6, 5); a + b"])
        #expect(run.status == 1)
        #expect(run.stdout == "")
        #expect(run.stderr == """
            input:1:27: error: operands could not be broadcast together with shapes (6,5,3) (6,5)
            a: (6, 5, 3); b: (6, 5); a + b
                                      ^~~
            note: aligned on the right, axis -1 has 3 vs 5: two sizes broadcast only when they are equal or one of them is 1
              (6, 5, 3) and (6, 5)
              pad on the left with 1s: (6, 5, 3) and (1, 6, 5)
              axis 2 (-1 from the end): 3 vs 5: neither is 1, so the shapes do not broadcast

            """)
    }

    /// NumPy's matmul, each answer from the worksheet.
    @Test(arguments: [
        ("(5, 4)", "(4, 8)", "[5, 8]"),
        ("(3, 5, 4)", "(3, 4, 8)", "[3, 5, 8]"),
        ("(1, 5, 4)", "(5, 4, 8)", "[5, 5, 8]"),
        ("(2, 5, 4)", "(3, 2, 4, 8)", "[3, 2, 5, 8]"),
    ])
    func matmulShapes(a: String, b: String, shape: String) {
        let run = runSymdiff(["shape", "a: \(a); b: \(b); a @ b", "--format", "json"])
        #expect(run.stdout.hasPrefix("{\"shape\": \(shape)"))
        #expect(run.status == 0)
    }

    @Test func matmulBatchFailureIsExplained() {
        let run = runSymdiff(["shape", "a: (3, 5, 4); b: (5, 4, 8); a @ b"])
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("input:1:30: error: matmul: (3,5,4) @ (5,4,8): batch dimensions 3 and 5 do not broadcast\n"))
        #expect(run.stderr.contains("batch axes (3,) and (5,) do not broadcast"))
    }

    @Test func programShapesAndParameterCount() {
        #expect(runSymdiff(["shape", "x: (4,); W1: (6, 4); W2: (4, 6); h = relu(W1 @ x); sum((W2 @ h + x)^2)"]).stdout == """
            h = relu(W1 @ x)     # (6,)
            sum((W2 @ h + x)^2)  # ()
            trainable parameters: 52 (x (4,): 4; W1 (6, 4): 24; W2 (4, 6): 24)

            """)
    }

    /// A vector-Jacobian product: the worksheet's delta given as --upstream.
    @Test func arrayOutputWithUpstreamGivesTheVJP() {
        let run = runSymdiff(["eval", "W: (2, 2); x: (2,); W @ x", "--at", Self.normPoint, "--upstream", "[1, -2]"])
        #expect(run.stdout == """
            f = [0.22000000000000003, 0.26000000000000006]
            dW = [[ 0.2,  0.4],
                  [-0.4, -0.8]]
            dx = [0.7, -1.1]

            """)
        let withoutUpstream = runSymdiff(["eval", "W: (2, 2); x: (2,); W @ x", "--at", Self.normPoint])
        #expect(withoutUpstream.stdout == "f = [0.22000000000000003, 0.26000000000000006]\n")
        #expect(withoutUpstream.stderr.contains("give --upstream VALUE"))
    }

    /// Bad input: a clear error naming the input, exit 1, never a crash.
    @Test(arguments: [
        (["eval", "x: (3,); W: (2, 3); sum(W @ x)", "--at", "x=[1,2],W=[[1,2,3],[4,5,6]]"],
         "error: input 'x' is declared with shape (3,), but its value has shape (2,)\n"),
        (["eval", "z: (3,); y: int; cross_entropy(z, y)", "--at", "z=[1,2,3],y=3"],
         "error: cannot evaluate 'out': label 3 is out of range: there are 3 classes (0 to 2)\n"),
        (["eval", "X: (N, 3); sum(X)", "--at", "X=[[1,2,3]]", "--dim", "N=2"],
         "error: dimension N is 1 in the value of 'X', but 2 in --dim\n"),
    ])
    func badInputIsAClearError(arguments: [String], stderr: String) {
        let run = runSymdiff(arguments)
        #expect(run.stderr == stderr)
        #expect(run.status == 1)
        #expect(run.stdout == "")
    }

    @Test func juxtaposedArraysAreRefusedWithBothSpellings() {
        let run = runSymdiff(["grad", "W: (2,2); x: (2,); sum(W x)"])
        #expect(run.status == 1)
        #expect(run.stderr == """
            input:1:24: error: juxtaposing two arrays (shapes (2, 2) and (2,)) is ambiguous
            W: (2,2); x: (2,); sum(W x)
                                   ^~~
            note: write W @ x for the matrix product or W * x for the element-wise one

            """)
    }
}
