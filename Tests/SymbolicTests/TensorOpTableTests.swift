import ExprParse
import Foundation
import Testing
@testable import Symbolic

/// A row-major array computed with plain loops: the independent computation every tensor op is
/// checked against. Nothing here calls the `Tensor` functions under test.
struct LoopArray: Equatable {
    var sizes: [Int]
    var data: [Double]

    init(_ sizes: [Int], _ data: [Double]) {
        self.sizes = sizes
        self.data = data
    }

    init(_ tensor: Tensor) { self.init(tensor.sizes, tensor.scalars) }

    /// An array of `sizes` whose element at each multi-index is `f(index)`.
    init(_ sizes: [Int], _ f: ([Int]) -> Double) {
        self.init(sizes, LoopArray.indices(sizes).map(f))
    }

    static func strides(_ sizes: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: sizes.count)
        var step = 1
        for axis in sizes.indices.reversed() {
            strides[axis] = step
            step *= sizes[axis]
        }
        return strides
    }

    /// Every multi-index of `sizes`, row-major.
    static func indices(_ sizes: [Int]) -> [[Int]] {
        var result: [[Int]] = [[]]
        for size in sizes {
            var next: [[Int]] = []
            for prefix in result { for i in 0..<size { next.append(prefix + [i]) } }
            result = next
        }
        return result
    }

    subscript(_ index: [Int]) -> Double {
        var offset = 0
        for (i, s) in zip(index, LoopArray.strides(sizes)) { offset += i * s }
        return data[offset]
    }

    /// The element a NumPy broadcast to a larger shape reads for `index` of the result:
    /// leading axes dropped, axes of size 1 pinned at 0.
    func broadcastRead(_ index: [Int]) -> Double {
        let tail = Array(index.suffix(sizes.count))
        return self[zip(tail, sizes).map { $1 == 1 ? 0 : $0 }]
    }

    /// NumPy's broadcast of two size lists, written out.
    static func broadcastSizes(_ a: [Int], _ b: [Int]) -> [Int] {
        let rank = Swift.max(a.count, b.count)
        let pa = [Int](repeating: 1, count: rank - a.count) + a, pb = [Int](repeating: 1, count: rank - b.count) + b
        return zip(pa, pb).map { $0 == 1 ? $1 : $0 }
    }

    static func zipped(_ a: LoopArray, _ b: LoopArray, _ f: (Double, Double) -> Double) -> LoopArray {
        LoopArray(broadcastSizes(a.sizes, b.sizes)) { f(a.broadcastRead($0), b.broadcastRead($0)) }
    }

    func map(_ f: (Double) -> Double) -> LoopArray { LoopArray(sizes, data.map(f)) }

    /// A reduction of every element (`axis == nil`) or of one axis by `combine` over the lane.
    func reduced(axis: Int?, keepdims: Bool, _ combine: ([Double]) -> Double) -> LoopArray {
        guard let axis else {
            return LoopArray(keepdims ? sizes.map { _ in 1 } : [], [combine(data)])
        }
        var outSizes = sizes
        outSizes[axis] = 1
        let out = LoopArray(outSizes) { index in
            combine((0..<sizes[axis]).map { t in
                var i = index
                i[axis] = t
                return self[i]
            })
        }
        if keepdims { return out }
        var dropped = outSizes
        dropped.remove(at: axis)
        return LoopArray(dropped, out.data)
    }

    /// Each lane along `axis` replaced by `f` of the lane.
    func lanewise(axis: Int, _ f: ([Double]) -> [Double]) -> LoopArray {
        var result = self
        var laneSizes = sizes
        laneSizes[axis] = 1
        for start in LoopArray.indices(laneSizes) {
            let positions = (0..<sizes[axis]).map { t -> Int in
                var i = start
                i[axis] = t
                return zip(i, LoopArray.strides(sizes)).reduce(0) { $0 + $1.0 * $1.1 }
            }
            for (p, v) in zip(positions, f(positions.map { data[$0] })) { result.data[p] = v }
        }
        return result
    }

    /// NumPy's `a @ b` by its definition: 1-D operands promoted, batch axes broadcast.
    static func matmul(_ a: LoopArray, _ b: LoopArray) -> LoopArray {
        let left = a.sizes.count == 1 ? LoopArray([1] + a.sizes, a.data) : a
        let right = b.sizes.count == 1 ? LoopArray(b.sizes + [1], b.data) : b
        let (m, k, n) = (left.sizes[left.sizes.count - 2], left.sizes[left.sizes.count - 1], right.sizes[right.sizes.count - 1])
        let batch = broadcastSizes(Array(left.sizes.dropLast(2)), Array(right.sizes.dropLast(2)))
        var product = LoopArray(batch + [m, n]) { index in
            let bi = Array(index.dropLast(2)), (i, j) = (index[index.count - 2], index[index.count - 1])
            var s = 0.0
            for p in 0..<k { s += left.broadcastRead(bi + [i, p]) * right.broadcastRead(bi + [p, j]) }
            return s
        }
        if a.sizes.count == 1 { product.sizes.remove(at: product.sizes.count - 2) }
        if b.sizes.count == 1 { product.sizes.removeLast() }
        return product
    }

    func permuted(_ axes: [Int]) -> LoopArray {
        LoopArray(axes.map { sizes[$0] }) { index in
            var source = [Int](repeating: 0, count: sizes.count)
            for (i, a) in axes.enumerated() { source[a] = index[i] }
            return self[source]
        }
    }

    /// `sum_to`: every element added into the target element a broadcast would have read.
    func summed(to target: [Int]) -> LoopArray {
        var out = LoopArray(target, [Double](repeating: 0, count: target.reduce(1, *)))
        for index in LoopArray.indices(sizes) {
            let tail = Array(index.suffix(target.count))
            let t = zip(tail, target).map { $1 == 1 ? 0 : $0 }
            out.data[zip(t, LoopArray.strides(target)).reduce(0) { $0 + $1.0 * $1.1 }] += self[index]
        }
        return out
    }

    static func softmax(_ lane: [Double]) -> [Double] {
        let m = lane.max() ?? 0
        let e = lane.map { Foundation.exp($0 - m) }
        let s = e.reduce(0, +)
        return e.map { $0 / s }
    }

    /// The determinant by cofactor expansion along the first row (n! terms; n <= 4 here).
    static func det(_ a: LoopArray) -> Double {
        let n = a.sizes[0]
        func minor(_ rows: [Int], _ columns: [Int]) -> Double {
            if rows.isEmpty { return 1 }
            var total = 0.0
            for (k, column) in columns.enumerated() {
                var rest = columns
                rest.remove(at: k)
                total += (k % 2 == 0 ? 1 : -1) * a[[rows[0], column]] * minor(Array(rows.dropFirst()), rest)
            }
            return total
        }
        return minor(Array(0..<n), Array(0..<n))
    }

    /// The inverse as the adjugate over the determinant: entry (i, j) is the cofactor (j, i)
    /// over det(A).
    static func inverse(_ a: LoopArray) -> LoopArray {
        let n = a.sizes[0]
        let d = det(a)
        return LoopArray([n, n]) { index in
            let (i, j) = (index[0], index[1])
            let rows = (0..<n).filter { $0 != j }, columns = (0..<n).filter { $0 != i }
            let m = LoopArray([n - 1, n - 1]) { a[[rows[$0[0]], columns[$0[1]]]] }
            return ((i + j) % 2 == 0 ? 1 : -1) * (n == 1 ? 1 : det(m)) / d
        }
    }

    static func logsumexp(_ lane: [Double]) -> Double {
        let m = lane.max() ?? 0
        return m + Foundation.log(lane.map { Foundation.exp($0 - m) }.reduce(0, +))
    }
}

/// One input of a case: its declared shape (named dimensions allowed), the sizes of the value
/// drawn for it, and whether it holds labels (`classes` > 0) or must be positive.
struct TableInput: Sendable, CustomStringConvertible {
    let name: String
    let declared: TensorShape
    let sizes: [Int]
    var classes = 0
    var positive = false
    /// Added to the diagonal of a square matrix: `diagonal` > 2(n - 1) makes R + diagonal * I
    /// strictly diagonally dominant (entries of R are in [-2, 2]), so well conditioned with a
    /// positive determinant.
    var diagonal = 0.0

    var isLabel: Bool { classes > 0 }
    var description: String {
        let shape = declared.sizes == sizes ? "\(declared)" : "\(declared)=\(TensorShape(sizes))"
        return "\(name): \(isLabel ? "int " : "")\(shape)"
    }
}

