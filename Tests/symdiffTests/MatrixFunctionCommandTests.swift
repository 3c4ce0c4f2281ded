import Foundation
import Testing

/// trace, inv, det and logdet end to end through the built binary: values at literal matrices
/// (checked against NumPy: np.linalg.det gives 17.999999999999996 for the first, its
/// exp(slogdet); the product of the LU pivots is exactly 18), the closed forms matrix calculus
/// writes, the staged backward pass, and warnings, not crashes, at singular matrices.
@Suite struct MatrixFunctionCommandTests {
    static let spd = "A=[[2,1,0],[1,3,1],[0,1,4]]"

    @Test func detAtALiteralMatrixAndItsGradientTheCofactorMatrix() {
        let run = runSymdiff(["eval", "A: (3, 3); det(A)", "--at", Self.spd])
        #expect(run.stdout == """
            f = 18
            df/dA = [[11.0, -4.0,  1.0],
                     [-4.0,  8.0, -2.0],
                     [ 1.0, -2.0,  5.0]]

            """)
        #expect(run.stderr == "")
        #expect(run.status == 0)
    }

    @Test func logdetAtALiteralMatrixAndItsGradientTheTransposedInverse() {
        // NumPy: np.linalg.slogdet(A)[1] = 2.8903717578961645, np.linalg.inv(A).T as below.
        let run = runSymdiff(["eval", "A: (3, 3); logdet(A)", "--at", Self.spd])
        #expect(run.stdout == """
            f = 2.8903717578961645
            df/dA = [[ 0.6111111111111112 , -0.22222222222222224,  0.05555555555555556],
                     [-0.22222222222222224,  0.4444444444444445 , -0.11111111111111112],
                     [ 0.05555555555555556, -0.11111111111111112,  0.2777777777777778 ]]

            """)
        #expect(run.status == 0)
    }

    @Test func invAndTraceAtALiteralMatrix() {
        let inverse = runSymdiff(["eval", "A: (2, 2); inv(A)", "--at", "A=[[4,7],[2,6]]"])
        #expect(inverse.stdout == "f = [[ 0.6000000000000001, -0.7000000000000001],\n     [-0.2               ,  0.4               ]]\n")
        #expect(inverse.status == 0)
        let trace = runSymdiff(["eval", "A: (2, 2); trace(A)", "--at", "A=[[4,7],[2,6]]"])
        #expect(trace.stdout == "f = 10\ndf/dA = [[1.0, 0.0],\n         [0.0, 1.0]]\n")
    }

    @Test func logOfAbsDetComposesElementWiseAndGivesTheTransposedInverse() {
        let run = runSymdiff(["eval", "A: (2, 2); log(abs(det(A)))", "--at", "A=[[1,2],[3,4]]"])
        #expect(run.stdout == """
            f = 0.6931471805599453
            df/dA = [[-1.9999999999999998 ,  1.4999999999999998 ],
                     [ 1.0                , -0.49999999999999994]]

            """)
        #expect(run.stderr == "")
    }

    @Test func aBatchOfMatricesWorksOnTheLastTwoAxesLikeNumPy() {
        // NumPy: np.linalg.det(A).sum() + np.linalg.slogdet(A)[1].sum() + np.trace(A, axis1=-2, axis2=-1).sum().
        let run = runSymdiff(["eval", "A: (2, 2, 2); sum(det(A)) + sum(logdet(A)) + sum(trace(A))", "--at", "A=[[[2,1],[1,3]],[[4,1],[0,2]]]"])
        #expect(run.stdout == """
            f = 27.688879454113938
            df/dA = [[[ 4.6  , -1.2  ],
                      [-1.2  ,  3.4  ]],

                     [[ 3.25 ,  0.0  ],
                      [-1.125,  5.5  ]]]

            """)
        #expect(run.stderr == "")
        #expect(runSymdiff(["grad", "A: (B, 3, 3); sum(logdet(A))"]).stdout == "df/dA = inv(A).T\n")
    }

    @Test func closedFormsReadAsMatrixCalculusWritesThem() {
        let cases: [(String, String)] = [
            ("A: (3, 3); logdet(A)", "df/dA = inv(A).T\n"),
            ("A: (3, 3); det(A)", "df/dA = det(A)*inv(A).T\n"),
            ("A: (3, 3); trace(A)", "df/dA = eye(3)\n"),
            ("A: (3, 3); B: (3, 3); trace(A @ B)", "df/dA = B.T\ndf/dB = A.T\n"),
            ("A: (3, 3); trace(A @ A)", "df/dA = 2*A.T\n"),
            // The identity is dropped from products and transposes (it was `eye(N).T @ ...`).
            ("A: (N, N); sum(eye(N) @ A)", "df/dA = broadcast_to(1, (N, N))\n"),
            ("A: (3, 3); B: (3, 3); trace(eye(3) @ A @ B)", "df/dA = B.T\ndf/dB = A.T\n"),
            ("A: (3, 3); x: (3,); x @ inv(A) @ x", "df/dA = -(inv(A).T @ outer(x, x) @ inv(A).T)\ndf/dx = x @ inv(A) + inv(A) @ x\n"),
        ]
        for (source, want) in cases {
            let run = runSymdiff(["grad", source])
            #expect(run.stdout == want, "\(source)")
            #expect(run.status == 0)
        }
        #expect(runSymdiff(["grad", "A: (3, 3); logdet(A)", "--format", "latex"]).stdout == "\\frac{\\partial f}{\\partial A} = A^{-\\top}\n")
        #expect(runSymdiff(["grad", "A: (3, 3); logdet(A) + trace(inv(A))", "--format", "latex"]).stdout
            == "\\frac{\\partial f}{\\partial A} = A^{-\\top} - A^{-\\top} A^{-\\top}\n")
        #expect(runSymdiff(["grad", "A: (3, 3); logdet(A)", "--format", "json"]).stdout == "{\"gradient\": {\"A\": \"inv(A).T\"}}\n")
    }

    @Test func stagedBackwardPassWritesEachVJPWithExistingOps() {
        let run = runSymdiff(["stage", "--backward", "A: (3, 3); logdet(A)"])
        #expect(run.stdout == """
            # forward pass
            out = logdet(A)  # ()
            # backward pass (d<name> is dout/d<name>)
            dA = inv(A).T  # (3, 3)

            """)
    }

    @Test func singularMatrixIsAWarningNamingTheStageNotACrash() {
        let det = runSymdiff(["eval", "A: (2, 2); det(A)", "--at", "A=[[1,2],[2,4]]"])
        #expect(det.status == 0)
        #expect(det.stdout == "f = 0\ndf/dA = [[nan, nan],\n         [nan, nan]]\n")
        #expect(det.stderr == """
            warning: 'out = det(A)': the matrix is singular (pivot 0 in column 1 of its LU factorisation): det is 0 and its gradient det(A) * inv(A).T is nan

            """)
        let inverse = runSymdiff(["eval", "A: (2, 2); inv(A)", "--at", "A=[[0,0],[0,0]]"])
        #expect(inverse.status == 0)
        #expect(inverse.stdout == "f = [[nan, nan],\n     [nan, inf]]\n")
        #expect(inverse.stderr.hasPrefix("""
            warning: 'out = inv(A)': the matrix is singular (pivot 0 in column 0 of its LU factorisation): inv has inf or nan elements
            warning: 'out = inv(A)' has a nan or infinite element at this point (the first stage that does)

            """))
        let logdet = runSymdiff(["eval", "A: (2, 2); x: (2,); logdet(A) + sum(x)", "--at", "A=[[1,2],[2,4]],x=[1,2]"])
        #expect(logdet.status == 0)
        #expect(logdet.stdout.hasPrefix("f = -inf\n"))
        #expect(logdet.stderr.hasPrefix("""
            warning: 'a = logdet(A)': the matrix is singular (pivot 0 in column 1 of its LU factorisation): logdet is -inf and its gradient inv(A).T has inf or nan elements

            """))
    }

    /// A matrix function of a constant has no stage of its own: the warning names it by its
    /// printed form (it used to say nothing).
    @Test func singularConstantMatrixIsAWarningNamingTheExpression() {
        let run = runSymdiff(["eval", "x: (2,); sum(x * det([[1,2],[2,4]])) + trace(inv([[0,0],[0,0]]))", "--at", "x=[1,-1]"])
        #expect(run.status == 0)
        #expect(run.stderr.hasPrefix("""
            warning: 'det([[1, 2], [2, 4]])': the matrix is singular (pivot 0 in column 1 of its LU factorisation): det is 0 and its gradient det(A) * inv(A).T is nan
            warning: 'inv([[0, 0], [0, 0]])': the matrix is singular (pivot 0 in column 0 of its LU factorisation): inv has inf or nan elements

            """), "\(run.stderr)")
    }

    @Test func nearlySingularMatrixWarnsWithItsConditionNumber() {
        let run = runSymdiff(["eval", "A: (2, 2); inv(A)", "--at", "A=[[1, 1], [1, 1.00000000000001]]", "--format", "json"])
        #expect(run.status == 0)
        #expect(run.stderr.hasPrefix("""
            warning: 'out = inv(A)': the matrix is nearly singular (condition number 4.0e+14 in the 1-norm): about 14 of the 16 significant digits of its inverse, and of the gradient, may be lost

            """))
        // A well-conditioned matrix gives no warning.
        #expect(runSymdiff(["eval", "A: (2, 2); inv(A)", "--at", "A=[[4,7],[2,6]]", "--format", "json"]).stderr.contains("singular") == false)
    }

    @Test func logdetOfANegativeDeterminantIsNanWithAWarning() {
        let run = runSymdiff(["eval", "A: (2, 2); logdet(A)", "--at", "A=[[1,2],[3,4]]"])
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("f = nan\n"))
        #expect(run.stderr == """
            warning: 'out = logdet(A)': the determinant is negative (-2.0), so logdet, its logarithm, is nan; log(abs(det(A))) is the log of its magnitude
            warning: 'out = logdet(A)' has a nan or infinite element at this point (the first stage that does)

            """)
    }

    @Test func aNonSquareMatrixIsAShapeErrorAtTheCall() {
        let run = runSymdiff(["grad", "A: (2, 3); det(A)"])
        #expect(run.status == 1)
        #expect(run.stdout == "")
        #expect(run.stderr == """
            input:1:12: error: det expects a square matrix (n, n), or a batch of them (..., n, n), got shape (2,3)
            A: (2, 3); det(A)
                       ^~~~~~
            note: det is defined for a square matrix (n, n), or a batch of them (..., n, n)

            """)
        let size = runSymdiff(["grad", "A: (2, 2); sum(A * eye(0))"])
        #expect(size.status == 1)
        #expect(size.stderr.contains("error: the size of eye(n) must be a positive integer or a dimension an input declares"))
    }

    @Test func checkAgreesWithFiniteDifferencesForEveryMatrixFunction() {
        let run = runSymdiff(["check", "A: (3, 3); x: (3,); logdet(A @ A.T + eye(3)) + det(A) * trace(A) + x @ inv(A + 5 * eye(3)) @ x"])
        #expect(run.status == 0)
        #expect(run.stdout.hasSuffix("ok: the symbolic gradient agrees with central finite differences\n"))
    }
}
