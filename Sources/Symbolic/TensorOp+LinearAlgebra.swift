import ExprParse

/// Matrix products and transposes. `matmul` is NumPy's `@` (1-D operands promoted, batch axes
/// broadcast); its VJP is written per case so that the backward pass reads as a TA writes it:
/// `dW = outer(g, x)` and `dx = W.T @ g` for a matrix times a vector, `dA = g @ B.T` for two
/// matrices, with a `sum_to` over batch axes only where broadcasting stretched one.
public enum LinearOp: Hashable, Sendable {
    case matmul
    /// `A.T`: the last two axes swapped (a vector or scalar is unchanged).
    case transpose
    /// `transpose(x, axes=(...))`: axis i of the result is axis `axes[i]` (normalised).
    case permute([Int])
    /// `outer(u, v)` of two vectors: an (m, n) matrix.
    case outer
    /// `dot(u, v)` of two vectors: a scalar.
    case dot
    /// The 2-norm of a vector, the Frobenius norm of anything larger: sqrt(sum(x^2)).
    case norm

    func shape(_ inputs: [TensorShape]) throws(ShapeError) -> TensorShape {
        switch self {
        case .matmul: return try TensorShape.matmul(inputs[0], inputs[1])
        case .transpose: return inputs[0].transposed()
        case .permute(let axes): return try inputs[0].permuted(axes)
        case .outer:
            try LinearOp.requireVector(inputs[0], "outer")
            try LinearOp.requireVector(inputs[1], "outer")
            return TensorShape([inputs[0].dimensions[0], inputs[1].dimensions[0]])
        case .dot:
            try LinearOp.requireVector(inputs[0], "dot")
            try LinearOp.requireVector(inputs[1], "dot")
            _ = try TensorShape.matmul(inputs[0], inputs[1])
            return .scalar
        case .norm: return .scalar
        }
    }

    static func requireVector(_ shape: TensorShape, _ name: String) throws(ShapeError) {
        guard shape.rank == 1 else { throw .wrongRank(operation: name, expected: "a vector (rank 1)", got: shape) }
    }

    func evaluate(_ args: [Tensor]) throws(TensorError) -> Tensor {
        switch self {
        case .matmul: return try Tensor.matmul(args[0], args[1])
        case .transpose: return args[0].transposed()
        case .permute(let axes): return try args[0].permuted(axes)
        case .outer:
            let (u, v) = (args[0], args[1])
            var out = [Double](repeating: 0, count: u.count * v.count)
            for i in 0..<u.count { for j in 0..<v.count { out[i * v.count + j] = u.scalars[i] * v.scalars[j] } }
            return Tensor(unchecked: [u.count, v.count], out)
        case .dot:
            return try Tensor.matmul(args[0], args[1])
        case .norm:
            var s = 0.0
            for v in args[0].scalars { s += v * v }
            return Tensor(scalar: s.squareRoot())
        }
    }

    func vjp(_ index: Int, inputs x: [Term], out: Term, upstream g: Term) -> Term? {
        switch self {
        case .matmul: return LinearOp.matmulVJP(index, x[0], x[1], g)
        case .transpose: return g.transposed()
        case .permute(let axes):
            var inverse = [Int](repeating: 0, count: axes.count)
            for (i, a) in axes.enumerated() { inverse[a] = i }
            return g.tensor(.linear(.permute(inverse)))
        case .outer:
            // d(u v^T): du = g @ v, dv = g.T @ u.
            return index == 0 ? g.matmul(x[1]) : g.transposed().matmul(x[0])
        case .dot:
            return g * x[1 - index]
        case .norm:
            // d||x|| = x / ||x||.
            return x[0] * (g / out)
        }
    }

    /// The VJP of `a @ b` for argument `index`, by the operands' ranks.
    static func matmulVJP(_ index: Int, _ a: Term, _ b: Term, _ g: Term) -> Term {
        let (ra, rb) = (a.shape.rank, b.shape.rank)
        switch (ra, rb) {
        case (1, 1):
            // A dot product: the scalar upstream times the other vector.
            return g * (index == 0 ? b : a)
        case (2, 1):
            return index == 0 ? g.outer(b) : a.transposed().matmul(g)
        case (1, 2):
            return index == 0 ? b.matmul(g) : a.outer(g)
        case (_, 1):
            // A batch of matrices times one vector: g has the batch shape plus (m,).
            let column = g.tensor(.layout(.reshape(TensorShape(g.shape.dimensions + [.fixed(1)]))))
            if index == 0 { return column.broadcast(to: a.shape) * b.broadcast(to: a.shape) }
            return (column.broadcast(to: a.shape) * a).sumTo(b.shape)
        case (1, _):
            // One vector times a batch of matrices: g has the batch shape plus (n,).
            var rowDims = g.shape.dimensions
            rowDims.insert(.fixed(1), at: rowDims.count - 1)
            let row = g.tensor(.layout(.reshape(TensorShape(rowDims)))).broadcast(to: b.shape)
            if index == 1 {
                let column = a.tensor(.layout(.reshape(TensorShape([a.shape.dimensions[0], .fixed(1)]))))
                return column.broadcast(to: b.shape) * row
            }
            return (b * row).tensor(.reduction(.sum(axis: rb - 1, keepdims: false))).sumTo(a.shape)
        default:
            // Matrices, possibly batched: dA = g @ B^T, dB = A^T @ g, summed over batch axes
            // that broadcasting stretched.
            return index == 0 ? g.matmul(b.transposed()).sumTo(a.shape) : a.transposed().matmul(g).sumTo(b.shape)
        }
    }

    var name: String {
        switch self {
        case .matmul: return "matmul"
        case .transpose: return "transpose"
        case .permute: return "transpose"
        case .outer: return "outer"
        case .dot: return "dot"
        case .norm: return "norm"
        }
    }

    /// `a @ b` prints at `Printed.Level.matmul`: inside a sum it needs no parentheses, as an
    /// operand of `*` or `-` it is grouped (`2 * (W.T @ g)`), because `u * W @ x` would mean
    /// `(u * W) @ x`.
    func printed(_ args: [Printed]) -> Printed {
        switch self {
        case .matmul:
            // Left-associative: `A @ B @ C` is `(A @ B) @ C`; a right operand that is itself a
            // product is grouped.
            return Printed(args[0].wrapped(below: Printed.Level.matmul) + " @ " + args[1].wrapped(below: Printed.Level.unary), Printed.Level.matmul)
        case .transpose:
            return Printed(args[0].wrapped(below: Printed.Level.atom) + ".T", Printed.Level.atom)
        case .permute(let axes):
            return TensorOp.call("transpose", [args[0].text], [("axes", DimensionSyntax.tupleText(axes.map(DimensionSyntax.size)))])
        case .outer, .dot, .norm:
            return TensorOp.call(name, args.map(\.text))
        }
    }
}