/// One row of the op table: the op applied to its inputs (built the way `TensorLowering`
/// builds it, shapes checked first) and its value by loops.
struct TableCase: Sendable, CustomTestStringConvertible {
    let op: String
    let inputs: [TableInput]
    let seed: UInt64
    let build: @Sendable (Graph, [NodeID]) throws -> NodeID
    let reference: @Sendable ([LoopArray]) -> LoopArray

    var testDescription: String { "\(op) with " + inputs.map(\.description).joined(separator: ", ") }
}

/// Every op of the tensor table at seeded random shapes and points: the value against loops,
/// the VJP of `sum(op(...) * R)` (and of `op(...)` with upstream R) against central finite
/// differences of the loops, labels undifferentiated, and no shape fault in the gradient.
@Suite struct TensorOpTableTests {
    // MARK: - Building

    /// An op on whole arrays, shape-checked like the lowering does before interning.
    static func op(_ graph: Graph, _ op: TensorOp, _ args: [NodeID]) throws -> NodeID {
        _ = try graph.shape(of: .tensor(op), Children(args))
        return graph.intern(.tensor(op), Children(args))
    }

    /// An axis as a user writes it, normalised as `TensorLowering` stores it.
    static func axis(_ a: Int?, _ graph: Graph, _ node: NodeID) throws -> Int? {
        try a.map { try graph.shapes[node.int].normalizedAxis($0) }
    }

    static func real(_ name: String, _ sizes: [Int], positive: Bool = false) -> TableInput {
        TableInput(name: name, declared: TensorShape(sizes), sizes: sizes, positive: positive)
    }

    static func named(_ name: String, _ dimensions: [Symbolic.Dimension], _ sizes: [Int]) -> TableInput {
        TableInput(name: name, declared: TensorShape(dimensions), sizes: sizes)
    }

    static func label(_ name: String, _ sizes: [Int], classes: Int) -> TableInput {
        TableInput(name: name, declared: TensorShape(sizes), sizes: sizes, classes: classes)
    }

    // MARK: - The table

