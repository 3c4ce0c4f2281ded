import Testing

/// `emit --lang swift` on tensor programs, end to end through the built binary.
@Suite struct TensorEmitSwiftCommandTests {
    @Test func emitsTheLoopFunctionForATensorProgram() {
        let run = runSymdiff(["emit", "W: (2, 2); x: (2,); sum((W @ x)^2)", "--lang", "swift", "--name", "norm_sq"])
        #expect(run.status == 0)
        #expect(run.stderr == "")
        #expect(run.stdout.contains("func norm_sq(_ W: [Double], _ x: [Double]) -> (value: Double, dW: [Double], dx: [Double]) {\n"))
        #expect(run.stdout.contains("    precondition(W.count == 4, \"W must have shape (2, 2), 4 elements\")\n"))
    }

    @Test func namedDimensionsAndLabelsAreParameters() {
        let run = runSymdiff(["emit", "X: (N, 3); y: int (N,); w: (3,); sum((X @ w)^2) + cross_entropy(X, y)", "--lang", "swift"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("func f(_ N: Int, _ X: [Double], _ y: [Int], _ w: [Double]) -> (value: Double, dX: [Double], dw: [Double]) {\n"))
    }

    @Test func anInvalidFunctionNameIsAUsageError() {
        let run = runSymdiff(["emit", "x: (2,); sum(x)", "--lang", "swift", "--name", "func"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("'func' cannot name a generated Swift function"))
    }

    /// `--closed-form` is for scalar programs: on arrays the staged function comes out, and the
    /// user is told so instead of the flag being ignored in silence.
    @Test(arguments: ["numpy", "swift"]) func closedFormOnATensorProgramSaysItEmitsTheStagedPasses(language: String) {
        let source = "W: (2, 2); x: (2,); sum((W @ x)^2)"
        let closed = runSymdiff(["emit", source, "--lang", language, "--closed-form"])
        let staged = runSymdiff(["emit", source, "--lang", language])
        #expect(closed.status == 0)
        #expect(closed.stdout == staged.stdout)
        #expect(closed.stderr == "note: --closed-form applies to scalar programs; a program with arrays is emitted as its staged "
                + "forward and backward passes (its closed forms: symdiff grad)\n")
    }
}
