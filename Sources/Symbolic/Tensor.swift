/// A dense array of doubles in row-major (C) order with a shape of known sizes: the values
/// symdiff evaluates tensor programs on. A scalar is shape `()` with one element. A value type;
/// the operations live in `Tensor+*.swift` files by concern (element-wise with broadcasting,
/// linear algebra, reductions, softmax family, text). Every initializer checks the element count
/// against the shape and `TensorShape.maxElements`, so bad input throws and never traps.
public struct Tensor: Equatable, Sendable {
    /// Most axes a tensor may have (NumPy's limit is 64; literals deeper than this are refused
    /// before recursing further).
    public static let maxRank = 32

    /// The size of each axis, outermost first.
    public let sizes: [Int]
    /// The elements, the last axis varying fastest. `scalars.count` is the product of `sizes`.
    public internal(set) var scalars: [Double]

    /// Checks that `scalars` fills `sizes` exactly.
    public init(shape sizes: [Int], scalars: [Double]) throws(TensorError) {
        guard sizes.count <= Tensor.maxRank else { throw .tooDeep(limit: Tensor.maxRank) }
        let shape = TensorShape(sizes)
        let count: Int
        do { count = try TensorShape.checkedCount(sizes, shape: shape) } catch { throw .shape(error) }
        guard count == scalars.count else { throw .countMismatch(shape: shape, count: scalars.count) }
        self.sizes = sizes
        self.scalars = scalars
    }

    /// Internal: the caller guarantees `scalars.count == product(sizes)`.
    init(unchecked sizes: [Int], _ scalars: [Double]) {
        self.sizes = sizes
        self.scalars = scalars
    }

    /// A scalar, shape `()`.
    public init(scalar: Double) {
        self.sizes = []
        self.scalars = [scalar]
    }

    /// A vector, shape `(count,)`.
    public init(vector: [Double]) {
        self.sizes = [vector.count]
        self.scalars = vector
    }

    /// Every element `value`.
    public static func filled(_ value: Double, shape sizes: [Int]) throws(TensorError) -> Tensor {
        let count: Int
        do { count = try TensorShape.checkedCount(sizes, shape: TensorShape(sizes)) } catch { throw .shape(error) }
        return Tensor(unchecked: sizes, [Double](repeating: value, count: count))
    }

    /// The shape as the shape rules see it.
    public var shape: TensorShape { TensorShape(sizes) }
    /// The number of axes.
    public var rank: Int { sizes.count }
    /// The number of elements.
    public var count: Int { scalars.count }
    /// The value of a rank-0 tensor, else nil.
    public var scalarValue: Double? { rank == 0 ? scalars.first : nil }

    /// The same elements under another shape with the same element count (NumPy's reshape;
    /// one size may be -1, see `TensorShape.reshape(count:into:)`).
    public func reshaped(_ newSizes: [Int]) throws(TensorError) -> Tensor {
        let sizes: [Int]
        do { sizes = try TensorShape.reshape(count: count, into: newSizes).requireSizes() } catch { throw .shape(error) }
        return try Tensor(shape: sizes, scalars: scalars)
    }

    /// The elements as integer class labels (for `y: int` inputs), in row-major order; an element
    /// that is not a whole number in Int's range throws `notAnInteger` with its flat index.
    public func labels() throws(TensorError) -> [Int] {
        var out: [Int] = []
        out.reserveCapacity(count)
        for (i, x) in scalars.enumerated() {
            // The bound is exclusive: 2^63 itself rounds to a Double but not to an Int.
            guard x.isFinite, x == x.rounded(), Swift.abs(x) < 9.223372036854775807e18 else {
                throw .notAnInteger(value: x, index: i)
            }
            out.append(Int(x))
        }
        return out
    }

    /// The element at a full index (negative entries count from the end), or nil when the
    /// index has the wrong length or is out of range.
    public func element(at index: [Int]) -> Double? {
        guard index.count == rank else { return nil }
        var offset = 0
        for (axis, i) in index.enumerated() {
            let n = sizes[axis]
            let j = i < 0 ? i + n : i
            guard j >= 0, j < n else { return nil }
            offset = offset * n + j
        }
        return scalars[offset]
    }
}