    static let cases: [TableCase] = {
        var rng = SplitMix64(seed: 12)
        func d() -> Int { Int.random(in: 2...4, using: &rng) }
        var cases: [TableCase] = []
        func add(_ op: String, _ inputs: [TableInput], _ build: @escaping @Sendable (Graph, [NodeID]) throws -> NodeID,
                 _ reference: @escaping @Sendable ([LoopArray]) -> LoopArray) {
            cases.append(TableCase(op: op, inputs: inputs, seed: UInt64(cases.count + 1) &* 7919, build: build, reference: reference))
        }

        // Reductions: every kind, axis and keepdims.
        let kinds: [(String, @Sendable (Int?, Bool) -> Reduction, @Sendable ([Double]) -> Double)] = [
            ("sum", { .sum(axis: $0, keepdims: $1) }, { $0.reduce(0, +) }),
            ("mean", { .mean(axis: $0, keepdims: $1) }, { $0.reduce(0, +) / Double($0.count) }),
            ("max", { .max(axis: $0, keepdims: $1) }, { $0.max() ?? .nan }),
            ("min", { .min(axis: $0, keepdims: $1) }, { $0.min() ?? .nan }),
        ]
        for (name, make, combine) in kinds {
            for a in [nil, 0, 1, -1] as [Int?] {
                for keepdims in [false, true] {
                    let shape = [d(), d()]
                    let normalised = a.map { $0 < 0 ? $0 + 2 : $0 }
                    add("\(name)(x, axis=\(a.map(String.init) ?? "None"), keepdims=\(keepdims))", [real("x", shape)],
                        { g, x in try op(g, .reduction(make(try axis(a, g, x[0]), keepdims)), x) },
                        { $0[0].reduced(axis: normalised, keepdims: keepdims, combine) })
                }
            }
            let cube = [d(), d(), d()]
            add("\(name)(x, axis=1) of a rank-3 array", [real("x", cube)],
                { g, x in try op(g, .reduction(make(1, false)), x) }, { $0[0].reduced(axis: 1, keepdims: false, combine) })
            let vector = [d() + 2]
            add("\(name)(x) of a vector", [real("x", vector)],
                { g, x in try op(g, .reduction(make(nil, false)), x) }, { $0[0].reduced(axis: nil, keepdims: false, combine) })
        }
        let n = d()
        add("mean(X, axis=0) over a named dimension N", [TableInput(name: "X", declared: TensorShape([.named("N"), .fixed(3)]), sizes: [n, 3])],
            { g, x in try op(g, .reduction(.mean(axis: 0, keepdims: false)), x) },
            { $0[0].reduced(axis: 0, keepdims: false) { $0.reduce(0, +) / Double($0.count) } })
        add("mean(X) over a named dimension N", [TableInput(name: "X", declared: TensorShape([.named("N"), .fixed(2)]), sizes: [n, 2])],
            { g, x in try op(g, .reduction(.mean(axis: nil, keepdims: false)), x) },
            { $0[0].reduced(axis: nil, keepdims: false) { $0.reduce(0, +) / Double($0.count) } })

        // Matrix products: every rank combination NumPy's @ accepts.
        let (m, k, nn, b) = (d(), d(), d(), d())
        let matmuls: [(String, [Int], [Int])] = [
            ("vector @ vector", [k], [k]),
            ("matrix @ vector", [m, k], [k]),
            ("vector @ matrix", [k], [k, nn]),
            ("matrix @ matrix", [m, k], [k, nn]),
            ("batch @ batch", [b, m, k], [b, k, nn]),
            ("(1, m, k) @ (b, k, n) broadcast batch", [1, m, k], [b, k, nn]),
            ("(b, m, k) @ (1, k, n) broadcast batch", [b, m, k], [1, k, nn]),
            ("matrix @ batch", [m, k], [b, k, nn]),
            ("batch @ matrix", [b, m, k], [k, nn]),
            ("(2, 1, m, k) @ (3, k, n) rank-4 broadcast", [2, 1, m, k], [3, k, nn]),
            ("batch @ vector", [b, m, k], [k]),
            ("vector @ batch", [k], [b, k, nn]),
        ]
        for (name, sa, sb) in matmuls {
            add("matmul: \(name)", [real("A", sa), real("B", sb)],
                { g, x in try op(g, .linear(.matmul), x) }, { LoopArray.matmul($0[0], $0[1]) })
        }
        let square = d()
        add("matmul: A @ A (one operand twice)", [real("A", [square, square])],
            { g, x in try op(g, .linear(.matmul), [x[0], x[0]]) }, { LoopArray.matmul($0[0], $0[0]) })
        add("transpose of a matrix", [real("A", [d(), d()])],
            { g, x in try op(g, .linear(.transpose), x) }, { $0[0].permuted([1, 0]) })
        add("transpose of a batch (last two axes)", [real("A", [d(), d(), d()])],
            { g, x in try op(g, .linear(.transpose), x) }, { $0[0].permuted([0, 2, 1]) })
        add("transpose(x, axes=(2, 0, 1))", [real("x", [d(), d(), d()])],
            { g, x in try op(g, .linear(.permute([2, 0, 1])), x) }, { $0[0].permuted([2, 0, 1]) })
        add("transpose(x, axes=(1, 2, 0))", [real("x", [d(), d(), d()])],
            { g, x in try op(g, .linear(.permute([1, 2, 0])), x) }, { $0[0].permuted([1, 2, 0]) })
        let (ou, ov) = (d(), d())
        add("outer(u, v)", [real("u", [ou]), real("v", [ov])],
            { g, x in try op(g, .linear(.outer), x) },
            { r in LoopArray([ou, ov]) { r[0][[$0[0]]] * r[1][[$0[1]]] } })
        let dk = d() + 1
        add("dot(u, v)", [real("u", [dk]), real("v", [dk])],
            { g, x in try op(g, .linear(.dot), x) },
            { r in LoopArray([], [zip(r[0].data, r[1].data).reduce(0) { $0 + $1.0 * $1.1 }]) })
        add("dot(u, u) (one operand twice)", [real("u", [dk])],
            { g, x in try op(g, .linear(.dot), [x[0], x[0]]) },
            { r in LoopArray([], [r[0].data.reduce(0) { $0 + $1 * $1 }]) })
        add("norm of a vector", [real("x", [d() + 1])],
            { g, x in try op(g, .linear(.norm), x) }, { r in LoopArray([], [r[0].data.reduce(0) { $0 + $1 * $1 }.squareRoot()]) })
        add("norm of a matrix (Frobenius)", [real("X", [d(), d()])],
            { g, x in try op(g, .linear(.norm), x) }, { r in LoopArray([], [r[0].data.reduce(0) { $0 + $1 * $1 }.squareRoot()]) })

        // Layout.
        let broadcasts: [([Int], [Int])] = [([3, 1], [2, 3, 4]), ([4], [3, 4]), ([], [2, 3]), ([2, 1, 3], [2, 4, 3])]
        for (from, to) in broadcasts {
            add("broadcast_to(x, \(TensorShape(to)))", [real("x", from)],
                { g, x in try op(g, .layout(.broadcast(TensorShape(to))), x) }, { r in LoopArray(to) { r[0].broadcastRead($0) } })
        }
        let sums: [([Int], [Int])] = [([2, 3, 4], [3, 1]), ([3, 4], [4]), ([3, 4], []), ([2, 3, 4], [2, 1, 4]), ([2, 3], [1, 3])]
        for (from, to) in sums {
            add("sum_to(x, \(TensorShape(to)))", [real("x", from)],
                { g, x in try op(g, .layout(.sumTo(TensorShape(to))), x) }, { $0[0].summed(to: to) })
        }
        let reshapes: [([Int], [Symbolic.Dimension], [Int])] = [
            ([2, 3, 4], [.fixed(4), .fixed(6)], [4, 6]),
            ([3, 4], [.fixed(12)], [12]),
            ([6, 4], [.fixed(-1), .fixed(2)], [12, 2]),
            ([2, 3, 4], [.fixed(2), .fixed(-1)], [2, 12]),
            ([12], [.fixed(3), .fixed(2), .fixed(2)], [3, 2, 2]),
        ]
        for (from, target, result) in reshapes {
            add("reshape(x, \(TensorShape(target)))", [real("x", from)],
                { g, x in try op(g, .layout(.reshape(TensorShape(target))), x) }, { LoopArray(result, $0[0].data) })
        }
        add("array [[a, b], [a * b, 3]] of scalars", [real("a", []), real("b", [])],
            { g, x in
                let ab = try g.elementwise(.mul, [x[0], x[1]])
                return try op(g, .layout(.pack([2, 2])), [x[0], x[1], ab, g.integer(3)])
            },
            { r in LoopArray([2, 2], [r[0].data[0], r[1].data[0], r[0].data[0] * r[1].data[0], 3]) })
        add("array [v[2], s, v[0]] of entries and a scalar", [real("v", [4]), real("s", [])],
            { g, x in
                let v2 = try op(g, .layout(.entry([2])), [x[0]]), v0 = try op(g, .layout(.entry([0])), [x[0]])
                return try op(g, .layout(.pack([3])), [v2, x[1], v0])
            },
            { r in LoopArray([3], [r[0].data[2], r[1].data[0], r[0].data[0]]) })
        add("x[1, 2] of a matrix", [real("x", [3, 4])],
            { g, x in try op(g, .layout(.entry([1, 2])), x) }, { LoopArray([], [$0[0][[1, 2]]]) })
        add("x[3] of a vector", [real("x", [5])],
            { g, x in try op(g, .layout(.entry([3])), x) }, { LoopArray([], [$0[0][[3]]]) })
        add("x[0, 1, 2] of a rank-3 array", [real("x", [2, 3, 4])],
            { g, x in try op(g, .layout(.entry([0, 1, 2])), x) }, { LoopArray([], [$0[0][[0, 1, 2]]]) })
        let kv = d() + 1
        add("z[y] of a vector with a label", [real("z", [kv]), label("y", [], classes: kv)],
            { g, x in try op(g, .layout(.take), x) }, { r in LoopArray([], [r[0][[Int(r[1].data[0])]]]) })
        let (kr, kc) = (d(), d())
        add("W[y] (a row) of a matrix with a label", [real("W", [kr, kc]), label("y", [], classes: kr)],
            { g, x in try op(g, .layout(.take), x) },
            { r in LoopArray([kc]) { r[0][[Int(r[1].data[0]), $0[0]]] } })
        let (tn, tk) = (d() + 1, d())
        add("Z[arange(N), y]", [real("Z", [tn, tk]), label("y", [tn], classes: tk)],
            { g, x in try op(g, .layout(.takeRows), x) },
            { r in LoopArray([tn]) { r[0][[$0[0], Int(r[1].data[$0[0]])]] } })

        // Softmax family.
        let (sr, sc) = (d(), d() + 1)
        for a in [0, 1, -1] {
            let normalised = a < 0 ? a + 2 : a
            add("softmax(z, axis=\(a))", [real("z", [sr, sc])],
                { g, x in try op(g, .softmax(.softmax(axis: try axis(a, g, x[0]) ?? 0)), x) },
                { $0[0].lanewise(axis: normalised, LoopArray.softmax) })
            add("log_softmax(z, axis=\(a))", [real("z", [sr, sc])],
                { g, x in try op(g, .softmax(.logSoftmax(axis: try axis(a, g, x[0]) ?? 0)), x) },
                { $0[0].lanewise(axis: normalised) { lane in LoopArray.softmax(lane).map { Foundation.log($0) } } })
            for keepdims in [false, true] {
                add("logsumexp(z, axis=\(a), keepdims=\(keepdims))", [real("z", [sr, sc])],
                    { g, x in try op(g, .softmax(.logsumexp(axis: try axis(a, g, x[0]) ?? 0, keepdims: keepdims)), x) },
                    { $0[0].reduced(axis: normalised, keepdims: keepdims, LoopArray.logsumexp) })
            }
        }
        add("softmax(z) of a vector", [real("z", [sc])],
            { g, x in try op(g, .softmax(.softmax(axis: 0)), x) }, { LoopArray([sc], LoopArray.softmax($0[0].data)) })
        add("log_softmax(z) of a vector", [real("z", [sc])],
            { g, x in try op(g, .softmax(.logSoftmax(axis: 0)), x) }, { LoopArray([sc], LoopArray.softmax($0[0].data).map { Foundation.log($0) }) })
        add("logsumexp(z) of a vector", [real("z", [sc])],
            { g, x in try op(g, .softmax(.logsumexp(axis: 0, keepdims: false)), x) }, { LoopArray([], [LoopArray.logsumexp($0[0].data)]) })
        add("softmax(z, axis=1) of a rank-3 array", [real("z", [2, 3, 4])],
            { g, x in try op(g, .softmax(.softmax(axis: 1)), x) }, { $0[0].lanewise(axis: 1, LoopArray.softmax) })
        let (cn, ck) = (d() + 1, d() + 1)
        let crossEntropy: @Sendable ([LoopArray]) -> LoopArray = { r in
            let rows = r[0].sizes.count == 1 ? 1 : r[0].sizes[0], width = r[0].sizes.last ?? 0
            var total = 0.0
            for row in 0..<rows {
                let lane = Array(r[0].data[(row * width)..<((row + 1) * width)])
                total += LoopArray.logsumexp(lane) - lane[Int(r[1].data[row])]
            }
            return LoopArray([], [total / Double(rows)])
        }
        add("cross_entropy(z, y) of one example", [real("z", [ck]), label("y", [], classes: ck)],
            { g, x in try op(g, .softmax(.crossEntropy), x) }, crossEntropy)
        add("cross_entropy(Z, y) of a batch (mean over rows)", [real("Z", [cn, ck]), label("y", [cn], classes: ck)],
            { g, x in try op(g, .softmax(.crossEntropy), x) }, crossEntropy)
        add("cross_entropy(Z, y) of a batch of N rows (named)",
            [TableInput(name: "Z", declared: TensorShape([.named("N"), .fixed(ck)]), sizes: [cn, ck]),
             TableInput(name: "y", declared: TensorShape([.named("N")]), sizes: [cn], classes: ck)],
            { g, x in try op(g, .softmax(.crossEntropy), x) }, crossEntropy)
        add("onehot(y, K) of one label", [label("y", [], classes: ck)],
            { g, x in try op(g, .softmax(.onehot(classes: .fixed(ck))), x) },
            { r in LoopArray([ck]) { $0[0] == Int(r[0].data[0]) ? 1 : 0 } })
        add("onehot(y, K) of labels (N,)", [label("y", [cn], classes: ck)],
            { g, x in try op(g, .softmax(.onehot(classes: .fixed(ck))), x) },
            { r in LoopArray([cn, ck]) { $0[1] == Int(r[0].data[$0[0]]) ? 1 : 0 } })
        add("z * onehot(y, K) (gradient to z only)", [real("z", [ck]), label("y", [], classes: ck)],
            { g, x in try g.elementwise(.mul, [x[0], try op(g, .softmax(.onehot(classes: .fixed(ck))), [x[1]])]) },
            { r in LoopArray([ck]) { $0[0] == Int(r[1].data[0]) ? r[0][$0] : 0 } })
        add("softmax(z)[y]", [real("z", [ck]), label("y", [], classes: ck)],
            { g, x in try op(g, .layout(.take), [try op(g, .softmax(.softmax(axis: 0)), [x[0]]), x[1]]) },
            { r in LoopArray([], [LoopArray.softmax(r[0].data)[Int(r[1].data[0])]]) })

        // Element-wise ops with NumPy broadcasting (explicit broadcast nodes in the graph).
        let binary: [(String, Op, [Int], [Int], Bool, @Sendable (Double, Double) -> Double)] = [
            ("a + b", .add, [3, 1], [4], false, { $0 + $1 }),
            ("a - b", .sub, [2, 1, 3], [4, 1], false, { $0 - $1 }),
            ("a * b", .mul, [3, 1], [4], false, { $0 * $1 }),
            ("a / b", .div, [3, 1], [4], true, { $0 / $1 }),
            ("a ^ b", .pow, [3, 1], [4], true, { Foundation.pow($0, $1) }),
            ("a * b (a scalar input times a vector)", .mul, [], [4], false, { $0 * $1 }),
            ("a - b (a vector minus a scalar input)", .sub, [4], [], false, { $0 - $1 }),
            ("a + b (equal shapes)", .add, [3, 4], [3, 4], false, { $0 + $1 }),
            ("max(a, b)", .function(.max), [3, 1], [4], false, { Swift.max($0, $1) }),
            ("min(a, b)", .function(.min), [4], [3, 1], false, { Swift.min($0, $1) }),
        ]
        for (name, elementOp, sa, sb, positive, f) in binary {
            // A positive base for `^`, a denominator away from 0 for `/`.
            let inputs = elementOp == .pow
                ? [real("a", sa, positive: true), real("b", sb)] : [real("a", sa), real("b", sb, positive: positive)]
            add(name, inputs, { g, x in try g.elementwise(elementOp, x) }, { LoopArray.zipped($0[0], $0[1], f) })
        }
        add("a + b + c (n-ary, three shapes)", [real("a", [3, 1]), real("b", [4]), real("c", [])],
            { g, x in try g.elementwise(.add, x) }, { r in LoopArray.zipped(LoopArray.zipped(r[0], r[1], +), r[2], +) })
        add("a * b * c (n-ary, three shapes)", [real("a", [3, 1]), real("b", [4]), real("c", [])],
            { g, x in try g.elementwise(.mul, x) }, { r in LoopArray.zipped(LoopArray.zipped(r[0], r[1], *), r[2], *) })
        add("x ^ 2 (constant exponent)", [real("x", [3, 4])],
            { g, x in try g.elementwise(.pow, [x[0], g.integer(2)]) }, { $0[0].map { $0 * $0 } })
        add("2 * x - 1 (constants broadcast implicitly)", [real("x", [3, 4])],
            { g, x in try g.elementwise(.sub, [try g.elementwise(.mul, [g.integer(2), x[0]]), g.integer(1)]) },
            { $0[0].map { 2 * $0 - 1 } })
        add("-x", [real("x", [3, 4])], { g, x in try g.elementwise(.neg, x) }, { $0[0].map { -$0 } })
        let unary: [(ExprParse.Function, @Sendable (Double) -> Double)] = [
            (.exp, { Foundation.exp($0) }), (.tanh, { Foundation.tanh($0) }), (.relu, { Swift.max(0, $0) }),
            (.sigmoid, { 1 / (1 + Foundation.exp(-$0)) }), (.sin, { Foundation.sin($0) }),
        ]
        for (f, value) in unary {
            add("\(f.name)(x)", [real("x", [3, 4])], { g, x in try g.elementwise(.function(f), x) }, { $0[0].map(value) })
        }
        add("ln(x)", [real("x", [4], positive: true)], { g, x in try g.elementwise(.function(.ln), x) }, { $0[0].map { Foundation.log($0) } })
        add("relu(W @ x + b) (a layer)", [real("W", [3, 2]), real("x", [2]), real("b", [3])],
            { g, x in try g.elementwise(.function(.relu), [try g.elementwise(.add, [try op(g, .linear(.matmul), [x[0], x[1]]), x[2]])]) },
            { r in LoopArray.zipped(LoopArray.matmul(r[0], r[1]), r[2], +).map { Swift.max(0, $0) } })
        add("X @ W + b (batch layer, bias broadcast over rows)", [real("X", [4, 3]), real("W", [3, 2]), real("b", [2])],
            { g, x in try g.elementwise(.add, [try op(g, .linear(.matmul), [x[0], x[1]]), x[2]]) },
            { r in LoopArray.zipped(LoopArray.matmul(r[0], r[1]), r[2], +) })

        // More shapes and compositions where a VJP could go wrong.
        add("sum(x, axis=0, keepdims=true) of a rank-3 array", [real("x", [2, 3, 4])],
            { g, x in try op(g, .reduction(.sum(axis: 0, keepdims: true)), x) }, { $0[0].reduced(axis: 0, keepdims: true) { $0.reduce(0, +) } })
        add("max(x, axis=2, keepdims=true) of a rank-3 array", [real("x", [2, 3, 4])],
            { g, x in try op(g, .reduction(.max(axis: 2, keepdims: true)), x) }, { $0[0].reduced(axis: 2, keepdims: true) { $0.max() ?? .nan } })
        add("min(x, axis=0) of a rank-3 array", [real("x", [3, 2, 2])],
            { g, x in try op(g, .reduction(.min(axis: 0, keepdims: false)), x) }, { $0[0].reduced(axis: 0, keepdims: false) { $0.min() ?? .nan } })
        add("sum(s) of a scalar", [real("s", [])],
            { g, x in try op(g, .reduction(.sum(axis: nil, keepdims: false)), x) }, { $0[0] })
        add("softmax(x, axis=0) of a rank-3 array", [real("x", [3, 2, 2])],
            { g, x in try op(g, .softmax(.softmax(axis: 0)), x) }, { $0[0].lanewise(axis: 0, LoopArray.softmax) })
        add("T[y] (a matrix) of a rank-3 array with a label", [real("T", [3, 2, 4]), label("y", [], classes: 3)],
            { g, x in try op(g, .layout(.take), x) },
            { r in LoopArray([2, 4]) { r[0][[Int(r[1].data[0])] + $0] } })
        add("outer(u, u) (one operand twice)", [real("u", [3])],
            { g, x in try op(g, .linear(.outer), [x[0], x[0]]) }, { r in LoopArray([3, 3]) { r[0][[$0[0]]] * r[0][[$0[1]]] } })
        add("transpose of a vector (unchanged)", [real("v", [4])],
            { g, x in try op(g, .linear(.transpose), x) }, { $0[0] })
        add("reshape(s, (1, 1)) of a scalar", [real("s", [])],
            { g, x in try op(g, .layout(.reshape([1, 1])), x) }, { LoopArray([1, 1], $0[0].data) })
        add("a * a.T (one operand broadcast both ways)", [real("a", [3, 1])],
            { g, x in try g.elementwise(.mul, [x[0], try op(g, .linear(.transpose), x)]) },
            { r in LoopArray([3, 3]) { r[0][[$0[0], 0]] * r[0][[$0[1], 0]] } })
        add("x ^ 3 (negative bases)", [real("x", [2, 3])],
            { g, x in try g.elementwise(.pow, [x[0], g.integer(3)]) }, { $0[0].map { $0 * $0 * $0 } })
        add("s / v (a scalar input over a vector)", [real("s", []), real("v", [4], positive: true)],
            { g, x in try g.elementwise(.div, x) }, { LoopArray.zipped($0[0], $0[1], /) })
        let moreUnary: [(ExprParse.Function, Bool, @Sendable (Double) -> Double)] = [
            (.abs, false, { Swift.abs($0) }), (.sqrt, true, { $0.squareRoot() }), (.softplus, false, { Foundation.log1p(Foundation.exp($0)) }),
            (.cos, false, { Foundation.cos($0) }), (.atan, false, { Foundation.atan($0) }),
        ]
        for (f, positive, value) in moreUnary {
            add("\(f.name)(x)", [real("x", [2, 3], positive: positive)], { g, x in try g.elementwise(.function(f), x) }, { $0[0].map(value) })
        }
        add("-mean(log_softmax(Z)[arange(N), y]) (cross-entropy by hand)", [real("Z", [3, 4]), label("y", [3], classes: 4)],
            { g, x in
                let picked = try op(g, .layout(.takeRows), [try op(g, .softmax(.logSoftmax(axis: 1)), [x[0]]), x[1]])
                return try g.elementwise(.neg, [try op(g, .reduction(.mean(axis: nil, keepdims: false)), [picked])])
            }, crossEntropy)
        add("z * (1 - y) (labels in arithmetic, broadcast over rows)", [real("z", [2, 3]), label("y", [3], classes: 2)],
            { g, x in try g.elementwise(.mul, [x[0], try g.elementwise(.sub, [g.integer(1), x[1]])]) },
            { r in LoopArray.zipped(r[0], r[1].map { 1 - $0 }, *) })

        // Named dimensions, bound by the values: shapes in the graph stay symbolic, so every
        // VJP must build its arrays without knowing N or K.
        let (bn, bk) = (d() + 1, d() + 1)
        let nDim: Symbolic.Dimension = .named("N"), kDim: Symbolic.Dimension = .named("K")
        add("X + b (bias broadcast over N rows)", [named("X", [nDim, .fixed(3)], [bn, 3]), real("b", [3])],
            { g, x in try g.elementwise(.add, x) }, { LoopArray.zipped($0[0], $0[1], +) })
        add("X * s (s: (1, 3) stretched over N rows)", [named("X", [nDim, .fixed(3)], [bn, 3]), real("s", [1, 3])],
            { g, x in try g.elementwise(.mul, x) }, { LoopArray.zipped($0[0], $0[1], *) })
        add("matmul: X @ W with N rows", [named("X", [nDim, .fixed(3)], [bn, 3]), real("W", [3, 2])],
            { g, x in try op(g, .linear(.matmul), x) }, { LoopArray.matmul($0[0], $0[1]) })
        add("transpose of X with N rows", [named("X", [nDim, .fixed(3)], [bn, 3])],
            { g, x in try op(g, .linear(.transpose), x) }, { $0[0].permuted([1, 0]) })
        add("sum(X, axis=0, keepdims=true) with N rows", [named("X", [nDim, .fixed(3)], [bn, 3])],
            { g, x in try op(g, .reduction(.sum(axis: 0, keepdims: true)), x) }, { $0[0].reduced(axis: 0, keepdims: true) { $0.reduce(0, +) } })
        add("max(X, axis=0) with N rows", [named("X", [nDim, .fixed(3)], [bn, 3])],
            { g, x in try op(g, .reduction(.max(axis: 0, keepdims: false)), x) }, { $0[0].reduced(axis: 0, keepdims: false) { $0.max() ?? .nan } })
        add("mean(X, axis=1) with N rows", [named("X", [nDim, .fixed(3)], [bn, 3])],
            { g, x in try op(g, .reduction(.mean(axis: 1, keepdims: false)), x) },
            { $0[0].reduced(axis: 1, keepdims: false) { $0.reduce(0, +) / Double($0.count) } })
        add("reshape(X, (N, -1)) of (N, 2, 3)", [named("X", [nDim, .fixed(2), .fixed(3)], [bn, 2, 3])],
            { g, x in try op(g, .layout(.reshape(TensorShape([nDim, .fixed(-1)]))), x) }, { LoopArray([bn, 6], $0[0].data) })
        add("softmax(Z) of (N, K)", [named("Z", [nDim, kDim], [bn, bk])],
            { g, x in try op(g, .softmax(.softmax(axis: 1)), x) }, { $0[0].lanewise(axis: 1, LoopArray.softmax) })
        add("log_softmax(Z, axis=0) of (N, K)", [named("Z", [nDim, kDim], [bn, bk])],
            { g, x in try op(g, .softmax(.logSoftmax(axis: 0)), x) },
            { $0[0].lanewise(axis: 0) { lane in LoopArray.softmax(lane).map { Foundation.log($0) } } })
        add("cross_entropy(Z, y) of (N, K) with y: int (N,)",
            [named("Z", [nDim, kDim], [bn, bk]), TableInput(name: "y", declared: TensorShape([nDim]), sizes: [bn], classes: bk)],
            { g, x in try op(g, .softmax(.crossEntropy), x) }, crossEntropy)
        add("cross_entropy(z, y) of (K,)", [named("z", [kDim], [bk]), label("y", [], classes: bk)],
            { g, x in try op(g, .softmax(.crossEntropy), x) }, crossEntropy)
        add("Z[arange(N), y] of (N, K)",
            [named("Z", [nDim, kDim], [bn, bk]), TableInput(name: "y", declared: TensorShape([nDim]), sizes: [bn], classes: bk)],
            { g, x in try op(g, .layout(.takeRows), x) },
            { r in LoopArray([bn]) { r[0][[$0[0], Int(r[1].data[$0[0]])]] } })
        add("W[y] of (K, 3)", [named("W", [kDim, .fixed(3)], [bk, 3]), label("y", [], classes: bk)],
            { g, x in try op(g, .layout(.take), x) },
            { r in LoopArray([3]) { r[0][[Int(r[1].data[0]), $0[0]]] } })
        add("s * X (a scalar input stretched over (N, 3))", [real("s", []), named("X", [nDim, .fixed(3)], [bn, 3])],
            { g, x in try g.elementwise(.mul, x) }, { LoopArray.zipped($0[0], $0[1], *) })
        add("mean(X, keepdims=true) over (N, 3)", [named("X", [nDim, .fixed(3)], [bn, 3])],
            { g, x in try op(g, .reduction(.mean(axis: nil, keepdims: true)), x) },
            { $0[0].reduced(axis: nil, keepdims: true) { $0.reduce(0, +) / Double($0.count) } })
        add("x[2] of (N,)", [named("x", [nDim], [bn])],
            { g, x in try op(g, .layout(.entry([2])), x) }, { LoopArray([], [$0[0][[2]]]) })
        add("X[-1, 0] of (N, 3) (from the end of a named axis)", [named("X", [nDim, .fixed(3)], [bn, 3])],
            { g, x in try op(g, .layout(.entry([-1, 0])), x) }, { LoopArray([], [$0[0][[bn - 1, 0]]]) })
        add("X[1, 2] of (N, 3)", [named("X", [nDim, .fixed(3)], [bn, 3])],
            { g, x in try op(g, .layout(.entry([1, 2])), x) }, { LoopArray([], [$0[0][[1, 2]]]) })

        // Convolution and pooling, forward and backward (ConvolutionOpTable.swift).
        ConvolutionOpTable.add(into: add)
        // Matrix functions at well-conditioned matrices R + (2n + 1) I, against cofactor
        // expansion (det) and the adjugate (inverse), which share nothing with the LU.
        func wellConditioned(_ name: String, _ n: Int) -> TableInput {
            TableInput(name: name, declared: TensorShape([n, n]), sizes: [n, n], diagonal: Double(2 * n + 1))
        }
        for n in 1...4 {
            add("det(A) of (\(n), \(n))", [wellConditioned("A", n)], { g, x in try op(g, .matrix(.det), x) }, { LoopArray([], [LoopArray.det($0[0])]) })
            add("inv(A) of (\(n), \(n))", [wellConditioned("A", n)], { g, x in try op(g, .matrix(.inverse), x) }, { LoopArray.inverse($0[0]) })
            add("logdet(A) of (\(n), \(n))", [wellConditioned("A", n)], { g, x in try op(g, .matrix(.logdet), x) },
                { LoopArray([], [Foundation.log(LoopArray.det($0[0]))]) })
            add("trace(A) of (\(n), \(n))", [real("A", [n, n])], { g, x in try op(g, .matrix(.trace), x) },
                { r in LoopArray([], [(0..<n).reduce(0) { $0 + r[0][[$1, $1]] }]) })
        }
        let mn = d()
        add("inv(A) @ b (a solve)", [wellConditioned("A", mn), real("b", [mn])],
            { g, x in try op(g, .linear(.matmul), [try op(g, .matrix(.inverse), [x[0]]), x[1]]) },
            { LoopArray.matmul(LoopArray.inverse($0[0]), $0[1]) })
        add("trace(A @ B)", [real("A", [mn, mn + 1]), real("B", [mn + 1, mn])],
            { g, x in try op(g, .matrix(.trace), [try op(g, .linear(.matmul), x)]) },
            { r in let p = LoopArray.matmul(r[0], r[1]); return LoopArray([], [(0..<mn).reduce(0) { $0 + p[[$1, $1]] }]) })
        add("det(A) * inv(A) (two matrix functions of one operand)", [wellConditioned("A", 3)],
            { g, x in try g.elementwise(.mul, [try op(g, .matrix(.det), x), try op(g, .matrix(.inverse), x)]) },
            { r in LoopArray.inverse(r[0]).map { $0 * LoopArray.det(r[0]) } })
        add("log(abs(det(A))) of a matrix with a negative determinant", [TableInput(name: "A", declared: [3, 3], sizes: [3, 3], diagonal: -7)],
            { g, x in try g.elementwise(.function(.ln), [try g.elementwise(.function(.abs), [try op(g, .matrix(.det), x)])]) },
            { LoopArray([], [Foundation.log(Swift.abs(LoopArray.det($0[0])))]) })
        add("A * eye(3) (the identity, a constant)", [real("A", [3, 3])],
            { g, x in try g.elementwise(.mul, [x[0], try op(g, .matrix(.identity(.fixed(3))), [])]) },
            { r in LoopArray([3, 3]) { $0[0] == $0[1] ? r[0][$0] : 0 } })
        let sn = d()
        add("trace(A) and det(A) of (N, N)", [TableInput(name: "A", declared: TensorShape([nDim, nDim]), sizes: [sn, sn], diagonal: Double(2 * sn + 1))],
            { g, x in try g.elementwise(.add, [try op(g, .matrix(.trace), x), try op(g, .matrix(.det), x)]) },
            { r in LoopArray([], [(0..<sn).reduce(0) { $0 + r[0][[$1, $1]] } + LoopArray.det(r[0])]) })
        // Batches: every matrix function on the last two axes, one matrix at a time.
        let (bb, bm) = (d(), d())
        let batchOf: @Sendable (LoopArray, (LoopArray) -> LoopArray) -> LoopArray = { a, f in
            let n = a.sizes[a.sizes.count - 1], size = n * n
            let blocks = stride(from: 0, to: a.data.count, by: size).map { f(LoopArray([n, n], Array(a.data[$0..<($0 + size)]))) }
            return LoopArray(Array(a.sizes.dropLast(2)) + (blocks.first?.sizes ?? []), blocks.flatMap(\.data))
        }
        func batch(_ name: String, _ sizes: [Int]) -> TableInput {
            TableInput(name: name, declared: TensorShape(sizes), sizes: sizes, diagonal: Double(2 * (sizes.last ?? 0) + 1))
        }
        add("det(A) of a batch (B, n, n)", [batch("A", [bb, bm, bm])], { g, x in try op(g, .matrix(.det), x) },
            { batchOf($0[0]) { LoopArray([], [LoopArray.det($0)]) } })
        add("logdet(A) of a batch (2, B, n, n)", [batch("A", [2, bb, bm, bm])], { g, x in try op(g, .matrix(.logdet), x) },
            { batchOf($0[0]) { LoopArray([], [Foundation.log(LoopArray.det($0))]) } })
        add("inv(A) of a batch (B, n, n)", [batch("A", [bb, bm, bm])], { g, x in try op(g, .matrix(.inverse), x) },
            { batchOf($0[0]) { LoopArray.inverse($0) } })
        add("trace(A) of a batch (B, n, n)", [real("A", [bb, bm, bm])], { g, x in try op(g, .matrix(.trace), x) },
            { batchOf($0[0]) { r in LoopArray([], [(0..<bm).reduce(0) { $0 + r[[$1, $1]] }]) } })
        add("inv(A) of (N, N)", [TableInput(name: "A", declared: TensorShape([nDim, nDim]), sizes: [sn, sn], diagonal: Double(2 * sn + 1))],
            { g, x in try op(g, .matrix(.inverse), x) }, { LoopArray.inverse($0[0]) })
        return cases
    }()

