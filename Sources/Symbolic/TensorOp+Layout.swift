import ExprParse

/// Ops that move, stretch or pick elements without arithmetic: the explicit broadcast and its
/// adjoint, reshapes, array literals and indexing.
public enum LayoutOp: Hashable, Sendable {
    /// NumPy's `broadcast_to(x, shape)`. The graph makes every broadcast of a differentiable
    /// operand explicit, so element-wise rules see equal shapes and the backward pass sums over
    /// stretched axes exactly where a stretch happened.
    case broadcast(TensorShape)
    /// The adjoint of a broadcast: the sum over the axes that stretched an operand of `shape`.
    case sumTo(TensorShape)
    /// `reshape(x, shape)`; a size of -1 in the target (kept as `.fixed(-1)`) is inferred.
    case reshape(TensorShape)
    /// An array literal of scalar operands, row-major.
    case pack(TensorShape)
    /// `x[i, j, ...]` with integer literals: one element (a scalar).
    case entry([Int])
    /// `x[i]` with a scalar integer operand (a label): the i-th element of a vector, the i-th
    /// row of a matrix.
    case take
    /// `Z[arange(N), y]`: one element per row, Z of shape (N, K) and labels y of shape (N,).
    case takeRows

    func shape(_ inputs: [TensorShape]) throws(ShapeError) -> TensorShape {
        switch self {
        case .broadcast(let target):
            guard try TensorShape.broadcast(inputs[0], target) == target else {
                throw TensorShape.notBroadcastableTo(inputs[0], target)
            }
            return target
        case .sumTo(let target):
            _ = try target.unbroadcast(from: inputs[0])
            return target
        case .reshape(let target): return try LayoutOp.reshapeShape(inputs[0], target)
        case .pack(let shape): return shape
        case .entry(let index):
            guard index.count == inputs[0].rank else {
                throw .wrongRank(operation: "indexing", expected: "\(index.count) indices for \(index.count) axes", got: inputs[0])
            }
            for (axis, i) in index.enumerated() {
                if let n = inputs[0].dimensions[axis].size, i < 0 || i >= n { throw .indexOutOfBounds(index: i, axis: axis, size: n) }
            }
            return .scalar
        case .take:
            guard inputs[0].rank >= 1 else { throw .wrongRank(operation: "indexing", expected: "an array with at least one axis", got: inputs[0]) }
            guard inputs[1].rank == 0 else { throw .wrongRank(operation: "an index", expected: "one integer (a label of shape ())", got: inputs[1]) }
            return TensorShape(Array(inputs[0].dimensions.dropFirst()))
        case .takeRows:
            guard inputs[0].rank == 2 else { throw .wrongRank(operation: "Z[arange(N), y]", expected: "a matrix Z of shape (N, K)", got: inputs[0]) }
            guard inputs[1].rank == 1 else { throw .wrongRank(operation: "Z[arange(N), y]", expected: "labels y of shape (N,)", got: inputs[1]) }
            guard try TensorShape.broadcast(TensorShape([inputs[0].dimensions[0]]), inputs[1]) == TensorShape([inputs[0].dimensions[0]]) else {
                throw .mismatch(operation: "Z[arange(N), y]", inputs[0], inputs[1], reason: "y needs one label per row of Z")
            }
            return TensorShape([inputs[0].dimensions[0]])
        }
    }

    /// The shape `reshape` gives: -1 becomes what is left once the other sizes are divided out;
    /// named dimensions cancel when the operand and the target name the same ones.
    static func reshapeShape(_ x: TensorShape, _ target: TensorShape) throws(ShapeError) -> TensorShape {
        func split(_ s: TensorShape) -> (fixed: Int, names: [String], inferred: Int) {
            var fixed = 1, names: [String] = [], inferred = 0
            for d in s.dimensions {
                switch d {
                case .fixed(-1): inferred += 1
                case .fixed(let n): fixed = fixed.multipliedReportingOverflow(by: n).partialValue
                case .named(let name): names.append(name)
                }
            }
            return (fixed, names.sorted(), inferred)
        }
        let from = split(x), to = split(target)
        guard to.inferred <= 1 else { throw .cannotReshape(size: from.fixed, target: target.dimensions.map { $0.size ?? 0 }) }
        guard from.names == to.names else {
            throw .mismatch(operation: "reshape", x, target, reason: "a named dimension must stay a whole dimension of its own in the new shape")
        }
        let fixedSizes = target.dimensions.map { $0.size ?? 1 }
        if to.inferred == 1 {
            guard to.fixed > 0, from.fixed % to.fixed == 0 else { throw .cannotReshape(size: from.fixed, target: fixedSizes) }
            return TensorShape(target.dimensions.map { $0 == .fixed(-1) ? .fixed(from.fixed / to.fixed) : $0 })
        }
        guard from.fixed == to.fixed else { throw .cannotReshape(size: from.fixed, target: fixedSizes) }
        return target
    }

