import ExprParse
import Symbolic

/// How vectorised NumPy spells ops on whole arrays: `@`, `.T`, `np.sum(g, axis=0)`,
/// `np.outer`, `np.broadcast_to`, `np.eye(K)[y]`, with every axis and shape written out as
/// numbers (static shapes need no helpers at run time) and named dimensions as the variables
/// the function defines for them (`N = X.shape[0]`).
///
/// Scalar functions, numbers and powers are `NumPyDialect`'s, which NumPy applies element by
/// element. The softmax family reads the lines `NumPyTensorFunction` stages for its argument
/// (`z_max`, `z_exp`, `z_sum`: the maximum subtracted before `exp`), so that `softmax(z)` in the
/// backward pass reuses the exponentials of the forward pass.
struct NumPyTensorDialect: Dialect {
    /// The names of the staged lines of a stable softmax over one axis of one argument.
    struct SoftmaxLines: Hashable {
        /// `np.max(z, axis=a, keepdims=True)`.
        var max: String
        /// `np.exp(z - max)`.
        var exp: String
        /// `np.sum(exp, axis=a, keepdims=True)`.
        var sum: String
    }

    /// The argument's text and the (normalised) axis a softmax-family op works on.
    struct SoftmaxKey: Hashable {
        var argument: String
        var axis: Int
    }

    private let scalar = NumPyDialect()
    /// Named dimension -> the Python variable holding its size.
    var dimensionNames: [String: String] = [:]
    /// The float64 copy of a label that arithmetic reads -> the label's integer array, which
    /// indexing reads instead.
    var integerLabels: [String: String] = [:]
    /// The staged softmax lines available so far, by argument and axis.
    var softmaxLines: [SoftmaxKey: SoftmaxLines] = [:]
    /// The emitted names of the module-level convolution and pooling functions.
    var helperNames: [NumPyConvolution.Helper: String] = [:]

    func number(_ value: Number) -> Printed { scalar.number(value) }
    func constant(_ constant: NamedConstant) -> Printed { scalar.constant(constant) }
    func variable(_ name: String) -> Printed { scalar.variable(name) }
    func call(_ function: Function, _ arguments: [String]) -> Printed { scalar.call(function, arguments) }
    func power(_ base: Printed, _ exponent: Printed) -> Printed { scalar.power(base, exponent) }
    var splitsCoefficients: Bool { scalar.splitsCoefficients }
    var times: String { scalar.times }
    var over: String { scalar.over }

    // MARK: - Shapes

    /// A dimension as Python reads it: its size, or the variable holding a named one.
    func dimension(_ d: Dimension) -> String {
        switch d {
        case .fixed(let n): return String(n)
        case .named(let name): return dimensionNames[name] ?? name
        }
    }

    /// A shape as a Python tuple: `()`, `(4,)`, `(N, 4)`.
    func shape(_ s: TensorShape) -> String {
        let parts = s.dimensions.map(dimension)
        return parts.count == 1 ? "(\(parts[0]),)" : "(" + parts.joined(separator: ", ") + ")"
    }

    /// The number of elements of `s`: `1`, `12`, `N * 3`.
    func elementCount(_ s: TensorShape) -> Printed {
        var fixed = 1
        var named: [String] = []
        for d in s.dimensions {
            switch d {
            case .fixed(let n): fixed = fixed.multipliedReportingOverflow(by: n).partialValue
            case .named: named.append(dimension(d))
            }
        }
        if named.isEmpty { return Printed(String(fixed), Printed.Level.atom) }
        let factors = (fixed == 1 ? [] : [String(fixed)]) + named
        return Printed(factors.joined(separator: " * "), factors.count == 1 ? Printed.Level.atom : Printed.Level.product)
    }

    /// `(0, 2)` for several axes, `1` for one.
    static func axes(_ axes: [Int]) -> String {
        axes.count == 1 ? String(axes[0]) : "(" + axes.map(String.init).joined(separator: ", ") + ")"
    }

    static func call(_ name: String, _ arguments: [String]) -> Printed {
        Printed("\(name)(\(arguments.joined(separator: ", ")))", Printed.Level.atom)
    }

    /// `np.sum(x)`, `np.sum(x, axis=1)`, `np.sum(x, axis=1, keepdims=True)`.
    static func reduce(_ function: String, _ x: String, axis: Int?, keepdims: Bool) -> Printed {
        var arguments = [x]
        if let axis { arguments.append("axis=\(axis)") }
        if keepdims { arguments.append("keepdims=True") }
        return call(function, arguments)
    }

    /// A label read as an index: the integer array, also where arithmetic reads its float copy.
    func index(_ label: Printed) -> String { integerLabels[label.text] ?? label.text }

    // MARK: - Ops