    // MARK: - Evaluation helpers

    /// The seeded point of a case: reals in [-2, 2] (or [0.5, 2] when positive), labels in
    /// 0..<classes.
    static func point(_ c: TableCase) throws -> [Tensor] {
        var rng = SplitMix64(seed: c.seed)
        return try c.inputs.map { input in
            let count = input.sizes.reduce(1, *)
            let scalars: [Double] = (0..<count).map { _ in
                if input.isLabel { return Double(Int.random(in: 0..<input.classes, using: &rng)) }
                return input.positive ? Double.random(in: 0.5...2, using: &rng) : Double.random(in: -2...2, using: &rng)
            }
            var matrix = try Tensor(shape: input.sizes, scalars: scalars)
            if input.diagonal != 0, let n = input.sizes.last, n > 0 {
                // Every matrix of a batch.
                for start in stride(from: 0, to: count, by: n * n) {
                    for i in 0..<n { matrix.scalars[start + i * n + i] += input.diagonal }
                }
            }
            return matrix
        }
    }

    /// A fresh graph with the case's inputs declared and `body` building the output.
    static func program(_ c: TableCase, _ body: (Graph, NodeID) throws -> NodeID) throws -> Gradient {
        let graph = Graph()
        for input in c.inputs { graph.declare(input.name, InputDeclaration(shape: input.declared, isLabel: input.isLabel)) }
        let output = try body(graph, try c.build(graph, c.inputs.map { graph.variable($0.name) }))
        // Inputs `body` declared (the weights R of an output with named dimensions) come last.
        let names = c.inputs.map(\.name)
        let extra = graph.declarations.keys.filter { !names.contains($0) }.sorted()
        return Gradient(StagedProgram(ProgramGraph(graph: graph, inputs: names + extra, output: output)))
    }