    func evaluate(_ args: [Tensor], bindings: [String: Int]) throws(TensorError) -> Tensor {
        func sizes(_ shape: TensorShape) throws(TensorError) -> [Int] {
            do { return try shape.bound(bindings).requireSizes() } catch { throw .shape(error) }
        }
        switch self {
        case .broadcast(let target): return try args[0].broadcast(to: sizes(target))
        case .sumTo(let target): return try args[0].sum(toShape: sizes(target))
        case .reshape(let target):
            let shape: TensorShape
            do { shape = try LayoutOp.reshapeShape(args[0].shape, target.bound(bindings)) } catch { throw .shape(error) }
            return try args[0].reshaped(sizes(shape))
        case .pack(let shape): return try Tensor(shape: sizes(shape), scalars: args.map { $0.scalars.first ?? .nan })
        case .entry(let index):
            // The shape rule checks fixed sizes; a named one is only known here.
            guard let value = args[0].element(at: index) else {
                let sizes = args[0].sizes
                let axis = index.indices.first { $0 < sizes.count && (index[$0] >= sizes[$0] || index[$0] < -sizes[$0]) } ?? 0
                throw .shape(.indexOutOfBounds(index: index.indices.contains(axis) ? index[axis] : 0, axis: axis, size: axis < sizes.count ? sizes[axis] : 0))
            }
            return Tensor(scalar: value)
        case .take:
            let x = args[0]
            // The shape rule guarantees a rank; the scalar evaluator (`Op.evaluate`) does not.
            guard x.rank > 0 else { throw .shape(.axisOutOfBounds(axis: 0, rank: 0)) }
            let i = try LayoutOp.label(args[1], classes: x.sizes[0], row: nil)
            let rest = Array(x.sizes.dropFirst()), width = rest.reduce(1, *)
            return Tensor(unchecked: rest, Array(x.scalars[(i * width)..<((i + 1) * width)]))
        case .takeRows:
            let z = args[0], labels = try args[1].labels()
            guard z.rank == 2 else { throw .shape(.axisOutOfBounds(axis: 1, rank: z.rank)) }
            let (n, k) = (z.sizes[0], z.sizes[1])
            guard labels.count == n else { throw .labelCount(labels: labels.count, rows: n) }
            var out = [Double](repeating: 0, count: n)
            for row in 0..<n {
                guard labels[row] >= 0, labels[row] < k else { throw .labelOutOfRange(label: labels[row], classes: k, row: row) }
                out[row] = z.scalars[row * k + labels[row]]
            }
            return Tensor(unchecked: [n], out)
        }
    }

    /// A scalar used as an index: a whole number in `0..<classes`.
    static func label(_ t: Tensor, classes: Int, row: Int?) throws(TensorError) -> Int {
        let labels = try t.labels()
        guard let i = labels.first, i >= 0, i < classes else {
            throw .labelOutOfRange(label: labels.first ?? -1, classes: classes, row: row)
        }
        return i
    }

    var isDifferentiable: Bool { true }

    func vjp(_ index: Int, inputs x: [Term], out: Term, upstream g: Term) -> Term? {
        switch self {
        case .broadcast: return g.sumTo(x[0].shape)
        case .sumTo: return g.broadcast(to: x[0].shape)
        case .reshape: return g.tensor(.layout(.reshape(x[0].shape)))
        case .pack(let shape):
            return g.tensor(.layout(.entry(LayoutOp.multiIndex(index, in: shape))))
        case .entry(let position):
            // The upstream scalar placed at `position` of an otherwise zero array.
            let shape = x[0].shape
            guard let sizes = shape.sizes else { return LayoutOp.entryMask(position, of: x[0]) * g }
            let count = sizes.reduce(1, *)
            let flat = zip(position, TensorShape.strides(shape.sizes ?? [])).reduce(0) { $0 + $1.0 * $1.1 }
            let mask = (0..<count).map { g.graph.integer($0 == flat ? 1 : 0) }
            return Term(g.graph.intern(.tensor(.layout(.pack(shape))), Children(mask)), g.graph) * g
        case .take:
            guard index == 0 else { return nil }
            let shape = x[0].shape
            let hot = x[1].tensor(.softmax(.onehot(classes: shape.dimensions[0])))
            if shape.rank == 1 { return g * hot }
            let ones = [Dimension](repeating: .fixed(1), count: shape.rank - 1)
            let column = hot.tensor(.layout(.reshape(TensorShape([shape.dimensions[0]] + ones))))
            let row = g.tensor(.layout(.reshape(TensorShape([.fixed(1)] + g.shape.dimensions))))
            return column.broadcast(to: shape) * row.broadcast(to: shape)
        case .takeRows:
            guard index == 0 else { return nil }
            let shape = x[0].shape
            let hot = x[1].tensor(.softmax(.onehot(classes: shape.dimensions[1])))
            let column = g.tensor(.layout(.reshape(TensorShape([shape.dimensions[0], .fixed(1)]))))
            return hot * column.broadcast(to: shape)
        }
    }

