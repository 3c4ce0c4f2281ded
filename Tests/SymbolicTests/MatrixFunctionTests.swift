import Foundation
import Testing
@testable import Symbolic

/// The matrix functions beyond the op table's small cases: the LU factorisation on matrices
/// that need pivoting, VJPs at larger random well-conditioned matrices, logdet where det
/// overflows, and the warnings at singular, nearly singular and negative-determinant matrices.
@Suite struct MatrixFunctionTests {
    static func random(_ n: Int, seed: UInt64, diagonal: Double) throws -> Tensor {
        var rng = SplitMix64(seed: seed)
        var scalars = (0..<(n * n)).map { _ in Double.random(in: -1...1, using: &rng) }
        for i in 0..<n { scalars[i * n + i] += diagonal }
        return try Tensor(shape: [n, n], scalars: scalars)
    }

    @Test func luPivotsWhereTheDiagonalIsZeroAndCountsTheSwaps() throws {
        #expect(LUFactorization([0, 1, 1, 0], n: 2).determinant == -1)
        #expect(LUFactorization([0, 2, 1, 1, 1, 1, 2, 1, 0], n: 3).determinant == 3)  // by cofactors: 0 + 4 - 1
        #expect(LUFactorization([5], n: 1).determinant == 5)
        #expect(LUFactorization([5], n: 1).inverse() == [0.2])
        let zero = LUFactorization([0, 0, 0, 0], n: 2)
        #expect(zero.zeroPivot == 0)
        #expect(zero.determinant == 0)
        #expect(zero.logDeterminant == -.infinity)
        #expect(LUFactorization([1, 2, 3, 4], n: 2).logDeterminant.isNaN)
        // inv(A) @ A = I at a matrix that needs row swaps.
        let a: [Double] = [0, 2, 1, 1, 1, 1, 2, 1, 0]
        let inverse = LUFactorization(a, n: 3).inverse()
        for i in 0..<3 {
            for j in 0..<3 {
                let product = (0..<3).reduce(0.0) { $0 + inverse[i * 3 + $1] * a[$1 * 3 + j] }
                #expect(Swift.abs(product - (i == j ? 1 : 0)) < 1e-15, "(\(i), \(j)): \(product)")
            }
        }
    }

    @Test func logdetOfALargeMatrixDoesNotOverflowWhereDetDoes() throws {
        let n = 200
        var scalars = [Double](repeating: 0, count: n * n)
        for i in 0..<n { scalars[i * n + i] = 100 }
        let gradient = try Gradient(source: "A: (200, 200); logdet(A) + det(A)")
        let result = try gradient.evaluate(tensors: [try Tensor(shape: [n, n], scalars: scalars)])
        let logdet = try #require(result.forward.first { _ in true })
        #expect(Swift.abs((logdet.scalarValue ?? .nan) - 200 * Foundation.log(100.0)) < 1e-10)
        #expect(result.value.scalarValue == .infinity)
    }

