import Foundation
import Testing

/// `stats` and `graph` on programs with arrays, end to end through the built binary.
@Suite struct TensorStatsAndGraphCommandTests {
    static let normSquared = "W: (2, 2); x: (2,); sum((W @ x)^2)"
    static let batchCrossEntropy = "X: (N, 3); W: (3, 4); b: (4,); y: int (N,); cross_entropy(X @ W + b, y)"

    /// Forward: W @ x 2*2*2 = 8, a^2 2, sum 2. Backward: da = 2 * a 2, outer 4, W.T @ da 8.
    @Test func statsOfTheNormSquared() {
        let run = runSymdiff(["stats", Self.normSquared])
        #expect(run.stdout == """
            inputs                                                  2
            forward ops (one per array operation)                   3
            backward ops (staged)                                   4
            (forward + backward) / forward                          2.33
            closed-form partials, each as a tree                    7
            closed-form partials, shared subexpressions once        6
            forward flops                                           12
            backward flops (staged)                                 14
            (forward + backward) / forward flops                    2.17
            closed-form partials flops, shared subexpressions once  26

            """)
        #expect(run.stderr == "")
        #expect(run.status == 0)
    }

    /// Forward per row: X @ W 2*3*4 = 24, + b 4, cross_entropy 4*4 + 2 = 18: 46 per row.
    /// Backward per row: softmax 20, - onehot 4, / N 4; sum over rows 4; da @ W.T 24; X.T @ da 24.
    @Test func statsOfABatchCrossEntropy() {
        let sized = runSymdiff(["stats", Self.batchCrossEntropy, "--dim", "N=5"])
        #expect(sized.stdout == """
            inputs                                                  4
            forward ops (one per array operation)                   4
            backward ops (staged)                                   10
            (forward + backward) / forward                          3.50
            closed-form partials, each as a tree                    38
            closed-form partials, shared subexpressions once        14
            forward flops                                           230
            backward flops (staged)                                 400
            (forward + backward) / forward flops                    2.74
            closed-form partials flops, shared subexpressions once  561

            """)
        #expect(sized.status == 0)
        // Without --dim the counts keep N.
        let symbolic = runSymdiff(["stats", Self.batchCrossEntropy])
        #expect(symbolic.stdout.hasSuffix("""
            forward flops                                           46*N
            backward flops (staged)                                 80*N
            (forward + backward) / forward flops                    2.74
            closed-form partials flops, shared subexpressions once  112*N + 1

            """))
    }

    @Test func statsRefusesDimForAScalarProgram() {
        let run = runSymdiff(["stats", "x*y", "--dim", "N=3"])
        #expect(run.stderr == "error: --dim sets 'N', but the program declares no shapes, so it has no named dimensions\n")
        #expect(run.status == 1)
        #expect(runSymdiff(["stats", "x*y", "--dim", "N=x"]).status == 2)
    }

    @Test func graphWithArraysIsValidDOT() throws {
        let run = runSymdiff(["graph", Self.batchCrossEntropy, "--dim", "N=1", "--backward",
                              "--at", "X=[[1,2,3]],W=[[1,0,0,1],[0,1,0,1],[0,0,1,1]],b=[0,0,0,1],y=[2]"])
        #expect(run.status == 0)
        #expect(run.stderr == "")
        #expect(run.stdout.contains(#"n3 [label="y\nint (1,)\nvalue [2]", shape=ellipse"#))
        #expect(run.stdout.contains(#"n5 [label="c = broadcast_to(b, (N, 4))\n(1, 4)\nvalue [[0.0, 0.0, 0.0, 1.0]]"#))
        #expect(run.stdout.contains(#"n5 -> n2 [label="sum(dc, axis=0)\ncontributes [0.0024123349551562205, 0.00655740627275772, -0.9821751216869393, 0.9732053804590254]""#))
        let dot = Process()
        dot.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        dot.arguments = ["dot", "-Tsvg", "-o", "/dev/null"]
        let input = Pipe()
        dot.standardInput = input
        try dot.run()
        input.fileHandleForWriting.write(Data(run.stdout.utf8))
        try input.fileHandleForWriting.close()
        dot.waitUntilExit()
        #expect(dot.terminationStatus == 0, "Graphviz's dot rejected the output (install graphviz if it is missing: scripts/test does)")
    }

    @Test func graphRefusesAPointOfTheWrongShape() {
        let run = runSymdiff(["graph", Self.normSquared, "--at", "W=[[1,2],[3,4]],x=[1,2,3]"])
        #expect(run.stderr == "error: input 'x' is declared with shape (2,), but its value has shape (3,)\n")
        #expect(run.stdout == "")
        #expect(run.status == 1)
    }
}
