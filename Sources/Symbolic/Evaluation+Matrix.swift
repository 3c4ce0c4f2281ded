import Foundation

/// A matrix function evaluated where its answer is unreliable or undefined: the stage, and what
/// happened there in words.
public struct MatrixWarning: Hashable, Sendable {
    /// The staged equation's name.
    public let equation: String
    /// What is wrong and what it does to the value and the gradient.
    public let message: String
}

extension Gradient {
    /// A condition number (1-norm) from which on a matrix counts as nearly singular: about 12
    /// of the 16 significant digits of its inverse, and of every gradient through it, may be
    /// lost.
    public static let nearlySingularCondition = 1e12

    /// The warnings for every staged `inv`, `det` and `logdet` whose matrix is singular (an
    /// exactly zero pivot of the LU factorisation), nearly singular (condition number at least
    /// `nearlySingularCondition`), or, for logdet, has a negative determinant.
    func matrixWarnings(_ values: [Tensor?]) -> [MatrixWarning] {
        var found: [MatrixWarning] = []
        for eq in staged.equations {
            guard case .tensor(.matrix(let op)) = graph[eq.node].op else { continue }
            switch op {
            case .inverse, .det, .logdet: break
            case .trace, .identity: continue
            }
            guard let a = graph[eq.node].children.first.flatMap({ values[$0.int] }), a.rank == 2,
                  a.scalars.allSatisfy(\.isFinite) else { continue }
            let n = a.sizes[0]
            let factors = LUFactorization(a)
            let consequence: String
            switch op {
            case .inverse: consequence = "inv has inf or nan elements"
            case .det: consequence = "det is 0 and its gradient det(A) * inv(A).T is nan"
            case .logdet: consequence = "logdet is -inf and its gradient inv(A).T has inf or nan elements"
            case .trace, .identity: consequence = ""
            }
            if let column = factors.zeroPivot {
                found.append(MatrixWarning(equation: eq.name,
                                           message: "the matrix is singular (pivot 0 in column \(column) of its LU factorisation): \(consequence)"))
                continue
            }
            let condition = LUFactorization.conditionNumber(a.scalars, n: n)
            if condition >= Gradient.nearlySingularCondition {
                let digits = Swift.min(16, Int(log10(condition)))
                found.append(MatrixWarning(equation: eq.name, message: "the matrix is nearly singular (condition number "
                    + String(format: "%.1e", condition) + " in the 1-norm): about \(digits) of the 16 significant digits of its inverse, and of the gradient, may be lost"))
            }
            if op == .logdet, factors.determinant < 0 {
                found.append(MatrixWarning(equation: eq.name,
                                           message: "the determinant is negative (" + Tensor.formatElement(factors.determinant)
                                               + "), so logdet, its logarithm, is nan; log(abs(det(A))) is the log of its magnitude"))
            }
        }
        return found
    }
}