    /// VJPs of every matrix function at random R + n I of sizes 5 and 6, against central
    /// differences of the evaluator's own value, element by element.
    @Test(arguments: [5, 6])
    func vjpsAgreeWithCentralDifferencesAtLargerMatrices(n: Int) throws {
        let source = "A: (\(n), \(n)); B: (\(n), \(n)); logdet(A) + det(A) / 100 + trace(A @ B) + sum(inv(A) * B)"
        let gradient = try Gradient(source: source)
        let a = try Self.random(n, seed: UInt64(n), diagonal: Double(n))
        let b = try Self.random(n, seed: UInt64(n) + 100, diagonal: 0)
        let result = try gradient.evaluate(tensors: [a, b])
        #expect(result.matrixWarnings.isEmpty)
        let h = 1e-6
        for (index, point) in [a, b].enumerated() {
            let got = try #require(result.gradient[index])
            for i in 0..<(n * n) {
                var plus = [a, b], minus = [a, b]
                plus[index].scalars[i] += h
                minus[index].scalars[i] -= h
                let fp = try gradient.evaluate(tensors: plus).value.scalarValue ?? .nan
                let fm = try gradient.evaluate(tensors: minus).value.scalarValue ?? .nan
                let want = (fp - fm) / (2 * h)
                #expect(Swift.abs(got.scalars[i] - want) <= 1e-6 * (1 + Swift.abs(want)),
                        "d\(["A", "B"][index])[\(i)] = \(got.scalars[i]), central difference \(want) (point element \(point.scalars[i]))")
            }
        }
    }

    @Test func singularNearlySingularAndNegativeDeterminantWarnings() throws {
        let gradient = try Gradient(source: "A: (2, 2); det(A) + logdet(A) + sum(inv(A)) + trace(A)")
        let singular = try gradient.evaluate(tensors: [try Tensor(shape: [2, 2], scalars: [1, 2, 2, 4])])
        #expect(singular.matrixWarnings.map(\.message) == [
            "the matrix is singular (pivot 0 in column 1 of its LU factorisation): det is 0 and its gradient det(A) * inv(A).T is nan",
            "the matrix is singular (pivot 0 in column 1 of its LU factorisation): logdet is -inf and its gradient inv(A).T has inf or nan elements",
            "the matrix is singular (pivot 0 in column 1 of its LU factorisation): inv has inf or nan elements",
        ])
        // Each warning names its own stage (trace has none: it is defined everywhere).
        #expect(Set(singular.matrixWarnings.map(\.equation)).count == 3)

        let nearly = try gradient.evaluate(tensors: [try Tensor(shape: [2, 2], scalars: [1, 1, 1, 1 + 1e-14])])
        #expect(nearly.matrixWarnings.count == 3)
        #expect(nearly.matrixWarnings.allSatisfy { $0.message.hasPrefix("the matrix is nearly singular (condition number 4.0e+14 in the 1-norm)") })

        let negative = try gradient.evaluate(tensors: [try Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])])
        #expect(negative.matrixWarnings.map(\.message) == [
            "the determinant is negative (-2.0), so logdet, its logarithm, is nan; log(abs(det(A))) is the log of its magnitude",
        ])
        #expect(negative.value.scalarValue?.isNaN == true)

        let fine = try gradient.evaluate(tensors: [try Tensor(shape: [2, 2], scalars: [4, 7, 2, 6])])
        #expect(fine.matrixWarnings.isEmpty)
        #expect(fine.value.scalarValue?.isFinite == true)
        // A matrix with a nan is left to the non-finite warning, not analysed.
        #expect(try gradient.evaluate(tensors: [try Tensor(shape: [2, 2], scalars: [.nan, 1, 1, 1])]).matrixWarnings.isEmpty)
    }

    @Test func aBatchNamesTheFirstTroubledMatrixByItsIndex() throws {
        let gradient = try Gradient(source: "A: (3, 2, 2); sum(logdet(A))")
        let batch = try Tensor(shape: [3, 2, 2], scalars: [4, 7, 2, 6, 1, 2, 3, 4, 1, 2, 2, 4])
        let result = try gradient.evaluate(tensors: [batch])
        #expect(result.matrixWarnings.map(\.message) == [
            "the determinant of matrix 1 of the batch is negative (-2.0), so logdet, its logarithm, is nan; log(abs(det(A))) is the log of its magnitude",
            "matrix 2 of the batch is singular (pivot 0 in column 1 of its LU factorisation): logdet is -inf and its gradient inv(A).T has inf or nan elements",
        ])
        #expect(result.forward[0].scalars[0] == Foundation.log(10))
    }

    @Test func theSecondDerivativeMachineryCanDifferentiateEveryVJPAgain() throws {
        // Each VJP is built from differentiable ops (inv, det, matmul, transpose, eye), so the
        // backward pass is itself a program with a gradient: its closed forms are finite here.
        let gradient = try Gradient(source: "A: (3, 3); logdet(A) + det(A) + trace(inv(A))")
        let closed = gradient.closedForm()
        let program = Gradient(StagedProgram(ProgramGraph(graph: gradient.graph, inputs: gradient.staged.inputs,
                                                          output: gradient.graph.tensor(.reduction(.sum(axis: nil, keepdims: false)), [closed[0]]))))
        let a = try Self.random(3, seed: 9, diagonal: 3)
        let second = try program.evaluate(tensors: [a])
        #expect(second.gradient[0]?.scalars.allSatisfy(\.isFinite) == true)
        #expect(program.graph.shapeFaults == 0)
    }
}
