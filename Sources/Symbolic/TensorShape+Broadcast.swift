/// NumPy broadcasting. Shapes align on the right; the shorter one is padded on the left with
/// 1s; then on every axis the sizes must be equal or one of them 1, and a 1 stretches to the
/// other size. `(4,) + (4,1,1)` is `(4,1,4)`; `(6,5,3) + (6,5)` fails on the last axis (3 vs 5).
extension TensorShape {
    /// The broadcast shape of `a` and `b`, or `ShapeError.notBroadcastable` naming both shapes.
    public static func broadcast(_ a: TensorShape, _ b: TensorShape) throws(ShapeError) -> TensorShape {
        let rank = Swift.max(a.rank, b.rank)
        let pa = a.paddedLeft(to: rank), pb = b.paddedLeft(to: rank)
        var out = [Dimension](repeating: .fixed(1), count: rank)
        // From the right, as a person checks aligned shapes: the error names the last bad axis
        // ((6,5,3) + (6,5) fails on 3 vs 5, not on 5 vs 6).
        for axis in (0..<rank).reversed() {
            out[axis] = try mergeDimensions(pa[axis], pb[axis], whole: (a, b), axisFromEnd: axis - rank)
        }
        let result = TensorShape(out)
        if result.sizes != nil { _ = try result.elementCount() }
        return result
    }

    /// The broadcast shape of several operands (left to right), `()` for none.
    public static func broadcast(_ shapes: [TensorShape]) throws(ShapeError) -> TensorShape {
        var result = TensorShape.scalar
        for s in shapes { result = try broadcast(result, s) }
        return result
    }

    /// One axis of a broadcast: equal sizes stay, a 1 stretches. A named dimension against a
    /// different one cannot be decided before binding, so it reports the name as unresolved.
    static func mergeDimensions(_ l: Dimension, _ r: Dimension, whole: (TensorShape, TensorShape), axisFromEnd: Int,
                                batch: Bool = false) throws(ShapeError) -> Dimension {
        if l == r { return l }
        if l == .fixed(1) { return r }
        if r == .fixed(1) { return l }
        switch (l, r) {
        case (.fixed, .fixed):
            if batch { throw .matmulBatch(whole.0, whole.1, left: l, right: r) }
            throw .notBroadcastable(whole.0, whole.1, axisFromEnd: axisFromEnd, left: l, right: r)
        case (.named(let name), _):
            throw .unresolvedDimension(name: name, shape: whole.0)
        case (_, .named(let name)):
            throw .unresolvedDimension(name: name, shape: whole.1)
        }
    }

    /// The dimensions padded on the left with 1s up to `rank` (never shortened).
    func paddedLeft(to rank: Int) -> [Dimension] {
        [Dimension](repeating: .fixed(1), count: Swift.max(0, rank - self.rank)) + dimensions
    }

    /// What the backward pass must do to bring a gradient of shape `result` back to `self`, when
    /// `self` was broadcast to `result`: sum over `summedAxes` (axes of `result`, ascending),
    /// then drop the first `droppedLeading` axes (the ones padding added; after the sum they
    /// have size 1). `keptAxes` are the summed axes that stay as size-1 axes of `self` (summed
    /// with keepdims). Throws when `self` does not broadcast to exactly `result`.
    public func unbroadcast(from result: TensorShape) throws(ShapeError) -> Unbroadcast {
        guard try TensorShape.broadcast(self, result) == result, rank <= result.rank else {
            throw TensorShape.notBroadcastableTo(self, result)
        }
        let dropped = result.rank - rank
        var summed: [Int] = Array(0..<dropped)
        var kept: [Int] = []
        for axis in 0..<rank where dimensions[axis] == .fixed(1) && result.dimensions[axis + dropped] != .fixed(1) {
            summed.append(axis + dropped)
            kept.append(axis + dropped)
        }
        return Unbroadcast(summedAxes: summed, keptAxes: kept, droppedLeading: dropped)
    }

    /// The error for "`a` cannot be stretched to `b`", in broadcasting's words.
    static func notBroadcastableTo(_ a: TensorShape, _ b: TensorShape) -> ShapeError {
        let rank = Swift.max(a.rank, b.rank)
        let pa = a.paddedLeft(to: rank), pb = b.paddedLeft(to: rank)
        for axis in (0..<rank).reversed() where pa[axis] != pb[axis] && pa[axis] != .fixed(1) {
            return .notBroadcastable(a, b, axisFromEnd: axis - rank, left: pa[axis], right: pb[axis])
        }
        return .notBroadcastable(a, b, axisFromEnd: -1, left: pa.last ?? .fixed(1), right: pb.last ?? .fixed(1))
    }

    /// The rule applied step by step, as `symdiff shape` prints it, one line each. Never throws:
    /// on failure the last line says which axis fails and why.
    ///
    ///     (4, 2) and (2, 4, 1)
    ///     pad on the left with 1s: (1, 4, 2) and (2, 4, 1)
    ///     stretch the 1s: axis 0: 1 -> 2 (left); axis 2: 1 -> 2 (right)
    ///     result: (2, 4, 2)
    public static func broadcastSteps(_ a: TensorShape, _ b: TensorShape) -> [String] {
        var lines = ["\(a) and \(b)"]
        let rank = Swift.max(a.rank, b.rank)
        let pa = TensorShape(a.paddedLeft(to: rank)), pb = TensorShape(b.paddedLeft(to: rank))
        if a.rank != b.rank {
            lines.append("pad on the left with 1s: \(pa) and \(pb)")
        } else {
            lines.append("same rank, nothing to pad: \(pa) and \(pb)")
        }
        for axis in (0..<rank).reversed() {
            let l = pa.dimensions[axis], r = pb.dimensions[axis]
            if l != r, l != .fixed(1), r != .fixed(1) {
                lines.append("axis \(axis) (\(axis - rank) from the end): \(l) vs \(r): neither is 1, so the shapes do not broadcast")
                return lines
            }
        }
        var stretches: [String] = []
        for axis in 0..<rank {
            let l = pa.dimensions[axis], r = pb.dimensions[axis]
            if l == r { continue }
            if l == .fixed(1) { stretches.append("axis \(axis): 1 -> \(r) (left)") } else { stretches.append("axis \(axis): 1 -> \(l) (right)") }
        }
        lines.append(stretches.isEmpty ? "stretch the 1s: nothing to stretch"
                                       : "stretch the 1s: " + stretches.joined(separator: "; "))
        do {
            lines.append("result: \(try broadcast(a, b))")
        } catch {
            lines.append("error: \(error.description)")
        }
        return lines
    }
}

/// How to undo a broadcast in the backward pass (see `TensorShape.unbroadcast(from:)`): sum the
/// upstream gradient over `summedAxes` keeping dims, then drop the first `droppedLeading` axes.
/// Empty `summedAxes` means the operand was not stretched and the gradient passes as is.
public struct Unbroadcast: Equatable, Sendable {
    /// Axes of the broadcast result to sum over, ascending.
    public let summedAxes: [Int]
    /// The summed axes that the operand keeps as size-1 axes (the others are dropped).
    public let keptAxes: [Int]
    /// How many leading axes padding added (they are summed and then removed).
    public let droppedLeading: Int

    public init(summedAxes: [Int], keptAxes: [Int], droppedLeading: Int) {
        self.summedAxes = summedAxes
        self.keptAxes = keptAxes
        self.droppedLeading = droppedLeading
    }

    /// Whether the gradient needs no sum at all.
    public var isIdentity: Bool { summedAxes.isEmpty }
}
