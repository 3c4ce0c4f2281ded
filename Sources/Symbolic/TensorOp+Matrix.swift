import ExprParse

/// The matrix functions of matrix calculus on one square matrix `(n, n)`: trace, inverse,
/// determinant and log-determinant, plus the identity `eye(n)` that trace's VJP is written
/// with. Evaluation factorises by LU with partial pivoting (`Tensor+Matrix.swift`); the VJPs
/// are the closed forms a matrix-calculus table gives, written with existing ops so the
/// backward pass reads as one: `dA = g * eye(n)`, `dA = -(inv(A).T @ g @ inv(A).T)`,
/// `dA = g * det(A) * inv(A).T`, `dA = g * inv(A).T`.
///
/// Like NumPy's, each works on the last two axes of a batch `(..., n, n)`, one matrix at a
/// time (trace, det and logdet give shape `(...)`). `logdet` is `log(det(A))`: nan where
/// det(A) < 0 and -inf where it is 0, as `np.log(np.linalg.det(A))` gives, computed from the
/// LU factors so that it does not overflow where det(A) would.
public enum MatrixOp: Hashable, Sendable {
    case trace
    case inverse
    case det
    case logdet
    /// `eye(n)`: the (n, n) identity. No operands; not differentiable (a constant).
    case identity(Dimension)

    func shape(_ inputs: [TensorShape]) throws(ShapeError) -> TensorShape {
        switch self {
        case .trace, .det, .logdet:
            try MatrixOp.requireSquare(inputs[0], name)
            return TensorShape(Array(inputs[0].dimensions.dropLast(2)))
        case .inverse:
            try MatrixOp.requireSquare(inputs[0], name)
            return inputs[0]
        case .identity(let n): return TensorShape([n, n])
        }
    }

    /// A square matrix, or a batch of them: the last two axes the same size or the same named
    /// dimension.
    static func requireSquare(_ shape: TensorShape, _ name: String) throws(ShapeError) {
        let d = shape.dimensions
        guard d.count >= 2, d[d.count - 1] == d[d.count - 2] else {
            throw .wrongRank(operation: name, expected: "a square matrix (n, n), or a batch of them (..., n, n)", got: shape)
        }
    }

    func evaluate(_ args: [Tensor], bindings: [String: Int]) throws(TensorError) -> Tensor {
        let a = args.first ?? Tensor(scalar: 0)
        let batch = Array(a.sizes.dropLast(2))
        switch self {
        case .trace:
            return Tensor(unchecked: batch, MatrixOp.matrices(of: a).map { m, n in
                var s = 0.0
                for i in 0..<n { s += m[i * n + i] }
                return s
            })
        case .inverse:
            return Tensor(unchecked: a.sizes, MatrixOp.matrices(of: a).flatMap { LUFactorization($0, n: $1).inverse() })
        case .det:
            return Tensor(unchecked: batch, MatrixOp.matrices(of: a).map { LUFactorization($0, n: $1).determinant })
        case .logdet:
            return Tensor(unchecked: batch, MatrixOp.matrices(of: a).map { LUFactorization($0, n: $1).logDeterminant })
        case .identity(let d):
            let n: Int
            switch d {
            case .fixed(let size): n = size
            case .named(let name):
                guard let size = bindings[name] else { throw .shape(.unresolvedDimension(name: name, shape: TensorShape([d, d]))) }
                n = size
            }
            var out = try Tensor.filled(0, shape: [n, n])
            for i in 0..<n { out.scalars[i * n + i] = 1 }
            return out
        }
    }

    var isDifferentiable: Bool {
        switch self {
        case .trace, .inverse, .det, .logdet: return true
        case .identity: return false
        }
    }

    /// The row-major (n, n) blocks of a matrix or a batch of them, with n.
    static func matrices(of a: Tensor) -> [([Double], Int)] {
        guard a.rank >= 2 else { return [] }
        let n = a.sizes[a.rank - 1], size = n * n
        guard size > 0 else { return [([Double], Int)](repeating: ([], n), count: a.sizes.dropLast(2).reduce(1, *)) }
        return stride(from: 0, to: a.count, by: size).map { (Array(a.scalars[$0..<($0 + size)]), n) }
    }

    func vjp(_ index: Int, inputs x: [Term], out: Term, upstream g: Term) -> Term? {
        switch self {
        case .trace:
            // d tr(A) = I: the upstream on the diagonal (of each matrix of a batch).
            return g.perMatrix() * x[0].identity()
        case .inverse:
            // d inv(A) = -inv(A) dA inv(A), so dA = -inv(A).T @ G @ inv(A).T.
            let t = out.transposed()
            return -(t.matmul(g).matmul(t))
        case .det:
            // Jacobi's formula: d det(A) = det(A) tr(inv(A) dA), so dA = g * det(A) * inv(A).T.
            return (g * out).perMatrix() * x[0].tensor(.matrix(.inverse)).transposed()
        case .logdet:
            return g.perMatrix() * x[0].tensor(.matrix(.inverse)).transposed()
        case .identity:
            return nil
        }
    }

    var name: String {
        switch self {
        case .trace: return "trace"
        case .inverse: return "inv"
        case .det: return "det"
        case .logdet: return "logdet"
        case .identity: return "eye"
        }
    }

    func printed(_ args: [Printed]) -> Printed {
        switch self {
        case .trace, .inverse, .det, .logdet: return TensorOp.call(name, [args[0].text])
        case .identity(let n): return TensorOp.call(name, [n.description])
        }
    }
}

extension Term {
    /// The identity matrix of this square matrix's size (the last axis).
    func identity() -> Term {
        Term(graph.tensor(.matrix(.identity(shape.dimensions[shape.rank - 1])), []), graph)
    }

    /// One value per matrix of a batch, shaped `(..., 1, 1)` so that it stretches over each
    /// matrix; a scalar stays as it is.
    func perMatrix() -> Term {
        shape.rank == 0 ? self : tensor(.layout(.reshape(TensorShape(shape.dimensions + [.fixed(1), .fixed(1)]))))
    }
}