    func tensor(_ op: TensorOp, _ args: [Printed], shapes: [TensorShape]) -> Printed {
        switch op {
        case .reduction(let r): return reduction(r, args, shapes: shapes)
        case .linear(let l): return linear(l, args, shapes: shapes)
        case .layout(let l): return layout(l, args, shapes: shapes)
        case .softmax(let s): return softmax(s, args, shapes: shapes)
        case .convolution(let c): return NumPyConvolution.call(c, args, shapes: shapes, names: helperNames)
        case .matrix(let m): return matrix(m, args, shapes: shapes)
        }
    }

    /// NumPy's linear algebra; log det from `slogdet` (no overflow), with log(sign) added so
    /// that a negative determinant gives nan and a zero one -inf, as the evaluator does. (A
    /// staged logdet is written by the emitter as two lines that factorise once.)
    private func matrix(_ op: MatrixOp, _ args: [Printed], shapes: [TensorShape]) -> Printed {
        switch op {
        case .trace:
            // np.trace sums over the first two axes; a batch's matrices are the last two.
            if shapes[0].rank > 2 { return Self.call("np.trace", [args[0].text, "axis1=-2", "axis2=-1"]) }
            return Self.call("np.trace", [args[0].text])
        case .inverse: return Self.call("np.linalg.inv", [args[0].text])
        case .det: return Self.call("np.linalg.det", [args[0].text])
        case .logdet:
            let slogdet = "np.linalg.slogdet(\(args[0].text))"
            return Printed("\(slogdet)[1] + np.log(\(slogdet)[0])", Printed.Level.sum)
        case .identity(let n): return Self.call("np.eye", [dimension(n)])
        }
    }

    private func reduction(_ op: Reduction, _ args: [Printed], shapes: [TensorShape]) -> Printed {
        let x = args[0].text
        switch op {
        case .sum(let axis, let keepdims): return Self.reduce("np.sum", x, axis: axis, keepdims: keepdims)
        case .mean(let axis, let keepdims): return Self.reduce("np.mean", x, axis: axis, keepdims: keepdims)
        case .max(let axis, let keepdims): return Self.reduce("np.max", x, axis: axis, keepdims: keepdims)
        case .min(let axis, let keepdims): return Self.reduce("np.min", x, axis: axis, keepdims: keepdims)
        case .count(let axis):
            // A named dimension prints as its variable (`N`), which the function reads from
            // the first input declared with it.
            if let axis, shapes[0].dimensions.indices.contains(axis) {
                return Printed(dimension(shapes[0].dimensions[axis]), Printed.Level.atom)
            }
            return elementCount(shapes[0])
        case .firstExtreme(let isMax, let axis):
            return firstExtremeMask(x, isMax: isMax, axis: axis, shape: shapes[0])
        }
    }

    /// 1.0 at the first maximum (minimum) of each lane, 0.0 elsewhere: `np.argmax` gives the
    /// first one, compared with the positions along the axis. No loop, no helper.
    private func firstExtremeMask(_ x: String, isMax: Bool, axis: Int?, shape: TensorShape) -> Printed {
        let arg = isMax ? "np.argmax" : "np.argmin"
        let condition: String
        if shape.rank == 0 {
            return Printed("np.ones(())", Printed.Level.atom)
        } else if let axis, shape.rank > 1 {
            var lane = [Dimension](repeating: .fixed(1), count: shape.rank)
            lane[axis] = shape.dimensions[axis]
            let positions = "np.reshape(np.arange(\(dimension(shape.dimensions[axis]))), \(self.shape(TensorShape(lane))))"
            condition = "np.expand_dims(\(arg)(\(x), axis=\(axis)), \(axis)) == \(positions)"
        } else if shape.rank == 1 {
            condition = "np.arange(\(dimension(shape.dimensions[0]))) == \(arg)(\(x))"
        } else {
            // Over every element: argmax counts row-major, as the convention does.
            condition = "np.reshape(np.arange(\(elementCount(shape).text)), \(self.shape(shape))) == \(arg)(\(x))"
        }
        return Self.call("np.where", [condition, "1.0", "0.0"])
    }

    private func linear(_ op: LinearOp, _ args: [Printed], shapes: [TensorShape]) -> Printed {
        switch op {
        case .matmul:
            // Python gives `@` the level of `*`: left-associative, a product on the right grouped.
            return Printed(args[0].wrapped(below: Printed.Level.matmul) + " @ " + args[1].wrapped(below: Printed.Level.unary),
                           Printed.Level.matmul)
        case .transpose:
            // `.T` reverses every axis in NumPy: the last two only is swapaxes.
            if shapes[0].rank > 2 { return Self.call("np.swapaxes", [args[0].text, "-1", "-2"]) }
            return Printed(args[0].wrapped(below: Printed.Level.atom) + ".T", Printed.Level.atom)
        case .permute(let axes):
            return Self.call("np.transpose", [args[0].text, "(" + axes.map(String.init).joined(separator: ", ") + (axes.count == 1 ? ",)" : ")")])
        case .outer: return Self.call("np.outer", args.map(\.text))
        case .dot: return Self.call("np.dot", args.map(\.text))
        // The 2-norm of a vector, the Frobenius norm of a matrix, and of the flattened array beyond.
        case .norm: return Self.call("np.linalg.norm", [args[0].text])
        }
    }