    /// 1 at `position` of `x`'s shape and 0 elsewhere, for a shape with named sizes (which an
    /// array literal cannot spell): the product of one one-hot vector per axis, each stretched
    /// along the other axes. A negative index on a named axis (kept so by the lowering, which
    /// cannot normalise it) counts from that axis's length at run time.
    static func entryMask(_ position: [Int], of x: Term) -> Term {
        let (shape, graph) = (x.shape, x.graph)
        var mask: Term?
        for (axis, (i, d)) in zip(position, shape.dimensions).enumerated() {
            var dims = [Dimension](repeating: .fixed(1), count: shape.rank)
            dims[axis] = d
            var index = Term(graph.integer(Int64(i)), graph)
            if i < 0 { index = index + x.tensor(.reduction(.count(axis: axis))) }
            let hot = index.tensor(.softmax(.onehot(classes: d)))
                .tensor(.layout(.reshape(TensorShape(dims)))).broadcast(to: shape)
            mask = mask.map { $0 * hot } ?? hot
        }
        return mask ?? Term(graph.integer(1), graph)
    }

    /// The row-major position of flat index `flat` in a shape of known sizes.
    static func multiIndex(_ flat: Int, in shape: TensorShape) -> [Int] {
        var rest = flat
        var index = [Int](repeating: 0, count: shape.rank)
        for (axis, d) in shape.dimensions.enumerated().reversed() {
            let n = Swift.max(d.size ?? 1, 1)
            index[axis] = rest % n
            rest /= n
        }
        return index
    }

    var name: String {
        switch self {
        case .broadcast: return "broadcast_to"
        case .sumTo: return "sum_to"
        case .reshape: return "reshape"
        case .pack: return "array"
        case .entry, .take, .takeRows: return "index"
        }
    }

    func printed(_ args: [Printed], shapes: [TensorShape]) -> Printed {
        switch self {
        case .broadcast(let target):
            return TensorOp.call("broadcast_to", [args[0].text, target.description])
        case .sumTo(let target):
            // The sum a TA writes when one axis was stretched: `sum(g, axis=0)`.
            if let u = try? target.unbroadcast(from: shapes[0]), u.summedAxes.count == 1 {
                let axis = u.summedAxes[0]
                return TensorOp.call("sum", [args[0].text], TensorOp.axisKeywords(axis, keepdims: !u.keptAxes.isEmpty))
            }
            return TensorOp.call("sum_to", [args[0].text, target.description])
        case .reshape(let target):
            return TensorOp.call("reshape", [args[0].text, target.description])
        case .pack(let shape):
            return Printed(LayoutOp.nested(args.map(\.text), shape.dimensions.map { $0.size ?? 0 }), Printed.Level.atom)
        case .entry(let index):
            return Printed(args[0].wrapped(below: Printed.Level.atom) + "[" + index.map(String.init).joined(separator: ", ") + "]", Printed.Level.atom)
        case .take:
            return Printed(args[0].wrapped(below: Printed.Level.atom) + "[" + args[1].text + "]", Printed.Level.atom)
        case .takeRows:
            let n = shapes[0].dimensions.first?.description ?? "N"
            return Printed(args[0].wrapped(below: Printed.Level.atom) + "[arange(\(n)), " + args[1].text + "]", Printed.Level.atom)
        }
    }

    /// `[[a, b], [c, d]]` from row-major texts.
    public static func nested(_ items: [String], _ sizes: [Int]) -> String {
        guard !sizes.isEmpty else { return items.first ?? "" }
        var level = items
        for size in sizes.reversed() where size > 0 {
            var next: [String] = []
            var i = 0
            while i < level.count {
                next.append("[" + level[i..<Swift.min(i + size, level.count)].joined(separator: ", ") + "]")
                i += size
            }
            level = next
        }
        return level.first ?? "[]"
    }
}