    /// A constant array of `sizes` (an array literal of numbers, or one number for a scalar).
    static func constant(_ graph: Graph, _ r: LoopArray) -> NodeID {
        let numbers = r.data.map { graph.number(.real($0)) }
        return r.sizes.isEmpty ? numbers[0] : graph.intern(.tensor(.layout(.pack(TensorShape(r.sizes)))), Children(numbers))
    }

    /// |got - want| <= 1e-6 (1 + |want|).
    static func near(_ got: Double, _ want: Double, _ tolerance: Double = 1e-6) -> Bool {
        Swift.abs(got - want) <= tolerance * (1 + Swift.abs(want))
    }

    /// Central differences (h = 1e-6) of `f` with respect to every element of input `index`.
    static func centralDifferences(_ point: [Tensor], _ index: Int, _ f: ([LoopArray]) -> Double) -> [Double] {
        let h = 1e-6
        let base = point.map(LoopArray.init)
        return (0..<point[index].count).map { i in
            var plus = base, minus = base
            plus[index].data[i] += h
            minus[index].data[i] -= h
            return (f(plus) - f(minus)) / (2 * h)
        }
    }

    /// Every gradient element of every real input against central differences of `f`; labels
    /// must have no gradient.
    static func expectGradient(_ c: TableCase, _ point: [Tensor], _ gradient: [Tensor?], _ path: String,
                               _ f: ([LoopArray]) -> Double) {
        for (index, input) in c.inputs.enumerated() {
            if input.isLabel {
                #expect(gradient[index] == nil, "\(c.testDescription): \(path): label \(input.name) got a gradient")
                continue
            }
            guard let got = gradient[index] else {
                Issue.record("\(c.testDescription): \(path): no gradient for \(input.name)")
                continue
            }
            #expect(got.sizes == input.sizes, "\(c.testDescription): \(path): d\(input.name) has shape \(got.shape), not \(TensorShape(input.sizes))")
            let want = centralDifferences(point, index, f)
            for (i, (g, w)) in zip(got.scalars, want).enumerated() where !near(g, w) {
                Issue.record("\(c.testDescription): \(path): d\(input.name) element \(i) is \(g), central difference \(w)")
                break
            }
        }
    }