    private func layout(_ op: LayoutOp, _ args: [Printed], shapes: [TensorShape]) -> Printed {
        let x = args[0]
        switch op {
        case .broadcast(let target):
            // A float, so that a broadcast constant (`dx = 2` stretched) is a float64 array.
            let text = NumPyDialect.isIntegerLiteral(x.text) ? x.text + ".0" : x.text
            return Self.call("np.broadcast_to", [text, shape(target)])
        case .sumTo(let target):
            return sumTo(x.text, from: shapes[0], to: target)
        case .reshape(let target):
            return Self.call("np.reshape", [x.text, shape(target)])
        case .pack(let target):
            let sizes = target.dimensions.map { $0.size ?? 0 }
            return Self.call("np.array", [Self.nested(args.map(\.text), sizes), "dtype=np.float64"])
        case .entry(let index):
            let subscripts = index.isEmpty ? "()" : index.map(String.init).joined(separator: ", ")
            return Printed(x.wrapped(below: Printed.Level.atom) + "[" + subscripts + "]", Printed.Level.atom)
        case .take:
            return Printed(x.wrapped(below: Printed.Level.atom) + "[" + index(args[1]) + "]", Printed.Level.atom)
        case .takeRows:
            let rows = shapes[0].dimensions.first.map(dimension) ?? "0"
            return Printed(x.wrapped(below: Printed.Level.atom) + "[np.arange(\(rows)), " + index(args[1]) + "]", Printed.Level.atom)
        }
    }

    /// The sum over the axes a broadcast stretched, which brings `g` of shape `from` back to
    /// `to`: the padded leading axes summed away, stretched size-1 axes summed with keepdims.
    func sumTo(_ g: String, from: TensorShape, to target: TensorShape) -> Printed {
        guard let u = try? target.unbroadcast(from: from) else { return Self.call("np.reshape", [g, shape(target)]) }
        if u.summedAxes.isEmpty { return Printed(g, Printed.Level.atom) }
        var text = g
        if !u.keptAxes.isEmpty { text = "np.sum(\(text), axis=\(Self.axes(u.keptAxes)), keepdims=True)" }
        if u.droppedLeading > 0 { text = "np.sum(\(text), axis=\(Self.axes(Array(0..<u.droppedLeading))))" }
        return Printed(text, Printed.Level.atom)
    }

    /// The stable softmax family, from the lines staged for the argument (or, if none were,
    /// the same formulas written inline).
    private func softmax(_ op: SoftmaxOp, _ args: [Printed], shapes: [TensorShape]) -> Printed {
        let z = args[0].text
        let last = shapes[0].rank - 1
        func lines(_ axis: Int) -> SoftmaxLines {
            if let lines = softmaxLines[SoftmaxKey(argument: z, axis: axis)] { return lines }
            let max = "np.max(\(z), axis=\(axis), keepdims=True)"
            let exp = "np.exp(\(z) - \(max))"
            return SoftmaxLines(max: max, exp: exp, sum: "np.sum(\(exp), axis=\(axis), keepdims=True)")
        }
        switch op {
        case .softmax(let axis):
            let l = lines(axis)
            return Printed(l.exp + " / " + l.sum, Printed.Level.product)
        case .logSoftmax(let axis):
            let l = lines(axis)
            return Printed(args[0].wrapped(below: Printed.Level.sum) + " - " + l.max + " - np.log(\(l.sum))", Printed.Level.sum)
        case .logsumexp(let axis, let keepdims):
            let l = lines(axis)
            let kept = l.max + " + np.log(\(l.sum))"
            if keepdims { return Printed(kept, Printed.Level.sum) }
            return Self.call("np.squeeze", [kept, "axis=\(axis)"])
        case .crossEntropy:
            // m + log(sum(exp(z - m))) - z[y], m the row's maximum: the mean over rows for a batch.
            let l = lines(last)
            if last == 0 {
                return Printed("\(l.max)[0] + np.log(\(l.sum)[0]) - " + args[0].wrapped(below: Printed.Level.atom) + "[\(index(args[1]))]",
                               Printed.Level.sum)
            }
            let rows = shapes[0].dimensions.first.map(dimension) ?? "0"
            let picked = args[0].wrapped(below: Printed.Level.atom) + "[np.arange(\(rows)), \(index(args[1]))]"
            return Self.call("np.mean", ["\(l.max)[:, 0] + np.log(\(l.sum)[:, 0]) - \(picked)"])
        case .onehot(let classes):
            return Printed("np.eye(\(dimension(classes)))[\(index(args[0]))]", Printed.Level.atom)
        }
    }

    /// `[[a, b], [c, d]]` from row-major texts (the input language's nesting, `LayoutOp.nested`).
    static func nested(_ items: [String], _ sizes: [Int]) -> String {
        sizes.isEmpty ? (items.first ?? "0.0") : LayoutOp.nested(items, sizes)
    }
}
