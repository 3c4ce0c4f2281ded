/// The shape rules of matmul, reductions and transposes, as NumPy states them.
extension TensorShape {
    /// NumPy's `a @ b`. A 1-D left operand is promoted to a row `(1, k)` and a 1-D right operand
    /// to a column `(k, 1)`, and the added axis is removed from the result; the last axis of
    /// the left must equal the second-to-last of the right (`(5,4) @ (3,8)` fails: 4 != 3);
    /// all other axes are batch axes and broadcast (`(2,5,4) @ (3,2,4,8)` is `(3,2,5,8)`).
    /// Scalars are refused, as NumPy refuses them.
    public static func matmul(_ a: TensorShape, _ b: TensorShape) throws(ShapeError) -> TensorShape {
        guard a.rank > 0, b.rank > 0 else { throw .matmulScalar(a, b) }
        let left = a.rank == 1 ? [.fixed(1)] + a.dimensions : a.dimensions
        let right = b.rank == 1 ? b.dimensions + [.fixed(1)] : b.dimensions
        let k1 = left[left.count - 1], k2 = right[right.count - 2]
        if k1 != k2 {
            switch (k1, k2) {
            case (.fixed, .fixed): throw .matmulCore(a, b, left: k1, right: k2)
            case (.named(let name), _): throw .unresolvedDimension(name: name, shape: a)
            case (_, .named(let name)): throw .unresolvedDimension(name: name, shape: b)
            }
        }
        let batchA = TensorShape(Array(left.dropLast(2))), batchB = TensorShape(Array(right.dropLast(2)))
        let rank = Swift.max(batchA.rank, batchB.rank)
        let pa = batchA.paddedLeft(to: rank), pb = batchB.paddedLeft(to: rank)
        var out = [Dimension](repeating: .fixed(1), count: rank)
        for axis in (0..<rank).reversed() {
            out[axis] = try mergeDimensions(pa[axis], pb[axis], whole: (a, b), axisFromEnd: axis - rank, batch: true)
        }
        if a.rank > 1 { out.append(left[left.count - 2]) }
        if b.rank > 1 { out.append(right[right.count - 1]) }
        let result = TensorShape(out)
        if result.sizes != nil { _ = try result.elementCount() }
        return result
    }

    /// The shape after reducing over every axis (`axis == nil`) or one axis (negative counts
    /// from the end): the axis is removed, or kept as size 1 with `keepdims`.
    public func reduced(axis: Int?, keepdims: Bool = false) throws(ShapeError) -> TensorShape {
        guard let axis else {
            return keepdims ? TensorShape([Dimension](repeating: .fixed(1), count: rank)) : .scalar
        }
        let a = try normalizedAxis(axis)
        var dims = dimensions
        if keepdims { dims[a] = .fixed(1) } else { dims.remove(at: a) }
        return TensorShape(dims)
    }

    /// `A.T`: a scalar or a vector is unchanged (as in NumPy); otherwise the last two axes swap,
    /// so a batch of matrices transposes matrix by matrix (NumPy's `mT`; NumPy's `.T` would
    /// reverse all axes, which is the same up to rank 2).
    public func transposed() -> TensorShape {
        guard rank >= 2 else { return self }
        var dims = dimensions
        dims.swapAt(rank - 1, rank - 2)
        return TensorShape(dims)
    }

    /// NumPy's `transpose(x, axes)`: axis `i` of the result is axis `axes[i]` of `self`
    /// (negative axes count from the end).
    public func permuted(_ axes: [Int]) throws(ShapeError) -> TensorShape {
        let normalized = try TensorShape.checkPermutation(axes, rank: rank)
        return TensorShape(normalized.map { dimensions[$0] })
    }

    /// `axes` normalized, or `badPermutation` when it is not a permutation of `0..<rank`.
    static func checkPermutation(_ axes: [Int], rank: Int) throws(ShapeError) -> [Int] {
        guard axes.count == rank else { throw .badPermutation(axes, rank: rank) }
        var seen = [Bool](repeating: false, count: rank)
        var out: [Int] = []
        for axis in axes {
            guard axis >= -rank, axis < rank else { throw .badPermutation(axes, rank: rank) }
            let a = axis < 0 ? axis + rank : axis
            guard !seen[a] else { throw .badPermutation(axes, rank: rank) }
            seen[a] = true
            out.append(a)
        }
        return out
    }

    /// NumPy's `reshape` of an array of `count` elements: `target` may contain one -1, which
    /// becomes the size that makes the counts equal (`reshape(x, (B, -1))` flattens all but the
    /// first axis). Other negative sizes, two -1s, or a count that does not fit throw
    /// `cannotReshape` in NumPy's words.
    public static func reshape(count: Int, into target: [Int]) throws(ShapeError) -> TensorShape {
        let wildcards = target.indices.filter { target[$0] == -1 }
        guard wildcards.count <= 1, target.allSatisfy({ $0 >= -1 }) else { throw .cannotReshape(size: count, target: target) }
        var known = target
        if let w = wildcards.first { known[w] = 1 }
        let product: Int
        do { product = try checkedCount(known, shape: TensorShape(known)) } catch { throw .cannotReshape(size: count, target: target) }
        if let w = wildcards.first {
            guard product > 0, count % product == 0 else { throw .cannotReshape(size: count, target: target) }
            known[w] = count / product
        } else if product != count {
            throw .cannotReshape(size: count, target: target)
        }
        return TensorShape(known)
    }
}