    // MARK: - The test

    @Test(arguments: TensorOpTableTests.cases)
    func valueMatchesLoopsAndVJPMatchesCentralDifferences(_ c: TableCase) throws {
        let point = try Self.point(c)
        let want = c.reference(point.map(LoopArray.init))
        var rng = SplitMix64(seed: c.seed ^ 0xA5A5)
        let r = LoopArray(want.sizes, (0..<want.data.count).map { _ in Double.random(in: -1...1, using: &rng) })
        let objective: ([LoopArray]) -> Double = { args in
            zip(c.reference(args).data, r.data).reduce(0) { $0 + $1.0 * $1.1 }
        }

        // 1. The value, against loops; an array output without upstream has no gradient.
        let plain = try Self.program(c) { _, out in out }
        #expect(plain.graph.shapeFaults == 0, "\(c.testDescription): shape faults building the gradient of op(...)")
        let value = try plain.evaluate(tensors: point)
        #expect(value.value.sizes == want.sizes, "\(c.testDescription): value has shape \(value.value.shape), loops give \(TensorShape(want.sizes))")
        for (i, (got, expected)) in zip(value.value.scalars, want.data).enumerated() where !Self.near(got, expected, 1e-12) {
            Issue.record("\(c.testDescription): value element \(i) is \(got), loops give \(expected)")
            break
        }

        // 2. The VJP through a scalar output: out = sum(op(...) * R).
        // R is an array literal; when the output's shape has named dimensions, whose sizes only
        // the values bind, R is an input of that shape instead (its gradient is op(...)).
        let scalar = try Self.program(c) { graph, out in
            var weights = Self.constant(graph, r)
            if graph.shapes[out.int].sizes == nil {
                graph.declare("R", InputDeclaration(shape: graph.shapes[out.int]))
                weights = graph.variable("R")
            }
            let product = try graph.elementwise(.mul, [out, weights])
            return try Self.op(graph, .reduction(.sum(axis: nil, keepdims: false)), [product])
        }
        let weightsAreInput = scalar.staged.inputs.count > c.inputs.count
        // 3. No rule built a node whose operands do not fit.
        #expect(scalar.graph.shapeFaults == 0, "\(c.testDescription): shape faults building the gradient of sum(op(...) * R)")
        let result = try scalar.evaluate(tensors: weightsAreInput ? point + [try Tensor(shape: r.sizes, scalars: r.data)] : point)
        if weightsAreInput, let dR = result.gradient.last ?? nil {
            #expect(dR.scalars.indices.allSatisfy { Self.near(dR.scalars[$0], want.data[$0], 1e-12) }, "\(c.testDescription): dR is not op(...)")
        }
        #expect(Self.near(result.value.scalarValue ?? .nan, objective(point.map(LoopArray.init)), 1e-12),
                "\(c.testDescription): sum(op * R) is \(result.value), loops give \(objective(point.map(LoopArray.init)))")
        let differentiable = scalar.graph.isDifferentiable[scalar.staged.output.int]
        if differentiable {
            Self.expectGradient(c, point, result.gradient, "sum(op * R)", objective)
        } else {
            #expect(result.gradient.allSatisfy { $0 == nil }, "\(c.testDescription): a gradient through an op that passes none")
        }

