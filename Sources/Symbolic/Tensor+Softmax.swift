#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// softmax, log_softmax, logsumexp, cross-entropy and one-hot encoding. Every one subtracts the
/// lane's maximum before exponentiating, so large logits never overflow: cross-entropy at logits
/// (1000, 1001, 1002) with label 2 is 0.4076059644443804, not NaN. The axis defaults to the last
/// (-1); a scalar is one lane of length 1.
extension Tensor {
    /// The lanes for the softmax family: like a reduction, but a scalar is a single lane.
    func softmaxLanes(axis: Int) throws(TensorError) -> Lanes {
        if rank == 0 {
            guard axis == 0 || axis == -1 else { throw .shape(.axisOutOfBounds(axis: axis, rank: 0)) }
            return Lanes(outer: 1, length: 1, inner: 1, resultSizes: [])
        }
        return try lanes(axis: axis, keepdims: true)
    }

    /// The shift that keeps `exp` in range: the lane's maximum, or 0 when that is infinite or
    /// NaN (then the plain formula already gives the right inf, -inf or NaN; SciPy does the same).
    static func stableShift(_ x: Tensor, _ l: Lanes, _ lane: Int) -> Double {
        var m = -Double.infinity
        for t in 0..<l.length {
            let v = x.scalars[l.offset(lane: lane, t)]
            if v.isNaN { return 0 }
            m = Swift.max(m, v)
        }
        return m.isFinite ? m : 0
    }

    /// sum(exp(x - shift)) over one lane.
    static func shiftedExpSum(_ x: Tensor, _ l: Lanes, _ lane: Int, _ shift: Double) -> Double {
        var s = 0.0
        for t in 0..<l.length { s += exp(x.scalars[l.offset(lane: lane, t)] - shift) }
        return s
    }

    /// log(sum(exp(x))) along `axis`, stably; the axis is removed unless `keepdims`.
    public func logsumexp(axis: Int = -1, keepdims: Bool = false) throws(TensorError) -> Tensor {
        let l = try softmaxLanes(axis: axis)
        var out = [Double](repeating: 0, count: l.laneCount)
        for lane in 0..<l.laneCount {
            let m = Tensor.stableShift(self, l, lane)
            out[lane] = m + log(Tensor.shiftedExpSum(self, l, lane, m))
        }
        var sizes = l.resultSizes
        if !keepdims, rank > 0 { sizes.remove(at: axis < 0 ? axis + rank : axis) }
        return Tensor(unchecked: sizes, out)
    }

    /// exp(x) / sum(exp(x)) along `axis`, computed as exp(x - m) / sum(exp(x - m)).
    public func softmax(axis: Int = -1) throws(TensorError) -> Tensor {
        let l = try softmaxLanes(axis: axis)
        var out = scalars
        for lane in 0..<l.laneCount {
            let m = Tensor.stableShift(self, l, lane)
            let s = Tensor.shiftedExpSum(self, l, lane, m)
            for t in 0..<l.length {
                let o = l.offset(lane: lane, t)
                out[o] = exp(scalars[o] - m) / s
            }
        }
        return Tensor(unchecked: sizes, out)
    }

    /// x - logsumexp(x) along `axis`, computed as (x - m) - log(sum(exp(x - m))) so that the
    /// large shared part cancels exactly.
    public func logSoftmax(axis: Int = -1) throws(TensorError) -> Tensor {
        let l = try softmaxLanes(axis: axis)
        var out = scalars
        for lane in 0..<l.laneCount {
            let m = Tensor.stableShift(self, l, lane)
            let logS = log(Tensor.shiftedExpSum(self, l, lane, m))
            for t in 0..<l.length {
                let o = l.offset(lane: lane, t)
                out[o] = (scalars[o] - m) - logS
            }
        }
        return Tensor(unchecked: sizes, out)
    }

    /// -log softmax(z)[label] for one example, `z` of shape (K,), computed as
    /// (m - z[label]) + log(sum(exp(z - m))).
    public static func crossEntropy(logits z: Tensor, label: Int) throws(TensorError) -> Double {
        guard z.rank == 1 else { throw .wrongRank(operation: "cross_entropy", expected: "logits of shape (K,) for one label", got: z.shape) }
        return try crossEntropyRow(z.scalars[...], label: label, row: nil)
    }

    /// The mean over the N rows of -log softmax(z[i])[labels[i]], `z` of shape (N, K) and one
    /// label per row, like PyTorch's `cross_entropy` with the default mean reduction.
    public static func crossEntropy(logits z: Tensor, labels: [Int]) throws(TensorError) -> Double {
        guard z.rank == 2 else { throw .wrongRank(operation: "cross_entropy", expected: "logits of shape (N, K) for N labels", got: z.shape) }
        let n = z.sizes[0], k = z.sizes[1]
        guard labels.count == n else { throw .labelCount(labels: labels.count, rows: n) }
        guard n > 0 else { throw .emptyReduction(operation: "cross_entropy") }
        var total = 0.0
        for i in 0..<n {
            total += try crossEntropyRow(z.scalars[(i * k)..<(i * k + k)], label: labels[i], row: i)
        }
        return total / Double(n)
    }

    /// One row's loss; `row` is only for the error message.
    static func crossEntropyRow(_ z: ArraySlice<Double>, label: Int, row: Int?) throws(TensorError) -> Double {
        guard !z.isEmpty else { throw .emptyReduction(operation: "cross_entropy") }
        guard label >= 0, label < z.count else { throw .labelOutOfRange(label: label, classes: z.count, row: row) }
        var m = -Double.infinity
        for v in z { m = Swift.max(m, v) }
        if z.contains(where: \.isNaN) { return .nan }
        if !m.isFinite { m = 0 }
        var s = 0.0
        for v in z { s += exp(v - m) }
        return (m - z[z.startIndex + label]) + log(s)
    }

    /// One-hot rows: shape `labelSizes + (classes,)`, 1 at each label's class and 0 elsewhere.
    /// One label with `labelSizes == []` gives a vector (classes,).
    public static func onehot(_ labels: [Int], shape labelSizes: [Int] = [], classes: Int) throws(TensorError) -> Tensor {
        let sizes = labelSizes + [classes]
        var out = try filled(0, shape: sizes)
        let expected: Int
        do { expected = try TensorShape.checkedCount(labelSizes, shape: TensorShape(labelSizes)) } catch { throw .shape(error) }
        guard labels.count == expected else {
            throw .countMismatch(shape: TensorShape(labelSizes), count: labels.count)
        }
        for (i, label) in labels.enumerated() {
            guard label >= 0, label < classes else {
                throw .labelOutOfRange(label: label, classes: classes, row: labelSizes.isEmpty ? nil : i)
            }
            out.scalars[i * classes + label] = 1
        }
        return out
    }
}
