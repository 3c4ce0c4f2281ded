/// One axis length of a tensor: a known integer, or a name (`N`, `B`) that is bound later by the
/// values given or by `--dim N=64`. The shape rules decide what they can without knowing a name
/// (equal names match, a 1 stretches to anything) and report `ShapeError.unresolvedDimension`
/// for the rest, so a caller binds names first (`TensorShape.bound(_:)`) when it needs sizes.
public enum Dimension: Hashable, Sendable, CustomStringConvertible {
    case fixed(Int)
    case named(String)

    /// The integer, or nil for a name not yet bound.
    public var size: Int? {
        switch self {
        case .fixed(let n): return n
        case .named: return nil
        }
    }

    public var description: String {
        switch self {
        case .fixed(let n): return String(n)
        case .named(let name): return name
        }
    }
}

/// The shape of a tensor, NumPy's tuple: rank 0 `()` is a scalar, `(2,)` a vector, `(2, 3)` a
/// matrix with 2 rows. A value type; the rules on it (broadcasting, matmul, reductions,
/// transposes) live in `TensorShape+Broadcast.swift` and `TensorShape+Rules.swift` and throw `ShapeError`.
/// Element counts are overflow-checked and capped at `TensorShape.maxElements`.
/// It is meant to replace the scalar-only placeholder `Shape` in Graph.swift when nodes get
/// shapes (`public typealias Shape = TensorShape` keeps `Node(shape: .scalar)` compiling).
public struct TensorShape: Hashable, Sendable, CustomStringConvertible, ExpressibleByArrayLiteral {
    /// Most elements one tensor may hold (100 million doubles, 800 MB): beyond it symdiff
    /// refuses the shape with `ShapeError.tooManyElements` instead of allocating.
    public static let maxElements = 100_000_000

    /// The axes, outermost first (row-major: the last axis varies fastest).
    public var dimensions: [Dimension]

    public init(_ dimensions: [Dimension]) { self.dimensions = dimensions }

    /// A shape of known sizes.
    public init(_ sizes: [Int]) { self.dimensions = sizes.map(Dimension.fixed) }

    public init(arrayLiteral sizes: Int...) { self.init(sizes) }

    /// `()`, the shape of a scalar.
    public static let scalar = TensorShape([Dimension]())

    /// The number of axes.
    public var rank: Int { dimensions.count }

    /// The sizes when every dimension is known, else nil.
    public var sizes: [Int]? {
        var out: [Int] = []
        out.reserveCapacity(rank)
        for d in dimensions {
            guard let n = d.size else { return nil }
            out.append(n)
        }
        return out
    }

    /// The sizes, or `ShapeError.unresolvedDimension` naming the first unbound dimension.
    public func requireSizes() throws(ShapeError) -> [Int] {
        var out: [Int] = []
        for d in dimensions {
            switch d {
            case .fixed(let n): out.append(n)
            case .named(let name): throw .unresolvedDimension(name: name, shape: self)
            }
        }
        return out
    }

    /// The number of elements (1 for a scalar), checked: a negative size, an overflowing product
    /// or more than `maxElements` throws, never traps.
    public func elementCount() throws(ShapeError) -> Int {
        let sizes = try requireSizes()
        return try TensorShape.checkedCount(sizes, shape: self)
    }

    /// The product of `sizes`, overflow-checked and capped; `shape` is only for the message.
    static func checkedCount(_ sizes: [Int], shape: TensorShape) throws(ShapeError) -> Int {
        var count = 1
        for n in sizes {
            guard n >= 0 else { throw .negativeDimension(shape) }
        }
        // A zero anywhere makes the product 0 even if the others would overflow.
        if sizes.contains(0) { return 0 }
        for n in sizes {
            let (product, overflow) = count.multipliedReportingOverflow(by: n)
            guard !overflow, product <= maxElements else { throw .tooManyElements(shape, limit: maxElements) }
            count = product
        }
        return count
    }

    /// Replaces named dimensions by the sizes in `bindings`; names not bound stay names.
    public func bound(_ bindings: [String: Int]) -> TensorShape {
        TensorShape(dimensions.map { d in
            switch d {
            case .fixed: return d
            case .named(let name): return bindings[name].map(Dimension.fixed) ?? d
            }
        })
    }

    /// Python's tuple spelling, as `symdiff shape` and `stage` print it: `()`, `(2,)`, `(2, 4, 2)`.
    public var description: String {
        let parts = dimensions.map(\.description)
        return parts.count == 1 ? "(\(parts[0]),)" : "(" + parts.joined(separator: ", ") + ")"
    }

    /// NumPy's spelling in its error messages, without spaces: `(6,5,3)`, `(2,)`, `()`.
    public var compactDescription: String {
        let parts = dimensions.map(\.description)
        return parts.count == 1 ? "(\(parts[0]),)" : "(" + parts.joined(separator: ",") + ")"
    }

    /// Row-major strides in elements (the last axis has stride 1). Assumes a checked count.
    static func strides(_ sizes: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: sizes.count)
        var step = 1
        for axis in sizes.indices.reversed() {
            strides[axis] = step
            step &*= Swift.max(sizes[axis], 1)
        }
        return strides
    }

    /// `axis` in `0..<rank`, accepting NumPy's negative axes (-1 is the last).
    public func normalizedAxis(_ axis: Int) throws(ShapeError) -> Int {
        guard axis >= -rank, axis < rank else { throw .axisOutOfBounds(axis: axis, rank: rank) }
        return axis < 0 ? axis + rank : axis
    }
}
