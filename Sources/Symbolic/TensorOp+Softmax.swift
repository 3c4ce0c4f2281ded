import ExprParse

/// Softmax and its relatives, computed stably by construction (the maximum of each lane is
/// subtracted before exponentiating), and the one-hot encoding of labels. Their VJPs are the
/// closed forms a course derives: softmax's `p * (g - sum(g * p))`, cross-entropy's
/// `p - onehot(y)` (over N for a batch), not a chain through log and exp.
public enum SoftmaxOp: Hashable, Sendable {
    case softmax(axis: Int)
    case logSoftmax(axis: Int)
    case logsumexp(axis: Int, keepdims: Bool)
    /// `cross_entropy(z, y)`: -log softmax(z)[y] for logits (K,) and one label, the mean over
    /// rows for logits (N, K) and labels (N,).
    case crossEntropy
    /// `onehot(y, K)`: shape `y.shape + (K,)`. Not differentiable (labels are not).
    case onehot(classes: Dimension)

    func shape(_ inputs: [TensorShape]) throws(ShapeError) -> TensorShape {
        switch self {
        case .softmax(let axis), .logSoftmax(let axis):
            _ = try inputs[0].normalizedAxis(axis)
            return inputs[0]
        case .logsumexp(let axis, let keepdims): return try inputs[0].reduced(axis: axis, keepdims: keepdims)
        case .crossEntropy:
            let (z, y) = (inputs[0], inputs[1])
            switch z.rank {
            case 1:
                guard y.rank == 0 else { throw .wrongRank(operation: "cross_entropy", expected: "one label (shape ()) for logits of shape (K,)", got: y) }
            case 2:
                guard y.rank == 1 else { throw .wrongRank(operation: "cross_entropy", expected: "labels of shape (N,) for logits of shape (N, K)", got: y) }
                guard try TensorShape.broadcast(TensorShape([z.dimensions[0]]), y) == TensorShape([z.dimensions[0]]) else {
                    throw .mismatch(operation: "cross_entropy", z, y, reason: "the logits need one row per label")
                }
            default:
                throw .wrongRank(operation: "cross_entropy", expected: "logits of shape (K,) or (N, K)", got: z)
            }
            return .scalar
        case .onehot(let classes): return TensorShape(inputs[0].dimensions + [classes])
        }
    }

    func evaluate(_ args: [Tensor], bindings: [String: Int]) throws(TensorError) -> Tensor {
        switch self {
        case .softmax(let axis): return try args[0].softmax(axis: axis)
        case .logSoftmax(let axis): return try args[0].logSoftmax(axis: axis)
        case .logsumexp(let axis, let keepdims): return try args[0].logsumexp(axis: axis, keepdims: keepdims)
        case .crossEntropy:
            if args[0].rank == 1 {
                let label = try LayoutOp.label(args[1], classes: args[0].count, row: nil)
                return Tensor(scalar: try Tensor.crossEntropy(logits: args[0], label: label))
            }
            return Tensor(scalar: try Tensor.crossEntropy(logits: args[0], labels: args[1].labels()))
        case .onehot(let classes):
            let k: Int
            switch classes {
            case .fixed(let n): k = n
            case .named(let name):
                guard let n = bindings[name] else { throw .shape(.unresolvedDimension(name: name, shape: TensorShape([classes]))) }
                k = n
            }
            return try Tensor.onehot(args[0].labels(), shape: args[0].sizes, classes: k)
        }
    }

    var isDifferentiable: Bool {
        switch self {
        case .softmax, .logSoftmax, .logsumexp, .crossEntropy: return true
        case .onehot: return false
        }
    }

    func vjp(_ index: Int, inputs x: [Term], out: Term, upstream g: Term) -> Term? {
        switch self {
        case .softmax(let axis):
            // p * (g - sum(g * p, axis, keepdims)).
            let inner = (g * out).tensor(.reduction(.sum(axis: axis, keepdims: true)))
            return out * (g - inner.broadcast(to: out.shape))
        case .logSoftmax(let axis):
            // g - softmax(z) * sum(g, axis, keepdims).
            let total = g.tensor(.reduction(.sum(axis: axis, keepdims: true)))
            return g - x[0].tensor(.softmax(.softmax(axis: axis))) * total.broadcast(to: out.shape)
        case .logsumexp(let axis, let keepdims):
            return x[0].tensor(.softmax(.softmax(axis: axis))) * g.expanded(reducing: axis, keepdims: keepdims, of: x[0].shape)
        case .crossEntropy:
            guard index == 0 else { return nil }
            let z = x[0]
            let classes = z.shape.dimensions[z.shape.rank - 1]
            let residual = z.tensor(.softmax(.softmax(axis: z.shape.rank - 1))) - x[1].tensor(.softmax(.onehot(classes: classes)))
            if z.shape.rank == 1 { return g * residual }
            return g * residual / z.laneLength(0)
        case .onehot:
            return nil
        }
    }

    var name: String {
        switch self {
        case .softmax: return "softmax"
        case .logSoftmax: return "log_softmax"
        case .logsumexp: return "logsumexp"
        case .crossEntropy: return "cross_entropy"
        case .onehot: return "onehot"
        }
    }

    /// Axes are stored normalised; the last one is the default and is not written.
    func printed(_ args: [Printed], shapes: [TensorShape]) -> Printed {
        let last = shapes[0].rank - 1
        switch self {
        case .softmax(let axis), .logSoftmax(let axis):
            return TensorOp.call(name, [args[0].text], axis == last ? [] : [("axis", String(axis))])
        case .logsumexp(let axis, let keepdims):
            var keywords: [(String, String)] = axis == last ? [] : [("axis", String(axis))]
            if keepdims { keywords.append(("keepdims", "true")) }
            return TensorOp.call(name, [args[0].text], keywords)
        case .crossEntropy:
            return TensorOp.call(name, args.map(\.text))
        case .onehot(let classes):
            return TensorOp.call(name, [args[0].text, classes.description])
        }
    }
}
