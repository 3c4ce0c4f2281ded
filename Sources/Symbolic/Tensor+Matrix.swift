#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// LU factorisation with partial pivoting of a square row-major matrix, written out (no LAPACK):
/// P A = L U with unit lower L, both stored in `lu`. It gives det, log|det| and the inverse,
/// and says how close to singular the matrix is. A zero pivot is not an error: the column
/// below it is all zeros, elimination skips it, det is 0 and the inverse divides by it
/// (inf/nan), which is what IEEE arithmetic and the emitted code give too; the evaluator warns.
struct LUFactorization {
    let n: Int
    /// L below the diagonal, U on and above it.
    private(set) var lu: [Double]
    /// Row `i` of `lu` is row `rows[i]` of the matrix.
    private(set) var rows: [Int]
    /// +1 or -1: the parity of the row swaps.
    private(set) var sign: Double = 1
    /// The first column whose pivot is exactly 0, if any.
    private(set) var zeroPivot: Int?

    init(_ matrix: Tensor) {
        self.init(matrix.scalars, n: matrix.sizes.first ?? 0)
    }

    init(_ a: [Double], n: Int) {
        self.n = n
        lu = a
        rows = Array(0..<n)
        for k in 0..<n {
            // The largest magnitude in column k at or below the diagonal (the first on ties).
            var p = k
            for i in (k + 1)..<n where Swift.abs(lu[i * n + k]) > Swift.abs(lu[p * n + k]) { p = i }
            if p != k {
                for j in 0..<n { lu.swapAt(k * n + j, p * n + j) }
                rows.swapAt(k, p)
                sign = -sign
            }
            let pivot = lu[k * n + k]
            guard pivot != 0 else {
                if zeroPivot == nil { zeroPivot = k }
                continue
            }
            for i in (k + 1)..<n {
                let m = lu[i * n + k] / pivot
                lu[i * n + k] = m
                for j in (k + 1)..<n { lu[i * n + j] -= m * lu[k * n + j] }
            }
        }
    }

    /// The product of the pivots with the swaps' sign.
    var determinant: Double {
        var d = sign
        for k in 0..<n { d *= lu[k * n + k] }
        return d
    }

    /// log(det): the sum of log|pivot|, plus log of the sign (0 for +1, nan for -1, and -inf
    /// for a zero pivot through log|0|), so that a large matrix does not overflow det first.
    var logDeterminant: Double {
        var s = 0.0
        var negative = sign < 0
        for k in 0..<n {
            let u = lu[k * n + k]
            if u < 0 { negative.toggle() }
            s += log(Swift.abs(u))
        }
        return negative && s != -.infinity ? .nan : s
    }

    /// The inverse, column by column: forward substitution with L, back substitution with U.
    func inverse() -> [Double] {
        var out = [Double](repeating: 0, count: n * n)
        var column = [Double](repeating: 0, count: n)
        for c in 0..<n {
            // Solve L U x = P e_c.
            for i in 0..<n {
                var s = rows[i] == c ? 1.0 : 0.0
                for j in 0..<i { s -= lu[i * n + j] * column[j] }
                column[i] = s
            }
            for i in stride(from: n - 1, through: 0, by: -1) {
                var s = column[i]
                for j in (i + 1)..<n { s -= lu[i * n + j] * column[j] }
                column[i] = s / lu[i * n + i]
            }
            for i in 0..<n { out[i * n + c] = column[i] }
        }
        return out
    }

    /// Matrices larger than this get the pivot ratio instead of the exact condition number,
    /// which costs an inverse (about three times the factorisation).
    static let exactConditionLimit = 200

    /// The condition number in the 1-norm, ||A||_1 ||inv(A)||_1 (exact, from the inverse),
    /// infinite for a singular matrix. Beyond `exactConditionLimit` it is estimated by the
    /// ratio of the largest to the smallest pivot magnitude (a lower bound, up to a factor n,
    /// of the true condition number).
    static func conditionNumber(_ a: [Double], n: Int) -> Double {
        func norm1(_ m: [Double]) -> Double {
            var best = 0.0
            for j in 0..<n {
                var s = 0.0
                for i in 0..<n { s += Swift.abs(m[i * n + j]) }
                if !(s <= best) { best = s }
            }
            return best
        }
        let factors = LUFactorization(a, n: n)
        if factors.zeroPivot != nil { return .infinity }
        if n > exactConditionLimit {
            let pivots = (0..<n).map { Swift.abs(factors.lu[$0 * n + $0]) }
            return (pivots.max() ?? 1) / (pivots.min() ?? 1)
        }
        let c = norm1(a) * norm1(factors.inverse())
        return c.isNaN ? .infinity : c
    }
}
