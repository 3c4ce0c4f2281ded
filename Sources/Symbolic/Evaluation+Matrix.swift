#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
        // Staged equations by their names; a matrix function inside a constant expression (no
        // equation of its own: `eval 'inv([[0, 0], [0, 0]])'`) by its printed form.
        var equationNames = NodeMap<String>()
        for eq in staged.equations { equationNames[eq.node] = eq.name }
        let printer = Printer(graph, InputLanguage(spaced: true))
        for id in graph.reachable(from: [staged.output]) {
            guard case .tensor(.matrix(let op)) = graph[id].op else { continue }
            let eq = (node: id, name: equationNames[id] ?? printer.printed(id, names: { equationNames[$0] }).text)
            switch op {
            case .inverse, .det, .logdet: break
            case .trace, .identity: continue
            }
            guard let a = graph[eq.node].children.first.flatMap({ values[$0.int] }), a.rank >= 2,
                  a.scalars.allSatisfy(\.isFinite) else { continue }
            let consequence: String
            switch op {
            case .inverse: consequence = "inv has inf or nan elements"
            case .det: consequence = "det is 0 and its gradient det(A) * inv(A).T is nan"
            case .logdet: consequence = "logdet is -inf and its gradient inv(A).T has inf or nan elements"
            case .trace, .identity: consequence = ""
            }
            // In a batch, the first matrix of each kind of trouble is named by its flat index.
            let blocks = MatrixOp.matrices(of: a)
            var reported = Set<Int>()
            for (index, (m, n)) in blocks.enumerated() {
                let which = blocks.count > 1 || a.rank > 2 ? "matrix \(index) of the batch" : "the matrix"
                let factors = LUFactorization(m, n: n)
                if let column = factors.zeroPivot {
                    if reported.insert(0).inserted {
                        found.append(MatrixWarning(equation: eq.name,
                                                   message: "\(which) is singular (pivot 0 in column \(column) of its LU factorisation): \(consequence)"))
                    }
                    continue
                }
                let condition = LUFactorization.conditionNumber(m, n: n)
                if condition >= Gradient.nearlySingularCondition, reported.insert(1).inserted {
                    let digits = Swift.min(16, Int(log10(condition)))
                    found.append(MatrixWarning(equation: eq.name, message: "\(which) is nearly singular (condition number "
                        + CFormat.string("%.1e", condition) + " in the 1-norm): about \(digits) of the 16 significant digits of its inverse, and of the gradient, may be lost"))
                }
                if op == .logdet, factors.determinant < 0, reported.insert(2).inserted {
                    let subject = which == "the matrix" ? "the determinant" : "the determinant of \(which)"
                    found.append(MatrixWarning(equation: eq.name,
                                               message: "\(subject) is negative (" + Tensor.formatElement(factors.determinant)
                                                   + "), so logdet, its logarithm, is nan; log(abs(det(A))) is the log of its magnitude"))
                }
            }
        }
        return found
    }
}