        // The same VJP with op(...) as the output and R as its upstream gradient.
        if !want.sizes.isEmpty && differentiable {
            let seeded = try plain.evaluate(tensors: point, upstream: try Tensor(shape: r.sizes, scalars: r.data))
            Self.expectGradient(c, point, seeded.gradient, "op with upstream R", objective)
        }
    }
}

extension TensorOpTableTests {
    /// What `grad` prints is the simplified closed form of each adjoint, not the staged VJPs:
    /// evaluated at the same point it must give the same gradient, with the input's shape.
    @Test(arguments: TensorOpTableTests.cases)
    func simplifiedClosedFormEvaluatesToTheGradient(_ c: TableCase) throws {
        let point = try Self.point(c)
        let want = c.reference(point.map(LoopArray.init))
        var rng = SplitMix64(seed: c.seed ^ 0xA5A5)
        let r = LoopArray(want.sizes, (0..<want.data.count).map { _ in Double.random(in: -1...1, using: &rng) })
        let scalar = try Self.program(c) { graph, out in
            var weights = Self.constant(graph, r)
            if graph.shapes[out.int].sizes == nil {
                graph.declare("R", InputDeclaration(shape: graph.shapes[out.int]))
                weights = graph.variable("R")
            }
            let product = try graph.elementwise(.mul, [out, weights])
            return try Self.op(graph, .reduction(.sum(axis: nil, keepdims: false)), [product])
        }
        let values = scalar.staged.inputs.count > c.inputs.count ? point + [try Tensor(shape: r.sizes, scalars: r.data)] : point
        let result = try scalar.evaluate(tensors: values)
        let graph = scalar.graph
        let closed = scalar.closedForm()
        #expect(graph.shapeFaults == 0, "\(c.testDescription): shape faults simplifying the closed form")
        let printer = Printer(graph, InputLanguage(spaced: true))
        for (index, input) in c.inputs.enumerated() where !input.isLabel {
            guard let staged = result.gradient[index] else { continue }
            let text = printer.render(closed[index])
            let program = Gradient(StagedProgram(ProgramGraph(graph: graph, inputs: scalar.staged.inputs, output: closed[index])))
            let value = try program.evaluate(tensors: values).value
            // A closed form of 0 (or any scalar) stands for an array of that value.
            let got = value.rank == 0 ? [Double](repeating: value.scalars[0], count: staged.count) : value.scalars
            #expect(value.rank == 0 || value.sizes == staged.sizes, "\(c.testDescription): d\(input.name) = \(text) has shape \(value.shape)")
            for (i, (g, w)) in zip(got, staged.scalars).enumerated() where !Self.near(g, w, 1e-12) {
                Issue.record("\(c.testDescription): d\(input.name) = \(text): element \(i) is \(g), the staged VJP gives \(w)")
                break
            }
        }
    }
}

/// The cases the table's random points cannot reach: ties, non-scalar outputs with an upstream,
/// extreme logits, indices past a size only the values bind.
@Suite struct TensorOpEdgeTests {
    /// A program over declared inputs, built directly.
    static func program(_ inputs: [(String, TensorShape, Bool)], _ body: (Graph, [NodeID]) throws -> NodeID) throws -> Gradient {
        let graph = Graph()
        for (name, shape, isLabel) in inputs { graph.declare(name, InputDeclaration(shape: shape, isLabel: isLabel)) }
        let output = try body(graph, inputs.map { graph.variable($0.0) })
        let gradient = Gradient(StagedProgram(ProgramGraph(graph: graph, inputs: inputs.map(\.0), output: output)))
        #expect(graph.shapeFaults == 0)
        return gradient
    }

    @Test func literalIndexPastANamedDimensionIsAnErrorNotNaN() throws {
        let gradient = try Self.program([("x", TensorShape([.named("N")]), false)]) { g, x in
            try TensorOpTableTests.op(g, .layout(.entry([3])), x)
        }
        #expect(try gradient.evaluate(tensors: [Tensor(vector: [1, 2, 3, 4])]).value.scalarValue == 4)
        let error = #expect(throws: PointError.self) { try gradient.evaluate(tensors: [Tensor(vector: [1, 2, 3])]) }
        // The shape rule's wording for the same mistake with a fixed size.
        #expect(error?.description == "cannot evaluate 'out': index 3 is out of bounds for axis 0 with size 3")
        // The forward pass alone (an array output without upstream) refuses it too.
        let forward = try Self.program([("x", TensorShape([.named("N")]), false)]) { g, x in
            try g.elementwise(.mul, [try TensorOpTableTests.op(g, .layout(.entry([3])), x), x[0]])
        }
        #expect(throws: PointError.self) { try forward.evaluate(tensors: [Tensor(vector: [1, 2, 3])]) }
    }

    // MARK: - Non-scalar outputs: the gradient is the vector-Jacobian product with the upstream

    /// J^T u by central differences of u . f(x), element by element of input `index`.
    static func vjpByDifferences(_ point: [Tensor], _ index: Int, _ u: [Double], _ f: ([LoopArray]) -> LoopArray) -> [Double] {
        TensorOpTableTests.centralDifferences(point, index) { args in zip(f(args).data, u).reduce(0) { $0 + $1.0 * $1.1 } }
    }

    static func expectVJP(_ gradient: Gradient, _ point: [Tensor], _ u: Tensor, _ f: ([LoopArray]) -> LoopArray, _ label: String) throws {
        let result = try gradient.evaluate(tensors: point, upstream: u)
        let want = f(point.map(LoopArray.init))
        #expect(result.value.sizes == want.sizes, "\(label): value shape")
        #expect(zip(result.value.scalars, want.data).allSatisfy { TensorOpTableTests.near($0, $1, 1e-12) }, "\(label): value")
        for index in point.indices {
            let got = try #require(result.gradient[index], "\(label): no gradient for input \(index)")
            let expected = vjpByDifferences(point, index, u.scalars, f)
            #expect(got.sizes == point[index].sizes, "\(label): gradient \(index) has shape \(got.shape)")
            for (i, (g, w)) in zip(got.scalars, expected).enumerated() {
                #expect(TensorOpTableTests.near(g, w), "\(label): input \(index) element \(i): \(g) vs J^T u = \(w)")
            }
        }
    }

    static func random(_ sizes: [Int], _ rng: inout SplitMix64) throws -> Tensor {
        try Tensor(shape: sizes, scalars: (0..<sizes.reduce(1, *)).map { _ in Double.random(in: -2...2, using: &rng) })
    }

