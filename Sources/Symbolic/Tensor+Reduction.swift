/// Reductions over every element or along one axis, NumPy style (`axis` may be negative,
/// `keepdims` keeps the reduced axis as size 1). Ties in max/min/argmax go to the first
/// extreme element in row-major order (NumPy's argmax), which is also where the backward pass
/// sends the whole gradient. A NaN wins any comparison, as NumPy's max propagates NaN.
extension Tensor {
    /// The layout of a reduction: `outer` independent blocks, each with `length` elements to
    /// combine, spaced `inner` apart. `axis == nil` is one lane over everything.
    struct Lanes {
        let outer: Int, length: Int, inner: Int
        let resultSizes: [Int]
        /// The offset of element `t` of lane `lane` (lanes numbered in result order).
        func offset(lane: Int, _ t: Int) -> Int {
            (lane / inner * length + t) * inner + lane % inner
        }
        var laneCount: Int { outer * inner }
    }

    func lanes(axis: Int?, keepdims: Bool) throws(TensorError) -> Lanes {
        let reduced: [Int]
        do { reduced = try shape.reduced(axis: axis, keepdims: keepdims).requireSizes() } catch { throw .shape(error) }
        guard let axis else { return Lanes(outer: 1, length: count, inner: 1, resultSizes: reduced) }
        let a = axis < 0 ? axis + rank : axis
        return Lanes(outer: sizes[..<a].reduce(1, *), length: sizes[a], inner: sizes[(a + 1)...].reduce(1, *),
                     resultSizes: reduced)
    }

    /// Combines every lane with `body(lanes, lane)`.
    func reduce(axis: Int?, keepdims: Bool, _ body: (Lanes, Int) -> Double) throws(TensorError) -> Tensor {
        let l = try lanes(axis: axis, keepdims: keepdims)
        var out = [Double](repeating: 0, count: l.laneCount)
        for lane in 0..<l.laneCount { out[lane] = body(l, lane) }
        return Tensor(unchecked: l.resultSizes, out)
    }

    /// The sum (0 for an empty lane).
    public func sum(axis: Int? = nil, keepdims: Bool = false) throws(TensorError) -> Tensor {
        try reduce(axis: axis, keepdims: keepdims) { l, lane in
            var s = 0.0
            for t in 0..<l.length { s += scalars[l.offset(lane: lane, t)] }
            return s
        }
    }

    /// The mean (NaN for an empty lane, as NumPy gives with a warning).
    public func mean(axis: Int? = nil, keepdims: Bool = false) throws(TensorError) -> Tensor {
        try reduce(axis: axis, keepdims: keepdims) { l, lane in
            var s = 0.0
            for t in 0..<l.length { s += scalars[l.offset(lane: lane, t)] }
            return s / Double(l.length)
        }
    }

    /// The maximum; an empty lane throws `emptyReduction`.
    public func max(axis: Int? = nil, keepdims: Bool = false) throws(TensorError) -> Tensor {
        try extreme(axis: axis, keepdims: keepdims, name: "max", better: >).values
    }

    /// The minimum; an empty lane throws `emptyReduction`.
    public func min(axis: Int? = nil, keepdims: Bool = false) throws(TensorError) -> Tensor {
        try extreme(axis: axis, keepdims: keepdims, name: "min", better: <).values
    }

    /// The position of the first maximum of each lane (flat row-major position when `axis` is
    /// nil, else the position along `axis`), with the result's sizes.
    public func argmax(axis: Int? = nil, keepdims: Bool = false) throws(TensorError) -> (sizes: [Int], indices: [Int]) {
        let r = try extreme(axis: axis, keepdims: keepdims, name: "argmax", better: >)
        return (r.values.sizes, r.indices)
    }

    /// The position of the first minimum of each lane, like `argmax`.
    public func argmin(axis: Int? = nil, keepdims: Bool = false) throws(TensorError) -> (sizes: [Int], indices: [Int]) {
        let r = try extreme(axis: axis, keepdims: keepdims, name: "argmin", better: <)
        return (r.values.sizes, r.indices)
    }

    /// One pass for max/min and their positions: a later element replaces the best only when
    /// strictly better, so the first of equal extremes wins; the first NaN wins outright.
    func extreme(axis: Int?, keepdims: Bool, name: String,
                 better: (Double, Double) -> Bool) throws(TensorError) -> (values: Tensor, indices: [Int]) {
        let l = try lanes(axis: axis, keepdims: keepdims)
        guard l.length > 0 || l.laneCount == 0 else { throw .emptyReduction(operation: name) }
        var values = [Double](repeating: 0, count: l.laneCount)
        var indices = [Int](repeating: 0, count: l.laneCount)
        for lane in 0..<l.laneCount {
            var best = scalars[l.offset(lane: lane, 0)], bestIndex = 0
            if !best.isNaN {
                for t in 1..<Swift.max(l.length, 1) {
                    let v = scalars[l.offset(lane: lane, t)]
                    if v.isNaN { best = v; bestIndex = t; break }
                    if better(v, best) { best = v; bestIndex = t }
                }
            }
            values[lane] = best
            indices[lane] = bestIndex
        }
        return (Tensor(unchecked: l.resultSizes, values), indices)
    }
}
