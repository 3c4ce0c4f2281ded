import ExprParse

/// Reductions over every element (`axis == nil`) or one axis, NumPy style. Axes are stored
/// normalised (non-negative) once the operand's rank is known. Ties in `max`/`min` send the
/// whole gradient to the first extreme element in row-major order (NumPy's argmax, PyTorch's
/// CPU max), through the `firstExtreme` mask.
public enum Reduction: Hashable, Sendable {
    case sum(axis: Int?, keepdims: Bool)
    case mean(axis: Int?, keepdims: Bool)
    case max(axis: Int?, keepdims: Bool)
    case min(axis: Int?, keepdims: Bool)
    /// The size of the operand's axis `axis` (a scalar), read from its value at run time: how a
    /// named dimension `N` is a number in a formula (the N of a mean's gradient `g / N`). It
    /// prints as the dimension's name, and a program reading `N` gets this node. Not
    /// differentiable.
    case count(axis: Int?)
    /// 1 at the first maximum (or minimum) of each lane, 0 elsewhere; the operand's shape.
    /// The mask that routes a max's gradient. Not differentiable.
    case firstExtreme(max: Bool, axis: Int?)

    public var axis: Int? {
        switch self {
        case .sum(let axis, _), .mean(let axis, _), .max(let axis, _), .min(let axis, _), .count(let axis),
             .firstExtreme(_, let axis):
            return axis
        }
    }

    var keepdims: Bool {
        switch self {
        case .sum(_, let k), .mean(_, let k), .max(_, let k), .min(_, let k): return k
        case .count, .firstExtreme: return false
        }
    }

    func shape(_ inputs: [TensorShape]) throws(ShapeError) -> TensorShape {
        switch self {
        case .sum, .mean, .max, .min: return try inputs[0].reduced(axis: axis, keepdims: keepdims)
        case .count: return .scalar
        case .firstExtreme: return inputs[0]
        }
    }

    func evaluate(_ args: [Tensor]) throws(TensorError) -> Tensor {
        let x = args[0]
        switch self {
        case .sum(let axis, let keepdims): return try x.sum(axis: axis, keepdims: keepdims)
        case .mean(let axis, let keepdims): return try x.mean(axis: axis, keepdims: keepdims)
        case .max(let axis, let keepdims): return try x.max(axis: axis, keepdims: keepdims)
        case .min(let axis, let keepdims): return try x.min(axis: axis, keepdims: keepdims)
        case .count(let axis):
            let l = try x.lanes(axis: axis, keepdims: false)
            return Tensor(scalar: Double(l.length))
        case .firstExtreme(let isMax, let axis):
            let l = try x.lanes(axis: axis, keepdims: false)
            let winners = try x.extreme(axis: axis, keepdims: false, name: isMax ? "max" : "min", better: isMax ? { $0 > $1 } : { $0 < $1 }).indices
            var mask = [Double](repeating: 0, count: x.count)
            for lane in 0..<l.laneCount where l.length > 0 { mask[l.offset(lane: lane, winners[lane])] = 1 }
            return Tensor(unchecked: x.sizes, mask)
        }
    }

    var isDifferentiable: Bool {
        switch self {
        case .sum, .mean, .max, .min: return true
        case .count, .firstExtreme: return false
        }
    }

    /// sum: the upstream spread back over the reduced axis (`broadcast_to`); mean: the same
    /// divided by the lane length; max/min: the spread upstream masked to the first extreme.
    func vjp(_ index: Int, inputs x: [Term], out: Term, upstream g: Term) -> Term? {
        let spread = g.expanded(reducing: axis, keepdims: keepdims, of: x[0].shape)
        switch self {
        case .sum: return spread
        case .mean: return spread / x[0].laneLength(axis)
        case .max: return spread * x[0].tensor(.reduction(.firstExtreme(max: true, axis: axis)))
        case .min: return spread * x[0].tensor(.reduction(.firstExtreme(max: false, axis: axis)))
        case .count, .firstExtreme: return nil
        }
    }

    var name: String {
        switch self {
        case .sum: return "sum"
        case .mean: return "mean"
        case .max: return "max"
        case .min: return "min"
        case .count: return "count"
        case .firstExtreme(let isMax, _): return isMax ? "first_argmax_mask" : "first_argmin_mask"
        }
    }

    func printed(_ args: [Printed], shapes: [TensorShape]) -> Printed {
        switch self {
        case .sum, .mean, .max, .min:
            return TensorOp.call(name, [args[0].text], TensorOp.axisKeywords(axis, keepdims: keepdims))
        case .count(let axis):
            // The dimension's name; only a named axis gets a count node (see `laneLength`).
            let name = axis.flatMap { shapes[0].dimensions.indices.contains($0) ? shapes[0].dimensions[$0].description : nil }
            return Printed(name ?? "size(\(args[0].text))", Printed.Level.atom)
        case .firstExtreme(_, let axis):
            return TensorOp.call(name, [args[0].text], TensorOp.axisKeywords(axis, keepdims: false))
        }
    }
}

extension Term {
    /// How many elements a reduction over `axis` (nil: every axis) combines: a number when the
    /// sizes are known, else a product with a count node per named axis (printed as its name,
    /// `N`), evaluated from the value's shape.
    func laneLength(_ axis: Int?) -> Term {
        let axes = axis.map { [$0] } ?? Array(0..<shape.rank)
        var fixed: Int64 = 1
        var result: Term?
        for a in axes {
            switch shape.dimensions[a] {
            case .fixed(let n): fixed = fixed.multipliedReportingOverflow(by: Int64(n)).partialValue
            case .named:
                let count = tensor(.reduction(.count(axis: a)))
                result = result.map { $0 * count } ?? count
            }
        }
        return result.map { fixed == 1 ? $0 : constant(fixed) * $0 } ?? constant(fixed)
    }

    /// The upstream of a reduction over `axis` of an operand of shape `shape`, stretched back
    /// to that shape: the removed axis is put back as size 1 (`reshape`), then broadcast.
    func expanded(reducing axis: Int?, keepdims: Bool, of shape: TensorShape) -> Term {
        var g = self
        // A scalar upstream stretches to any shape directly.
        if let axis, !keepdims, shape.rank > 0, self.shape.rank > 0 {
            var dims = shape.dimensions
            // Axes are stored normalised; a negative one from a graph built by hand counts from the end.
            dims[(axis % shape.rank + shape.rank) % shape.rank] = .fixed(1)
            g = g.tensor(.layout(.reshape(TensorShape(dims))))
        }
        return g.broadcast(to: shape)
    }
}
