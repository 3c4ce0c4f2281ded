/// Element-wise arithmetic with NumPy broadcasting, and its adjoint, the sum back to a shape.
extension Tensor {
    /// `f` applied to every element; the shape is unchanged.
    public func map(_ f: (Double) -> Double) -> Tensor {
        Tensor(unchecked: sizes, scalars.map(f))
    }

    /// `f(a, b)` element by element after broadcasting `a` and `b` to a common shape (NumPy's
    /// rule; `(6,5,3)` with `(6,5)` throws `ShapeError.notBroadcastable`).
    public static func zip(_ a: Tensor, _ b: Tensor, _ f: (Double, Double) -> Double) throws(TensorError) -> Tensor {
        if a.sizes == b.sizes {
            var out = [Double](repeating: 0, count: a.count)
            for i in 0..<a.count { out[i] = f(a.scalars[i], b.scalars[i]) }
            return Tensor(unchecked: a.sizes, out)
        }
        let resultSizes = try broadcastSizes(a.sizes, b.sizes)
        var cursor = BroadcastCursor(sizes: resultSizes, operands: [a.sizes, b.sizes])
        let count = resultSizes.reduce(1, *)
        var out = [Double](repeating: 0, count: count)
        for i in 0..<count {
            out[i] = f(a.scalars[cursor.offsets[0]], b.scalars[cursor.offsets[1]])
            cursor.advance()
        }
        return Tensor(unchecked: resultSizes, out)
    }

    /// The result sizes of broadcasting, as `Tensor` errors.
    static func broadcastSizes(_ a: [Int], _ b: [Int]) throws(TensorError) -> [Int] {
        do {
            // Both shapes are fixed, so the result is too.
            return try TensorShape.broadcast(TensorShape(a), TensorShape(b)).requireSizes()
        } catch { throw .shape(error) }
    }

    /// The values stretched to `target` (NumPy's `broadcast_to`): `target` must be what
    /// broadcasting this shape with `target` gives.
    public func broadcast(to target: [Int]) throws(TensorError) -> Tensor {
        guard try Tensor.broadcastSizes(sizes, target) == target else {
            throw .shape(TensorShape.notBroadcastableTo(shape, TensorShape(target)))
        }
        if target == sizes { return self }
        var cursor = BroadcastCursor(sizes: target, operands: [sizes])
        let count = target.reduce(1, *)
        var out = [Double](repeating: 0, count: count)
        for i in 0..<count {
            out[i] = scalars[cursor.offsets[0]]
            cursor.advance()
        }
        return Tensor(unchecked: target, out)
    }

    /// The adjoint of broadcasting ("unbroadcast"): sums this gradient over the axes that were
    /// stretched when an operand of shape `target` was broadcast to this shape, giving a tensor
    /// of exactly `target`'s shape. The backward pass of `a + b` with `a: (2, 3)`, `b: (3,)`
    /// passes the upstream to `a` and its column sums to `b`.
    public func sum(toShape target: [Int]) throws(TensorError) -> Tensor {
        guard target.count <= rank, try Tensor.broadcastSizes(target, sizes) == sizes else {
            throw .shape(TensorShape.notBroadcastableTo(TensorShape(target), shape))
        }
        if target == sizes { return self }
        let targetCount = target.reduce(1, *)
        var out = [Double](repeating: 0, count: targetCount)
        var cursor = BroadcastCursor(sizes: sizes, operands: [target])
        for i in 0..<count {
            out[cursor.offsets[0]] += scalars[i]
            cursor.advance()
        }
        return Tensor(unchecked: target, out)
    }
}

/// Walks the elements of a result shape in row-major order while tracking the matching offset
/// in each broadcast operand (stride 0 on the axes an operand is stretched along), so a loop
/// over the result never computes a multi-index from scratch.
struct BroadcastCursor {
    let sizes: [Int]
    /// Per operand, per result axis, the operand's stride (0 when broadcast).
    let strides: [[Int]]
    var index: [Int]
    /// The current offset into each operand.
    var offsets: [Int]

    /// `operands` must each broadcast to `sizes` (checked by the callers).
    init(sizes: [Int], operands: [[Int]]) {
        self.sizes = sizes
        self.strides = operands.map { BroadcastCursor.alignedStrides($0, to: sizes) }
        self.index = [Int](repeating: 0, count: sizes.count)
        self.offsets = [Int](repeating: 0, count: operands.count)
    }

    /// Row-major strides of `operand`, right-aligned to `result`, 0 where it is padded or 1.
    static func alignedStrides(_ operand: [Int], to result: [Int]) -> [Int] {
        let own = TensorShape.strides(operand)
        let pad = result.count - operand.count
        return (0..<result.count).map { axis in
            axis < pad || operand[axis - pad] == 1 ? 0 : own[axis - pad]
        }
    }

    /// Moves to the next element (wrapping to the start after the last one).
    mutating func advance() {
        var axis = sizes.count - 1
        while axis >= 0 {
            index[axis] += 1
            for k in offsets.indices { offsets[k] += strides[k][axis] }
            if index[axis] < sizes[axis] { return }
            for k in offsets.indices { offsets[k] -= strides[k][axis] * sizes[axis] }
            index[axis] = 0
            axis -= 1
        }
    }
}
