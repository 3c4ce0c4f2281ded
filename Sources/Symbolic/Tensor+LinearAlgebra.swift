/// Matrix products and axis permutations, with NumPy's semantics and plain loops.
extension Tensor {
    /// NumPy's `a @ b`: 1-D promotion (a vector is a row on the left, a column on the right,
    /// and that axis is dropped from the result) and batch broadcasting over all axes but the
    /// last two. The shape rule is `TensorShape.matmul`. Each matrix product is the i-k-j loop,
    /// which walks both operands and the result with unit stride in the inner loop.
    public static func matmul(_ a: Tensor, _ b: Tensor) throws(TensorError) -> Tensor {
        let resultSizes: [Int]
        do { resultSizes = try TensorShape.matmul(a.shape, b.shape).requireSizes() } catch { throw .shape(error) }
        let left = a.rank == 1 ? [1] + a.sizes : a.sizes
        let right = b.rank == 1 ? b.sizes + [1] : b.sizes
        let n = left[left.count - 2], k = left[left.count - 1], m = right[right.count - 1]
        let batchA = Array(left.dropLast(2)), batchB = Array(right.dropLast(2))
        let batch = try broadcastSizes(batchA, batchB)
        let batchCount = batch.reduce(1, *)
        var out = [Double](repeating: 0, count: batchCount * n * m)
        // The cursor walks the batch axes; its offsets count whole matrices of each operand.
        var cursor = BroadcastCursor(sizes: batch, operands: [batchA, batchB])
        a.scalars.withUnsafeBufferPointer { pa in
            b.scalars.withUnsafeBufferPointer { pb in
                out.withUnsafeMutableBufferPointer { pc in
                    for t in 0..<batchCount {
                        let aBase = cursor.offsets[0] * n * k, bBase = cursor.offsets[1] * k * m, cBase = t * n * m
                        for i in 0..<n {
                            for p in 0..<k {
                                let aip = pa[aBase + i * k + p]
                                let bRow = bBase + p * m, cRow = cBase + i * m
                                for j in 0..<m { pc[cRow + j] += aip * pb[bRow + j] }
                            }
                        }
                        cursor.advance()
                    }
                }
            }
        }
        return Tensor(unchecked: resultSizes, out)
    }

    /// `A.T`: scalars and vectors unchanged; otherwise the last two axes swap (matrix by matrix
    /// for a batch), matching `TensorShape.transposed()`.
    public func transposed() -> Tensor {
        guard rank >= 2 else { return self }
        var axes = Array(0..<rank)
        axes.swapAt(rank - 1, rank - 2)
        return permutedUnchecked(axes)
    }

    /// NumPy's `transpose(x, axes)`: axis `i` of the result is axis `axes[i]` of this tensor.
    public func permuted(_ axes: [Int]) throws(TensorError) -> Tensor {
        let normalized: [Int]
        do { normalized = try TensorShape.checkPermutation(axes, rank: rank) } catch { throw .shape(error) }
        return permutedUnchecked(normalized)
    }

    /// `axes` is a valid permutation of `0..<rank`.
    func permutedUnchecked(_ axes: [Int]) -> Tensor {
        let own = TensorShape.strides(sizes)
        let newSizes = axes.map { sizes[$0] }
        let sourceStrides = axes.map { own[$0] }
        var out = [Double](repeating: 0, count: count)
        var index = [Int](repeating: 0, count: rank)
        var offset = 0
        for i in 0..<count {
            out[i] = scalars[offset]
            var axis = rank - 1
            while axis >= 0 {
                index[axis] += 1
                offset += sourceStrides[axis]
                if index[axis] < newSizes[axis] { break }
                offset -= sourceStrides[axis] * newSizes[axis]
                index[axis] = 0
                axis -= 1
            }
        }
        return Tensor(unchecked: newSizes, out)
    }
}
