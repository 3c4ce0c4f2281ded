import Symbolic

/// One input of a generated tensor program.
struct TensorInput {
    var name: String
    var shape: TensorShape
    /// For a label input (`y: int`, `t: int (N,)`): the number of classes its values index.
    var classes: Int?
}

/// A generated tensor program: declarations, statements, and how to give it values.
struct TensorProgram {
    /// The declaration lines, which every program read back (closed forms, staged lines) repeats.
    var declarations: String
    /// The statements after the declarations; the last one is the output.
    var body: String
    var inputs: [TensorInput]
    var outputShape: TensorShape
    /// The sizes the named dimensions take at evaluation.
    var bindings: [String: Int]

    var text: String { declarations + "\n" + body }

    /// The declarations with every named dimension replaced by its size, for programs read
    /// back with arrays whose sizes are written out.
    var boundDeclarations: String {
        inputs.map { TensorProgram.declaration($0.name, $0.shape.bound(bindings), label: $0.classes != nil) }.joined(separator: "\n")
    }

    static func declaration(_ name: String, _ shape: TensorShape, label: Bool = false) -> String {
        label ? (shape.rank == 0 ? "\(name): int" : "\(name): int \(shape)") : "\(name): \(shape)"
    }
}

/// Random well-shaped tensor programs over the language of grammar.md section 10: inputs of
/// random shapes (scalars, vectors, matrices, broadcastable pairs such as (3, 1) and (4,), a
/// named dimension N), element-wise arithmetic with NumPy broadcasting, negative constants,
/// decimals, negated exponents on positive bases, `@` with compatible shapes, `.T`, reductions
/// with `axis` and `keepdims`, the softmax family, `cross_entropy` with labels, `onehot`,
/// `reshape`, `flatten`, `norm`, `dot`, `outer`, the matrix functions (`trace`, and `det`,
/// `logdet`, `inv` of positive definite M M^T + I) and indexing (literal, label, `arange(N)`).
///
/// The generator works top-down from a wanted shape, so every program is valid by construction;
/// every function is used inside its domain (`ln(1 + e^2)`, `/ (2 + e^2)`, negative exponents on
/// `1 + e^2` or `exp(tanh(e))`), so values are finite at points in [-1.5, 1.5].
struct RandomTensorPrograms {
    var rng: SplitMix64
    /// Whether to draw the matrix functions too. Off by default, so that the streams of the
    /// seeds the tests used before them (and the programs those found bugs with) stay the same.
    var matrixFunctions = false

    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    mutating func int(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
    mutating func chance(_ percent: Int) -> Bool { int(100) < percent }
    mutating func pick<T>(_ items: [T]) -> T { items[int(items.count)] }
    mutating func uniform(_ lo: Double = -1.5, _ hi: Double = 1.5) -> Double {
        lo + (hi - lo) * Double(rng.next() >> 11) / Double(1 << 53)
    }

    // MARK: Program state while generating one program

    /// Names with a value (inputs and earlier statements) and their shapes; labels excluded.
    private var leaves: [(name: String, shape: TensorShape)] = []
    /// A label of one class index, and the number of classes.
    private var label: (name: String, classes: Int)?
    /// A label per row, `(N,)`, and the number of classes.
    private var rowLabels: (name: String, classes: Int)?
    /// The width k of a real input of shape (N, k), which every shape with N derives from.
    private var batchWidth: (name: String, width: Int)?

    static let sizes = [2, 3, 4]
    /// The sizes of the inputs' axes (more than 1), so that a contraction or a reduced axis
    /// mostly meets an input rather than a literal.
    private var sizePool: [Int] = [2, 3, 4]
    private mutating func size() -> Int { pick(sizePool) }
    static let scalarLiterals: [(text: String, prec: Int)] = [
        ("2", 5), ("0.3", 5), ("1.5", 5), ("0.17", 5), ("3", 5), ("2.75", 5),
        ("-0.3", 3), ("-2", 3), ("-1.25", 3), ("-0.109", 3),
    ]

    /// A program of 2-4 inputs, 0-2 intermediate statements and an output that is mostly a
    /// scalar (`arrayOutput` percent of the time an array, which needs an upstream gradient).
    mutating func program(depth: Int = 3, arrayOutput: Int = 20) -> TensorProgram {
        leaves = []
        label = nil
        rowLabels = nil
        batchWidth = nil
        var inputs: [TensorInput] = []
        var bindings: [String: Int] = [:]
        let m = pick(Self.sizes), n = pick([3, 4])
        var names = ["W", "x", "b", "A", "v", "s", "u", "M"].shuffled(using: &rng)
        let usesN = chance(30)
        if usesN {
            bindings["N"] = pick([2, 3])
            let k = pick([2, 3, 4])
            let name = names.removeLast()
            inputs.append(TensorInput(name: name, shape: TensorShape([.named("N"), .fixed(k)])))
            batchWidth = (name, k)
        }
        let shapes: [TensorShape] = [[], [m], [n], [m, n], [n, m], [m, 1], [n], [1, n], [m, n]]
        let count = 2 + int(3) - (usesN ? 1 : 0)
        for _ in 0..<max(1, count) {
            var shape = pick(shapes)
            if usesN && chance(25) { shape = TensorShape([.named("N")]) }
            if chance(5) { shape = [2, 1, n] }
            inputs.append(TensorInput(name: names.removeLast(), shape: shape))
        }
        for input in inputs { leaves.append((input.name, input.shape)) }
        sizePool = Array(Set(inputs.flatMap { $0.shape.dimensions.compactMap(\.size) }.filter { $0 > 1 })).sorted()
        if sizePool.isEmpty { sizePool = Self.sizes }
        if chance(30) {
            let classes = pick([m, n])
            label = ("y", classes)
            inputs.append(TensorInput(name: "y", shape: [], classes: classes))
        }
        if let batch = batchWidth, chance(50) {
            rowLabels = ("t", batch.width)
            inputs.append(TensorInput(name: "t", shape: TensorShape([.named("N")]), classes: batch.width))
        }

        var lines: [String] = []
        let statementNames = ["h", "z", "p", "q"]
        for index in 0..<int(3) {
            let shape = pick(leaves).shape
            let e = expression(shape, depth: 1 + int(depth), exact: true)
            lines.append("\(statementNames[index]) = \(e.text)")
            leaves.append((statementNames[index], e.shape))
        }
        // The output: mostly one that reads an input (a constant one now and then).
        let realNames = Set(inputs.filter { $0.classes == nil }.map(\.name) + leaves.map(\.name))
        var output = ("", TensorShape.scalar)
        for attempt in 0..<4 {
            output = outputExpression(depth: depth, arrayOutput: arrayOutput)
            let words = Set(output.0.split { !($0.isLetter || $0.isNumber || $0 == "_") }.map(String.init))
            if !words.isDisjoint(with: realNames) || attempt == 3 || chance(5) { break }
        }
        lines.append(output.0)
        let outputShape = output.1
        let declarations = inputs.map { TensorProgram.declaration($0.name, $0.shape, label: $0.classes != nil) }.joined(separator: "\n")
        return TensorProgram(declarations: declarations, body: lines.joined(separator: "\n"), inputs: inputs,
                             outputShape: outputShape, bindings: bindings)
    }

    /// The last statement: an array (`arrayOutput` percent), a reduction of an array (the usual
    /// loss), or any scalar expression.
    private mutating func outputExpression(depth: Int, arrayOutput: Int) -> (String, TensorShape) {
        let arrays = leaves.map(\.shape).filter { $0.rank > 0 }
        if chance(arrayOutput), !arrays.isEmpty {
            let e = expression(pick(arrays), depth: 1 + int(depth), exact: true)
            return (e.text, e.shape)
        }
        let reducible = arrays.filter { makeable($0) }
        if chance(60), !reducible.isEmpty {
            let e = expression(pick(reducible), depth: 1 + int(depth), exact: true)
            return (chance(15) ? "sum(logsumexp(\(e.text)))" : "\(pick(["sum", "sum", "mean", "max", "min", "norm"]))(\(e.text))", [])
        }
        return (expression([], depth: 1 + int(depth), exact: true).text, [])
    }

    /// Values for `program`'s inputs (labels within their classes), by name.
    mutating func values(_ program: TensorProgram) -> [String: Tensor] {
        var result: [String: Tensor] = [:]
        for input in program.inputs {
            let sizes = input.shape.dimensions.map { $0.size ?? program.bindings[$0.description] ?? 1 }
            let count = sizes.reduce(1, *)
            let scalars = (0..<count).map { _ in input.classes.map { Double(int($0)) } ?? uniform() }
            result[input.name] = try? Tensor(shape: sizes, scalars: scalars)
        }
        return result
    }

    // MARK: Expressions

    /// A generated expression: its text, its shape, and how tightly the text binds (1 sums,
    /// 2 products, 3 prefix minus, 4 powers, 5 atoms), for parenthesising it as an operand.
    struct E {
        var text: String
        var shape: TensorShape
        var prec: Int
        func wrapped(below level: Int) -> String { prec < level ? "(\(text))" : text }
    }

    private static func call(_ name: String, _ args: [E], _ keywords: String = "") -> String {
        name + "(" + args.map(\.text).joined(separator: ", ") + keywords + ")"
    }

    /// Whether a leaf of exactly `shape` can always be made (an input, a literal, or a
    /// derivation from the (N, k) input).
    private func makeable(_ shape: TensorShape) -> Bool {
        if shape.sizes != nil { return true }
        if leaves.contains(where: { $0.shape == shape }) { return true }
        guard batchWidth != nil, shape.rank <= 2, shape.dimensions.first == .named("N") else { return false }
        return shape.dimensions.dropFirst().allSatisfy { $0.size != nil }
    }

    /// An expression of shape `shape`, or (with `exact` false) of a shape that broadcasts to it.
    mutating func expression(_ shape: TensorShape, depth: Int, exact: Bool) -> E {
        if depth <= 0 { return leaf(shape, exact: exact) }
        func sub(_ s: TensorShape, exact: Bool = true) -> E { expression(s, depth: depth - 1, exact: exact) }
        if matrixFunctions, chance(25), let m = matrixFunction(shape, depth: depth) { return m }
        let fixed = shape.sizes
        switch int(25) {
        case 0, 1, 2:
            // Element-wise with broadcasting: one side has the whole shape, the other any shape
            // that stretches to it.
            var a = sub(shape, exact: exact), b = sub(shape, exact: false)
            if chance(50) { swap(&a, &b) }
            let op = pick(["+", "-", "*"])
            let result = (try? TensorShape.broadcast(a.shape, b.shape)) ?? shape
            return E(text: a.wrapped(below: op == "*" ? 2 : 1) + " \(op) " + b.wrapped(below: op == "*" ? 3 : 2), shape: result, prec: op == "*" ? 2 : 1)
        case 3:
            // (m, 1) against (n,): neither side has the result's shape.
            guard shape.rank == 2, let sizes = fixed, sizes[0] > 1, sizes[1] > 1 else { return sub(shape, exact: exact) }
            let a = sub([sizes[0], 1]), b = sub([sizes[1]])
            let op = pick(["+", "*", "-"])
            return E(text: a.wrapped(below: 2) + " \(op) " + b.wrapped(below: 3), shape: shape, prec: op == "*" ? 2 : 1)
        case 4:
            let a = sub(shape, exact: exact), b = sub(shape, exact: false)
            let result = (try? TensorShape.broadcast(a.shape, b.shape)) ?? shape
            return E(text: a.wrapped(below: 2) + " / (2 + " + b.wrapped(below: 5) + "^2)", shape: result, prec: 2)
        case 5:
            let a = sub(shape, exact: exact)
            switch int(5) {
            case 0: return E(text: a.wrapped(below: 5) + "^" + pick(["2", "3"]), shape: a.shape, prec: 4)
            case 1: return E(text: "(1 + " + a.wrapped(below: 5) + "^2)^" + pick(["-2", "-0.5", "-1", "0.5"]), shape: a.shape, prec: 4)
            case 2: return E(text: "exp(tanh(\(a.text)))^-1.5", shape: a.shape, prec: 4)
            case 3: return E(text: "sigmoid(\(a.text))^-1", shape: a.shape, prec: 4)
            default: return E(text: "(2 + " + a.wrapped(below: 5) + "^2)^(-" + pick(["0.3", "2", "1.25"]) + ")", shape: a.shape, prec: 4)
            }
        case 6:
            let a = sub(shape, exact: exact)
            return E(text: "-" + a.wrapped(below: 4), shape: a.shape, prec: 3)
        case 7, 8:
            let a = sub(shape, exact: exact)
            let f = pick(["tanh", "sigmoid", "sin", "cos", "softplus", "atan", "relu", "abs"])
            switch int(4) {
            case 0: return E(text: "exp(sin(\(a.text)))", shape: a.shape, prec: 5)
            case 1: return E(text: pick(["sqrt", "ln", "log2"]) + "(1 + " + a.wrapped(below: 5) + "^2)", shape: a.shape, prec: 5)
            default: return E(text: "\(f)(\(a.text))", shape: a.shape, prec: 5)
            }
        case 9:
            let a = sub(shape, exact: exact), b = sub(shape, exact: false)
            let result = (try? TensorShape.broadcast(a.shape, b.shape)) ?? shape
            return E(text: Self.call(pick(["max", "min"]), [a, b]), shape: result, prec: 5)
        case 10:
            let a = sub(shape, exact: exact)
            let c = pick(Self.scalarLiterals)
            if chance(50) {
                return E(text: (c.prec < 5 ? "(\(c.text))" : c.text) + " * " + a.wrapped(below: 3), shape: a.shape, prec: 2)
            }
            return E(text: a.wrapped(below: 2) + " / " + (c.prec < 5 ? "(\(c.text))" : c.text), shape: a.shape, prec: 2)
        case 11, 12:
            return matmul(shape, depth: depth) ?? sub(shape, exact: exact)
        case 13:
            // Transpose: `.T` or `transpose(...)`.
            guard shape.rank == 2, let sizes = fixed else {
                if shape.rank == 1 && chance(30) { return E(text: sub(shape).wrapped(below: 5) + ".T", shape: shape, prec: 5) }
                return sub(shape, exact: exact)
            }
            let a = sub([sizes[1], sizes[0]])
            return chance(70) ? E(text: a.wrapped(below: 5) + ".T", shape: shape, prec: 5) : E(text: Self.call("transpose", [a]), shape: shape, prec: 5)
        case 14, 15, 16:
            return reduction(shape, depth: depth) ?? sub(shape, exact: exact)
        case 17:
            guard shape.rank >= 1 else { return reduction(shape, depth: depth) ?? sub(shape, exact: exact) }
            let a = sub(shape)
            let axis = chance(50) ? "" : ", axis=\(chance(50) ? int(shape.rank) : -1 - int(shape.rank))"
            return E(text: Self.call(pick(["softmax", "log_softmax"]), [a], axis), shape: shape, prec: 5)
        case 18:
            return products(shape, depth: depth) ?? sub(shape, exact: exact)
        case 19, 20:
            return indexing(shape, depth: depth) ?? sub(shape, exact: exact)
        case 21:
            return labelled(shape, depth: depth) ?? sub(shape, exact: exact)
        case 22:
            return layout(shape, depth: depth) ?? sub(shape, exact: exact)
        case 23:
            return convolution(shape, depth: depth) ?? sub(shape, exact: exact)
        default:
            // Reuse: a name with a value, when one has the shape.
            return leaf(shape, exact: exact)
        }
    }

    /// An input or statement of the shape, a constant, or a literal array.
    mutating func leaf(_ shape: TensorShape, exact: Bool) -> E {
        let exactNames = leaves.filter { $0.shape == shape }
        if !exactNames.isEmpty && chance(75) {
            let l = pick(exactNames)
            return E(text: l.name, shape: l.shape, prec: 5)
        }
        if !exact {
            let stretching = leaves.filter { (try? TensorShape.broadcast($0.shape, shape)) == shape }
            if !stretching.isEmpty && chance(70) {
                let l = pick(stretching)
                return E(text: l.name, shape: l.shape, prec: 5)
            }
            let c = pick(Self.scalarLiterals)
            return E(text: c.text, shape: [], prec: c.prec)
        }
        if shape.rank == 0 {
            let arrays = leaves.filter { $0.shape.rank > 0 }
            if !arrays.isEmpty && chance(60) {
                return E(text: "\(pick(["sum", "mean", "max", "min"]))(\(pick(arrays).name))", shape: shape, prec: 5)
            }
            let c = pick(Self.scalarLiterals)
            return E(text: c.text, shape: [], prec: c.prec)
        }
        if let sizes = shape.sizes {
            // An input stretched by a literal of the whole shape, or the literal alone.
            let stretching = leaves.filter { (try? TensorShape.broadcast($0.shape, shape)) == shape }
            if !stretching.isEmpty && chance(70) {
                let l = pick(stretching)
                return E(text: l.name + " \(pick(["+", "*", "-"])) " + literal(sizes).text, shape: shape, prec: 1)
            }
            return literal(sizes)
        }
        if let l = exactNames.first { return E(text: l.name, shape: l.shape, prec: 5) }
        // A shape with N: derived from the (N, k) input.
        guard let batch = batchWidth else { return E(text: "0", shape: [], prec: 5) }
        let x = E(text: batch.name, shape: TensorShape([.named("N"), .fixed(batch.width)]), prec: 5)
        switch shape.dimensions.count {
        case 1: return E(text: "\(pick(["mean", "sum", "max"]))(\(x.text), axis=\(pick(["1", "-1"])))", shape: shape, prec: 5)
        default:
            let width = shape.dimensions[1].size ?? 1
            if width == 1 { return E(text: "sum(\(x.text), axis=1, keepdims=true)", shape: shape, prec: 5) }
            if width == batch.width && chance(50) { return x }
            return E(text: "\(x.text) @ " + literal([batch.width, width]).text, shape: shape, prec: 2)
        }
    }

    /// An array literal of distinct decimals (negatives among them), so that no maximum ties.
    mutating func literal(_ sizes: [Int]) -> E {
        let count = sizes.reduce(1, *)
        var seen = Set<Int>()
        var values: [String] = []
        while values.count < count {
            let k = int(41) - 20
            // Distinct while there are values left (41), so that no maximum ties by accident.
            if !seen.insert(k).inserted && seen.count < 41 { continue }
            values.append(k % 4 == 0 ? String(k / 4) : String(Double(k) / 8))
        }
        func nest(_ dims: ArraySlice<Int>, _ offset: Int) -> (String, Int) {
            guard let first = dims.first else { return (values[offset], 1) }
            var parts: [String] = []
            var used = 0
            for _ in 0..<first {
                let (text, n) = nest(dims.dropFirst(), offset + used)
                parts.append(text)
                used += n
            }
            return ("[" + parts.joined(separator: ", ") + "]", used)
        }
        return E(text: nest(sizes[...], 0).0, shape: TensorShape(sizes), prec: 5)
    }

    mutating func matmul(_ shape: TensorShape, depth: Int) -> E? {
        func sub(_ s: TensorShape) -> E { expression(s, depth: depth - 1, exact: true) }
        func product(_ a: E, _ b: E) -> E {
            E(text: a.wrapped(below: 2) + " @ " + b.wrapped(below: 3), shape: shape, prec: 2)
        }
        let dims = shape.dimensions
        switch dims.count {
        case 0:
            let k = size()
            let a = sub([k]), b = sub([k])
            return chance(50) ? product(a, b) : E(text: Self.call("dot", [a, b]), shape: shape, prec: 5)
        case 1:
            let k: Int
            if dims[0] == .named("N") {
                guard let batch = batchWidth else { return nil }
                k = batch.width
                return product(sub(TensorShape([dims[0], .fixed(k)])), sub([k]))
            }
            k = size()
            return chance(70) ? product(sub(TensorShape([dims[0], .fixed(k)])), sub([k]))
                : product(sub([k]), sub(TensorShape([.fixed(k), dims[0]])))
        case 2:
            guard dims[1].size != nil else { return nil }
            let k: Int
            if dims[0] == .named("N") {
                guard let batch = batchWidth else { return nil }
                k = batch.width
            } else {
                k = size()
            }
            return product(sub(TensorShape([dims[0], .fixed(k)])), sub(TensorShape([.fixed(k), dims[1]])))
        default:
            return nil
        }
    }

    mutating func reduction(_ shape: TensorShape, depth: Int) -> E? {
        func sub(_ s: TensorShape) -> E { expression(s, depth: depth - 1, exact: true) }
        let f = pick(["sum", "sum", "mean", "max", "min", "logsumexp"])
        if shape.rank == 0 && chance(50) {
            let candidates = leaves.map(\.shape).filter { makeable($0) }
            let a = sub(pick(candidates.isEmpty ? [[3]] : candidates))
            // logsumexp reduces the last axis only: over everything it is a vector's.
            return E(text: Self.call(f == "logsumexp" && a.shape.rank != 1 ? "sum" : f, [a]), shape: shape, prec: 5)
        }
        guard shape.rank < 2 || (shape.rank == 2 && chance(30)) else { return nil }
        let position = int(shape.rank + 1)
        var dims = shape.dimensions
        let keep = position < shape.rank && dims[position] == .fixed(1) && chance(60)
        if keep {
            dims[position] = .fixed(size())
        } else {
            dims.insert(.fixed(size()), at: position)
        }
        let operand = TensorShape(dims)
        guard makeable(operand) else { return nil }
        let axis = chance(30) ? position - dims.count : position
        let a = sub(operand)
        return E(text: Self.call(f, [a], ", axis=\(axis)" + (keep ? ", keepdims=true" : "")), shape: shape, prec: 5)
    }

    /// `norm`, `outer`.
    mutating func products(_ shape: TensorShape, depth: Int) -> E? {
        func sub(_ s: TensorShape) -> E { expression(s, depth: depth - 1, exact: true) }
        if shape.rank == 0 {
            let candidates = leaves.map(\.shape).filter { makeable($0) && $0.rank > 0 }
            guard !candidates.isEmpty else { return nil }
            return E(text: Self.call("norm", [sub(pick(candidates))]), shape: shape, prec: 5)
        }
        guard shape.rank == 2, let sizes = shape.sizes else { return nil }
        return E(text: Self.call("outer", [sub([sizes[0]]), sub([sizes[1]])]), shape: shape, prec: 5)
    }

    /// `trace` of any square matrix; `det`, `logdet` and `inv` of M M^T + I (positive
    /// definite with eigenvalues at least 1), so that values stay finite and well conditioned
    /// whatever M is.
    mutating func matrixFunction(_ shape: TensorShape, depth: Int) -> E? {
        func sub(_ s: TensorShape) -> E { expression(s, depth: depth - 1, exact: true) }
        func positiveDefinite(_ n: Int) -> String {
            let m = sub([n, n]).wrapped(below: 5)
            return "\(m) @ \(m).T + eye(\(n))"
        }
        if shape.rank == 0 {
            let n = size()
            switch int(3) {
            case 0: return E(text: "trace(\(sub([n, n]).text))", shape: shape, prec: 5)
            case 1: return E(text: "det(\(positiveDefinite(n)))", shape: shape, prec: 5)
            default: return E(text: "logdet(\(positiveDefinite(n)))", shape: shape, prec: 5)
            }
        }
        guard shape.rank == 2, let sizes = shape.sizes, sizes[0] == sizes[1] else { return nil }
        return E(text: "inv(\(positiveDefinite(sizes[0])))", shape: shape, prec: 5)
    }

    /// `e[i]`, `e[i, j]`, `e[-1]`.
    mutating func indexing(_ shape: TensorShape, depth: Int) -> E? {
        func sub(_ s: TensorShape) -> E { expression(s, depth: depth - 1, exact: true) }
        let k = size()
        let i = chance(20) ? -1 : int(k)
        switch shape.rank {
        case 0:
            if chance(50) {
                return E(text: sub([k]).wrapped(below: 5) + "[\(i)]", shape: shape, prec: 5)
            }
            let n = size()
            return E(text: sub([k, n]).wrapped(below: 5) + "[\(i), \(int(n))]", shape: shape, prec: 5)
        case 1, 2:
            let operand = TensorShape([.fixed(k)] + shape.dimensions)
            guard makeable(operand) else { return nil }
            return E(text: sub(operand).wrapped(below: 5) + "[\(i)]", shape: shape, prec: 5)
        default:
            return nil
        }
    }

    /// Labels: `z[y]`, `Z[arange(N), t]`, `cross_entropy`, `onehot`.
    mutating func labelled(_ shape: TensorShape, depth: Int) -> E? {
        func sub(_ s: TensorShape) -> E { expression(s, depth: depth - 1, exact: true) }
        if shape.rank == 0 {
            if let rows = rowLabels, chance(50) {
                let z = sub(TensorShape([.named("N"), .fixed(rows.classes)]))
                return E(text: "cross_entropy(\(z.text), \(rows.name))", shape: shape, prec: 5)
            }
            guard let label else { return nil }
            let z = sub([label.classes])
            if chance(50) { return E(text: "cross_entropy(\(z.text), \(label.name))", shape: shape, prec: 5) }
            let picked = chance(50) ? E(text: "log_softmax(\(z.text))", shape: [label.classes], prec: 5) : z
            return E(text: picked.wrapped(below: 5) + "[\(label.name)]", shape: shape, prec: 5)
        }
        if shape == TensorShape([.named("N")]), let rows = rowLabels {
            let z = sub(TensorShape([.named("N"), .fixed(rows.classes)]))
            return E(text: z.wrapped(below: 5) + "[arange(N), \(rows.name)]", shape: shape, prec: 5)
        }
        if let label, shape == [label.classes] {
            let a = sub(shape)
            return E(text: a.wrapped(below: 2) + " * onehot(\(label.name), \(label.classes))", shape: shape, prec: 2)
        }
        return nil
    }

    /// `reshape`, `flatten`.
    mutating func layout(_ shape: TensorShape, depth: Int) -> E? {
        func sub(_ s: TensorShape) -> E { expression(s, depth: depth - 1, exact: true) }
        guard let sizes = shape.sizes, shape.rank >= 1 else { return nil }
        let last = sizes[sizes.count - 1]
        if shape.rank == 1, last == 4 || last == 6 {
            let a = sub(last == 4 ? [2, 2] : [2, 3])
            return E(text: "reshape(\(a.text), (\(chance(50) ? "-1" : String(last)),))", shape: shape, prec: 5)
        }
        if shape.rank == 2, last == 4 || last == 6 {
            let a = sub([sizes[0], 2, last / 2])
            return chance(50) ? E(text: "flatten(\(a.text))", shape: shape, prec: 5)
                : E(text: "reshape(\(a.text), (\(sizes[0]), -1))", shape: shape, prec: 5)
        }
        if shape.rank == 2 {
            let a = sub([sizes[0] * sizes[1]])
            return E(text: "reshape(\(a.text), (\(sizes[0]), \(sizes[1])))", shape: shape, prec: 5)
        }
        return nil
    }

    /// Programs that must be refused with a diagnostic: each breaks one shape or label rule.
    static let invalid: [String] = [
        "a: (3,); b: (4,); sum(a + b)",
        "a: (6, 5, 3); b: (6, 5); sum(a * b)",
        "A: (2, 3); B: (2, 3); sum(A @ B)",
        "A: (3, 5, 4); B: (5, 4, 8); sum(A @ B)",
        "x: (3,); sum(x, axis=1)",
        "x: (3,); sum(x, axis=-2)",
        "W: (2, 2); x: (2,); sum(W x)",
        "y: int; sum(softmax(y))",
        "z: (3,); x: (3,); cross_entropy(z, x)",
        "x: (3,); x[3]",
        "W: (3, 2); sum(W[3])",
        "W: (3, 2); sum(W[-4])",
        "x: (3,); x[0.5]",
        "x: (3,); y: int; x[y, 0]",
        "x: (3,); reshape(x, (2, 2))",
        "X: (N, 3); y: (3,); sum(X + reshape(y, (3, 1)))",
        "X: (N, 3); W: (4, 2); sum(X @ W)",
        "A: (2, 3); transpose(A, axes=(0, 0))",
        "x: (3,); onehot(x, 3)",
        "A: (2, 3); sum(A.T + A)",
        "x: (3,); s: (); sum(s @ x)",
        "x: (2,); dot(x, [1, 2, 3])",
        "x: (2,); outer(x, [[1, 2]])",
        "x: (4,); sum(softmax(x, axis=1))",
        "x: (2, 2); y: int (N,); sum(x[arange(N), y])",
        "x: (3,); sum([x, 1])",
        "x: (32, 32); w: (5, 5); sum(conv2d(x, w, stride=2))",
        "x: (4, 4); sum(maxpool2d(x, 2, pad=2))",
        "x: (1, 3, 8, 8); w: (4, 2, 3, 3); sum(conv2d(x, w))",
        "x: (8,); w: (3, 3); sum(conv1d(x, w))",
        "x: (1, 2, 8); w: (3, 2, 3); b: (4,); sum(conv1d(x, w, b))",
        "x: (5,); sum(avgpool1d(x, 0))",
        "y: int (4,); sum(maxpool1d(y, 2))",
    ]
}