    @Test func vectorOutputWithUpstreamGivesTheVectorJacobianProduct() throws {
        // y = tanh(W @ x + b), W (3, 2), x (2,), b (3,): dW = outer(u * (1 - y^2), x), ...
        let gradient = try Self.program([("W", [3, 2], false), ("x", [2], false), ("b", [3], false)]) { g, v in
            let layer = try g.elementwise(.add, [try TensorOpTableTests.op(g, .linear(.matmul), [v[0], v[1]]), v[2]])
            return try g.elementwise(.function(.tanh), [layer])
        }
        var rng = SplitMix64(seed: 1201)
        let point = [try Self.random([3, 2], &rng), try Self.random([2], &rng), try Self.random([3], &rng)]
        let u = try Self.random([3], &rng)
        try Self.expectVJP(gradient, point, u, { r in
            LoopArray.zipped(LoopArray.matmul(r[0], r[1]), r[2], +).map { Foundation.tanh($0) }
        }, "tanh(W @ x + b)")
        // Without an upstream an array output has a value and no gradient.
        #expect(try gradient.evaluate(tensors: point).gradient.allSatisfy { $0 == nil })
    }

    @Test func matrixOutputWithUpstreamGivesTheVectorJacobianProduct() throws {
        // P = softmax(X @ W + b) over rows, X (4, 3), W (3, 2), b (2,), upstream (4, 2).
        let gradient = try Self.program([("X", [4, 3], false), ("W", [3, 2], false), ("b", [2], false)]) { g, v in
            let logits = try g.elementwise(.add, [try TensorOpTableTests.op(g, .linear(.matmul), [v[0], v[1]]), v[2]])
            return try TensorOpTableTests.op(g, .softmax(.softmax(axis: 1)), [logits])
        }
        var rng = SplitMix64(seed: 1202)
        let point = [try Self.random([4, 3], &rng), try Self.random([3, 2], &rng), try Self.random([2], &rng)]
        try Self.expectVJP(gradient, point, try Self.random([4, 2], &rng), { r in
            LoopArray.zipped(LoopArray.matmul(r[0], r[1]), r[2], +).lanewise(axis: 1, LoopArray.softmax)
        }, "softmax(X @ W + b)")
    }

    @Test func upstreamOfTheWrongShapeOrForAScalarOutputIsRefused() throws {
        let vector = try Self.program([("x", [3], false)]) { g, v in try g.elementwise(.function(.exp), v) }
        let x = Tensor(vector: [0.1, 0.2, 0.3])
        #expect(throws: PointError.upstreamShape(expected: [3], got: [2])) {
            try vector.evaluate(tensors: [x], upstream: Tensor(vector: [1, 1]))
        }
        let scalar = try Self.program([("x", [3], false)]) { g, v in try TensorOpTableTests.op(g, .linear(.norm), v) }
        #expect(throws: PointError.upstreamForScalar) { try scalar.evaluate(tensors: [x], upstream: Tensor(scalar: 1)) }
    }

    // MARK: - Ties: the first extreme element, row-major, and a kink reported

    /// The gradient of sum(max or min of x) at a point with ties, and the kinks reported.
    static func tieGradient(_ reduction: Reduction, _ x: Tensor) throws -> (gradient: [Double], kinks: [Kink]) {
        let gradient = try program([("x", x.shape, false)]) { g, v in
            let reduced = try TensorOpTableTests.op(g, .reduction(reduction), v)
            return try TensorOpTableTests.op(g, .reduction(.sum(axis: nil, keepdims: false)), [reduced])
        }
        let result = try gradient.evaluate(tensors: [x])
        return (try #require(result.gradient[0]).scalars, result.kinks)
    }

    @Test func maxReductionTieSendsTheGradientToTheFirstMaximumRowMajorAndReportsAKink() throws {
        let rows = try Tensor(shape: [2, 3], scalars: [1, 3, 3, 2, 2, 0])
        for keepdims in [false, true] {
            let (gradient, kinks) = try Self.tieGradient(.max(axis: 1, keepdims: keepdims), rows)
            #expect(gradient == [0, 1, 0, 1, 0, 0], "max(axis=1, keepdims=\(keepdims))")
            #expect(kinks.map(\.convention) == ["max tie: the gradient goes to the first maximal element (row-major)"])
        }
        let columns = try Tensor(shape: [2, 2], scalars: [2, 1, 2, 1])
        #expect(try Self.tieGradient(.max(axis: 0, keepdims: false), columns).gradient == [1, 1, 0, 0])
        let whole = try Tensor(shape: [2, 2], scalars: [1, 3, 3, 0])
        let (gradient, kinks) = try Self.tieGradient(.max(axis: nil, keepdims: false), whole)
        #expect(gradient == [0, 1, 0, 0])
        #expect(kinks.count == 1)
        // No tie, no kink.
        let distinct = try Tensor(shape: [2, 2], scalars: [1, 3, 2, 0])
        #expect(try Self.tieGradient(.max(axis: nil, keepdims: false), distinct) == ([0, 1, 0, 0], []))
    }

    @Test func minReductionTieSendsTheGradientToTheFirstMinimumRowMajorAndReportsAKink() throws {
        let rows = try Tensor(shape: [2, 3], scalars: [1, 0, 0, 5, 5, 7])
        let (gradient, kinks) = try Self.tieGradient(.min(axis: 1, keepdims: false), rows)
        #expect(gradient == [0, 1, 0, 1, 0, 0])
        #expect(kinks.map(\.convention) == ["min tie: the gradient goes to the first minimal element (row-major)"])
    }

    @Test func elementwiseMaxTieSendsTheGradientToTheFirstArgumentAndReportsAKink() throws {
        let gradient = try Self.program([("a", [3], false), ("b", [3], false)]) { g, v in
            let m = try g.elementwise(.function(.max), v)
            return try TensorOpTableTests.op(g, .reduction(.sum(axis: nil, keepdims: false)), [m])
        }
        let result = try gradient.evaluate(tensors: [Tensor(vector: [1, 2, 3]), Tensor(vector: [1, 5, 0])])
        #expect(result.gradient[0]?.scalars == [1, 0, 1])
        #expect(result.gradient[1]?.scalars == [0, 1, 0])
        #expect(result.kinks.map(\.convention) == ["max tie: the gradient goes to the first argument"])
    }

    // MARK: - Stability

    @Test func crossEntropyAtLogits1000To1002IsFiniteAndItsGradientIsSoftmaxMinusOnehot() throws {
        let gradient = try Self.program([("z", [3], false), ("y", [], true)]) { g, v in
            try TensorOpTableTests.op(g, .softmax(.crossEntropy), v)
        }
        let result = try gradient.evaluate(tensors: [Tensor(vector: [1000, 1001, 1002]), Tensor(scalar: 2)])
        #expect(result.value.scalarValue == 0.4076059644443804)
        #expect(result.gradient[1] == nil)
        let dz = try #require(result.gradient[0]).scalars
        let s = Foundation.exp(-2.0) + Foundation.exp(-1.0) + 1
        let want = [Foundation.exp(-2.0) / s, Foundation.exp(-1.0) / s, 1 / s - 1]
        #expect(dz.allSatisfy { $0.isFinite })
        for (got, w) in zip(dz, want) { #expect(Swift.abs(got - w) < 1e-15, "dz = \(dz), softmax - onehot = \(want)") }
        #expect(result.firstNonFinite == nil)

        // A batch with logits far apart in both directions stays finite too.
        let batch = try Self.program([("Z", [2, 3], false), ("y", [2], true)]) { g, v in
            try TensorOpTableTests.op(g, .softmax(.crossEntropy), v)
        }
        let logits = try Tensor(shape: [2, 3], scalars: [1000, 1001, 1002, -1000, 0, 1000])
        let batchResult = try batch.evaluate(tensors: [logits, Tensor(vector: [2, 0])])
        #expect(Swift.abs((batchResult.value.scalarValue ?? .nan) - (0.4076059644443804 + 2000) / 2) < 1e-12)
        let dZ = try #require(batchResult.gradient[0]).scalars
        #expect(dZ.allSatisfy { $0.isFinite }, "\(dZ)")
        #expect(Swift.abs(dZ[3] - (-0.5)) < 1e-15 && Swift.abs(dZ[5] - 0.5) < 1e-15, "\(dZ)")
    }

    @Test func logSoftmaxAndLogsumexpAtLargeLogitsAreFinite() throws {
        let gradient = try Self.program([("z", [3], false)]) { g, v in
            let lse = try TensorOpTableTests.op(g, .softmax(.logsumexp(axis: 0, keepdims: false)), v)
            let ls = try TensorOpTableTests.op(g, .softmax(.logSoftmax(axis: 0)), v)
            let total = try TensorOpTableTests.op(g, .reduction(.sum(axis: nil, keepdims: false)), [ls])
            return try g.elementwise(.add, [lse, total])
        }
        let result = try gradient.evaluate(tensors: [Tensor(vector: [1000, 1001, 1002])])
        #expect(result.value.scalarValue?.isFinite == true)
        #expect(result.firstNonFinite == nil)
        #expect(try #require(result.gradient[0]).scalars.allSatisfy { $0.isFinite })
    }
}
