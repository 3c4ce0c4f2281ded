import ExprParse

extension Dimension {
    /// A dimension as written in a declaration or a shape tuple.
    init(_ syntax: DimensionSyntax) {
        switch syntax {
        case .size(let n): self = .fixed(n)
        case .named(let name): self = .named(name)
        }
    }
}

extension Program {
    /// Where a binary operator was written: the text between its operands (` @ `), which a
    /// shape error underlines.
    func operatorRange(_ lhs: ASTNodeID, _ rhs: ASTNodeID) -> SourceRange {
        let (a, b) = (self[lhs].range.end, self[rhs].range.start)
        return a < b ? SourceRange(start: a, end: b) : self[rhs].range
    }
}

/// Turns the tensor constructs of a parsed program into graph nodes, checking shapes as it
/// goes: every shape error and misuse becomes a `SymbolicError.diagnostic` at the construct's
/// source range, with NumPy's wording and a plain explanation.
struct TensorLowering {
    let program: Program
    let graph: Graph
    /// Syntax that only means something where it is written: `reshape`'s shape tuple and the
    /// `arange(N)` of `Z[arange(N), y]`. Their parents read them from the syntax tree; on their
    /// own they make a placeholder node.
    private let operandSyntax: Set<ASTNodeID>

    init(program: Program, graph: Graph) {
        self.program = program
        self.graph = graph
        var operandSyntax = Set<ASTNodeID>()
        for node in program.nodes {
            switch node.kind {
            case .tensorCall(let function, let args, _) where function.takesShape && args.count == 2: operandSyntax.insert(args[1])
            case .index(_, let indices) where indices.count == 2:
                if case .tensorCall(.arange, _, _) = program[indices[0]].kind { operandSyntax.insert(indices[0]) }
            default: break
            }
        }
        self.operandSyntax = operandSyntax
    }

    /// Checks each declared shape's size before any node is made: a declaration of more than
    /// `TensorShape.maxElements` elements could never be given a value.
    func checkDeclarations() throws {
        for declaration in program.declarations {
            let shape = TensorShape(declaration.dimensions.map(Dimension.init))
            guard shape.sizes != nil else { continue }
            do { _ = try shape.elementCount() } catch {
                throw self.error("shape-too-large", error.description, at: declaration.shapeRange, notes: ["note: " + error.explanation])
            }
        }
    }

    func error(_ id: String, _ message: String, at range: SourceRange, notes: [String] = []) -> SymbolicError {
        .diagnostic(Diagnostic(.error, id: id, message, at: range, notes: notes))
    }

    func shapeError(_ e: ShapeError, at range: SourceRange) -> SymbolicError {
        error("shape-mismatch", e.description, at: range, notes: ["note: " + e.explanation])
    }

    /// Checks that `op` accepts the operands' shapes.
    func checkShapes(_ op: Op, _ args: [NodeID], at range: SourceRange) throws {
        do { _ = try graph.shape(of: op, Children(args)) } catch { throw shapeError(error, at: range) }
    }

    func elementwise(_ op: Op, _ args: [NodeID], at range: SourceRange) throws -> NodeID {
        do { return try graph.elementwise(op, args) } catch {
            guard args.count == 2 else { throw shapeError(error, at: range) }
            // NumPy's rule step by step, ending at the axis that fails.
            let steps = TensorShape.broadcastSteps(graph.shapes[args[0].int], graph.shapes[args[1].int])
            throw self.error("shape-mismatch", error.description, at: range,
                             notes: ["note: " + error.explanation] + steps.map { "  " + $0 })
        }
    }

    func tensor(_ op: TensorOp, _ args: [NodeID], at range: SourceRange) throws -> NodeID {
        if op == .linear(.matmul) {
            do { _ = try graph.shape(of: .tensor(op), Children(args)) } catch {
                let steps = TensorShape.matmulSteps(graph.shapes[args[0].int], graph.shapes[args[1].int])
                throw self.error("shape-mismatch", error.description, at: range, notes: ["note: " + error.explanation] + steps.map { "  " + $0 })
            }
        }
        try checkShapes(.tensor(op), args, at: range)
        return graph.intern(.tensor(op), Children(args))
    }

    /// `W x` of two arrays: a student may mean either product, so neither is guessed.
    func checkJuxtaposition(_ args: [NodeID], at range: SourceRange) throws {
        let (a, b) = (graph.shapes[args[0].int], graph.shapes[args[1].int])
        guard a.rank > 0, b.rank > 0 else { return }
        let left = program.printed(astChild(range, 0)), right = program.printed(astChild(range, 1))
        throw error("ambiguous-product", "juxtaposing two arrays (shapes \(a) and \(b)) is ambiguous", at: range,
                    notes: ["note: write \(left) @ \(right) for the matrix product or \(left) * \(right) for the element-wise one"])
    }

    /// The operands of the juxtaposition at `range` (for the message).
    private func astChild(_ range: SourceRange, _ index: Int) -> ASTNodeID {
        for (i, node) in program.nodes.enumerated() where node.range == range {
            if case .binary(.multiply, let l, let r) = node.kind, program.juxtapositions.contains(ASTNodeID(i)) { return index == 0 ? l : r }
        }
        return ASTNodeID(0)
    }

    /// A named dimension read as a number (`sum(x)/N`): the size of the first declared axis
    /// with that name, read from its input's value. Nil for a name that is not a dimension.
    func dimension(named name: String, inputs: [NodeID]) throws -> NodeID? {
        for declaration in program.declarations {
            guard let axis = declaration.dimensions.firstIndex(of: .named(name)) else { continue }
            let input = graph.variable(declaration.name)
            return graph.intern(.tensor(.reduction(.count(axis: axis))), Children(input))
        }
        return nil
    }

    // MARK: - Constructs

    func lower(_ id: ASTNodeID, mapped: [NodeID]) throws -> NodeID {
        if operandSyntax.contains(id) { return graph.integer(0) }
        let node = program[id]
        switch node.kind {
        case .tensorCall(let function, let arguments, let keywords):
            return try call(function, arguments, keywords, mapped: mapped, at: node.range)
        case .array(let elements, let shape):
            let args = elements.map { mapped[$0.index] }
            for (element, arg) in zip(elements, args) where graph.shapes[arg.int].rank > 0 {
                throw error("array-element-shape", "an element of an array literal must be a scalar, not an array of shape \(graph.shapes[arg.int])",
                            at: program[element].range)
            }
            return try tensor(.layout(.pack(TensorShape(shape))), args, at: node.range)
        case .shapeTuple:
            throw error("misplaced-shape", "a shape tuple is only allowed as the second argument of reshape", at: node.range)
        case .transpose(let operand):
            return try tensor(.linear(.transpose), [mapped[operand.index]], at: node.range)
        case .index(let base, let indices):
            return try index(base, indices, mapped: mapped, at: node.range)
        case .number, .constant, .variable, .unary, .binary, .call, .error:
            throw SymbolicError.programHasErrors
        }
    }

    /// An integer written as a literal (`1`, `-1`), if the node is one.
    func integerLiteral(_ id: ASTNodeID) -> Int? {
        switch program[id].kind {
        case .number(let literal):
            guard literal.value == literal.value.rounded(), Swift.abs(literal.value) < 1e9 else { return nil }
            return Int(literal.value)
        case .unary(.negate, let operand): return integerLiteral(operand).map { -$0 }
        default: return nil
        }
    }

    /// A node usable as an index: an integer literal, or an input declared `int` (or an
    /// expression of them).
    func requireIndex(_ node: NodeID, _ ast: ASTNodeID) throws {
        if graph.isDifferentiable[node.int] || (graph.isConstant[node.int] && integerLiteral(ast) == nil) {
            throw error("index-not-integer", "an index must be an integer or a label, declared like 'y: int'", at: program[ast].range)
        }
    }

    private func index(_ base: ASTNodeID, _ indices: [ASTNodeID], mapped: [NodeID], at range: SourceRange) throws -> NodeID {
        let x = mapped[base.index]
        let shape = graph.shapes[x.int]
        if indices.count == 2, case .tensorCall(.arange, let rangeArgs, _) = program[indices[0]].kind {
            // Z[arange(N), y]: one entry per row.
            let labels = mapped[indices[1].index]
            try requireIndex(labels, indices[1])
            if shape.rank == 2, let n = rangeArgs.first.flatMap(dimension), n != shape.dimensions[0] {
                throw error("index-range", "arange(\(n)) must cover the \(shape.dimensions[0]) rows of an array of shape \(shape)", at: program[indices[0]].range)
            }
            return try tensor(.layout(.takeRows), [x, labels], at: range)
        }
        let literals = indices.map(integerLiteral)
        if literals.count > 1 || (shape.rank == 1 && literals[0] != nil) {
            var normalized: [Int] = []
            for (axis, literal) in literals.enumerated() {
                guard let i = literal else {
                    throw error("index-not-integer", "with several indices, each must be an integer literal (or use Z[arange(N), y] to pick one entry per row)",
                                at: program[indices[axis]].range)
                }
                let size = axis < shape.rank ? shape.dimensions[axis].size : nil
                if let size, i < -size || i >= size {
                    throw error("index-out-of-range", "index \(i) is out of bounds for axis \(axis) with size \(size)", at: program[indices[axis]].range)
                }
                normalized.append(i < 0 ? i + (size ?? 0) : i)
            }
            return try tensor(.layout(.entry(normalized)), [x], at: range)
        }
        var i = mapped[indices[0].index]
        try requireIndex(i, indices[0])
        if let literal = literals[0] {
            // A literal row of an array whose first axis has a known size is checked here, and a
            // negative one counted from the end, as NumPy does (`W[-1]` is the last row).
            if let size = shape.dimensions.first?.size {
                if literal < -size || literal >= size {
                    throw error("index-out-of-range", "index \(literal) is out of bounds for axis 0 with size \(size)", at: program[indices[0]].range)
                }
                if literal < 0 { i = graph.integer(Int64(literal + size)) }
            } else if literal < 0 {
                throw error("index-out-of-range", "a negative index needs a known size; write the index from the start", at: program[indices[0]].range)
            }
        }
        return try tensor(.layout(.take), [x, i], at: range)
    }

    /// `N` or `3` as a dimension, from a call argument.
    private func dimension(_ id: ASTNodeID) -> Dimension? {
        if let n = integerLiteral(id) { return .fixed(n) }
        if case .variable(let name) = program[id].kind { return .named(name) }
        return nil
    }

    /// Whether `node` holds labels: computed from label inputs and numbers alone. A one-hot
    /// array is real even though no gradient flows through it (0s and 1s to compute with, as
    /// the backward lines of `z[y]` do: `reshape(onehot(y, 4), (1, 4))`).
    ///
    /// A value holds labels when it is computed from label inputs alone by arithmetic and
    /// picking (`y`, `1 - y`, `t[0]`); a one-hot array, a max's mask or a dimension's size is
    /// real-valued even though no gradient flows through it.
    func holdsLabels(_ node: NodeID) -> Bool {
        guard !graph.isDifferentiable[node.int] && !graph.isConstant[node.int] else { return false }
        var stack = [node]
        while let id = stack.popLast() {
            if graph.isConstant[id.int] { continue }
            let n = graph[id]
            switch n.op {
            case .variable(let name):
                if !(graph.declarations[name]?.isLabel ?? false) { return false }
            case .add, .sub, .mul, .div, .neg, .pow, .function:
                stack.append(contentsOf: n.children)
            case .tensor(.layout(.take)), .tensor(.layout(.takeRows)), .tensor(.layout(.entry)), .tensor(.layout(.pack)),
                 .tensor(.layout(.broadcast)), .tensor(.layout(.reshape)):
                stack.append(n.children[0])
            default:
                return false
            }
        }
        return true
    }

    private func call(_ function: TensorFunction, _ arguments: [ASTNodeID], _ keywords: [KeywordArgument],
                      mapped: [NodeID], at range: SourceRange) throws -> NodeID {
        let args = arguments.map { mapped[$0.index] }
        let shape = args.first.map { graph.shapes[$0.int] } ?? .scalar
        var axis: Int?
        var keepdims = false
        var axes: [Int]?
        var stride: Int?
        var pad = 0
        for keyword in keywords {
            switch (keyword.name, keyword.value) {
            case ("axis", .integer(let a)):
                do { axis = try shape.normalizedAxis(a) } catch { throw shapeError(error, at: keyword.range) }
            case ("axis", .integers):
                throw error("keyword-value", "reduce over one axis at a time: axis takes one integer", at: keyword.range)
            case ("keepdims", .boolean(let b)): keepdims = b
            case ("axes", .integers(let list)): axes = list
            case ("stride", .integer(let n)) where n >= 1: stride = n
            case ("pad", .integer(let n)) where n >= 0: pad = n
            default:
                throw error("keyword-value", "\(keyword.name)=\(keyword.value.text) is not a valid value for '\(keyword.name)'", at: keyword.range)
            }
        }
        // Labels are numbers in arithmetic, products and reductions (`W1 @ x`, `outer(g, y)`),
        // but class probabilities of labels (`softmax(y)`) are a slip.
        let needsReals: Set<TensorFunction> = [.softmax, .logSoftmax, .logsumexp, .crossEntropy, .inv, .det, .logdet]
        for (argument, node) in zip(arguments, args).prefix(1) where needsReals.contains(function) && holdsLabels(node) {
            throw error("label-as-real", "'\(program.printed(argument))' holds integer labels, but \(function.name) needs real values", at: program[argument].range)
        }
        let lastAxis = shape.rank - 1
        switch function {
        case .sum: return try tensor(.reduction(.sum(axis: axis, keepdims: keepdims)), args, at: range)
        case .mean: return try tensor(.reduction(.mean(axis: axis, keepdims: keepdims)), args, at: range)
        case .max: return try tensor(.reduction(.max(axis: axis, keepdims: keepdims)), args, at: range)
        case .min: return try tensor(.reduction(.min(axis: axis, keepdims: keepdims)), args, at: range)
        case .norm: return try tensor(.linear(.norm), args, at: range)
        case .dot: return try tensor(.linear(.dot), args, at: range)
        case .outer: return try tensor(.linear(.outer), args, at: range)
        case .softmax, .logSoftmax, .logsumexp:
            guard shape.rank > 0 else {
                throw error("shape-mismatch", "\(function.name) needs an array with at least one axis, got a scalar", at: range)
            }
            let a = axis ?? lastAxis
            switch function {
            case .softmax: return try tensor(.softmax(.softmax(axis: a)), args, at: range)
            case .logSoftmax: return try tensor(.softmax(.logSoftmax(axis: a)), args, at: range)
            default: return try tensor(.softmax(.logsumexp(axis: a, keepdims: keepdims)), args, at: range)
            }
        case .crossEntropy:
            if graph.isDifferentiable[args[1].int] || (graph.isConstant[args[1].int] && integerLiteral(arguments[1]) == nil) {
                throw error("real-as-label", "the second argument of cross_entropy must hold class labels, declared like 'y: int'", at: program[arguments[1]].range)
            }
            return try tensor(.softmax(.crossEntropy), args, at: range)
        case .onehot:
            // K is a positive integer or a dimension some input declares (then it is its size).
            let declared = Set(program.dimensionNames)
            let k = integerLiteral(arguments[1]).map(Dimension.fixed)
                ?? dimension(arguments[1]).flatMap { d in d.size == nil && !declared.contains(d.description) ? nil : d }
            guard let k, k.size.map({ $0 > 0 }) ?? true else {
                throw error("onehot-classes", "the number of classes must be a positive integer or a dimension an input declares",
                            at: program[arguments[1]].range)
            }
            try requireIndex(args[0], arguments[0])
            return try tensor(.softmax(.onehot(classes: k)), [args[0]], at: range)
        case .reshape, .broadcastTo, .sumTo:
            guard case .shapeTuple(let dims) = program[arguments[1]].kind else {
                throw error("reshape-shape", "the second argument of \(function.name) must be a shape, like (B, -1)", at: program[arguments[1]].range)
            }
            let shape = TensorShape(dims.map(Dimension.init))
            switch function {
            case .broadcastTo: return try tensor(.layout(.broadcast(shape)), [args[0]], at: range)
            case .sumTo: return try tensor(.layout(.sumTo(shape)), [args[0]], at: range)
            default: return try tensor(.layout(.reshape(shape)), [args[0]], at: range)
            }
        case .firstArgmaxMask, .firstArgminMask:
            return try tensor(.reduction(.firstExtreme(max: function == .firstArgmaxMask, axis: axis)), args, at: range)
        case .flatten:
            // PyTorch's nn.Flatten: the first (batch) axis stays, the others are merged.
            guard shape.rank > 2 else { return args[0] }
            return try tensor(.layout(.reshape(TensorShape([shape.dimensions[0], .fixed(-1)]))), args, at: range)
        case .transpose:
            if let axes {
                let normalized: [Int]
                do { normalized = try TensorShape.checkPermutation(axes, rank: shape.rank) } catch { throw shapeError(error, at: range) }
                return try tensor(.linear(.permute(normalized)), args, at: range)
            }
            // NumPy's transpose reverses the axes; up to rank 2 that is `.T`.
            if shape.rank <= 2 { return try tensor(.linear(.transpose), args, at: range) }
            return try tensor(.linear(.permute(Array((0..<shape.rank).reversed()))), args, at: range)
        case .trace: return try tensor(.matrix(.trace), args, at: range)
        case .inv: return try tensor(.matrix(.inverse), args, at: range)
        case .det: return try tensor(.matrix(.det), args, at: range)
        case .logdet: return try tensor(.matrix(.logdet), args, at: range)
        case .eye:
            // n is a positive integer or a dimension some input declares, as onehot's K.
            let declared = Set(program.dimensionNames)
            let n = integerLiteral(arguments[0]).map(Dimension.fixed)
                ?? dimension(arguments[0]).flatMap { d in d.size == nil && !declared.contains(d.description) ? nil : d }
            guard let n, n.size.map({ $0 > 0 }) ?? true else {
                throw error("eye-size", "the size of eye(n) must be a positive integer or a dimension an input declares",
                            at: program[arguments[0]].range)
            }
            return try tensor(.matrix(.identity(n)), [], at: range)
        case .arange:
            throw error("misplaced-arange", "arange(N) is only allowed as the first index of Z[arange(N), y]", at: range)
        case .conv1d, .conv2d, .maxpool1d, .maxpool2d, .avgpool1d, .avgpool2d, .conv1dInputGrad, .conv2dInputGrad,
             .conv1dFilterGrad, .conv2dFilterGrad, .conv1dBiasGrad, .conv2dBiasGrad, .maxpool1dGrad, .maxpool2dGrad,
             .avgpool1dGrad, .avgpool2dGrad, .maxpool1dPick, .maxpool2dPick:
            return try convolution(function, arguments, args, stride: stride, pad: pad, at: range)
        }
    }

    /// A convolution, a pooling or one of their backward ops. An invalid configuration is an
    /// error at the call that shows the output-size arithmetic.
    private func convolution(_ function: TensorFunction, _ arguments: [ASTNodeID], _ args: [NodeID],
                             stride: Int?, pad: Int, at range: SourceRange) throws -> NodeID {
        let axes = function.name.contains("1d") ? 1 : 2
        let conv = Convolution(spatialAxes: axes, stride: stride ?? 1, pad: pad)
        /// The window size of a pooling: a positive integer literal after the arrays.
        func pooling(_ kind: PoolKind) throws -> Pooling {
            let position = arguments.count - 1
            guard let k = integerLiteral(arguments[position]), k >= 1 else {
                throw error("pool-kernel", "the window size of \(function.name) must be a positive integer, like \(function.name)(x, 2)",
                            at: program[arguments[position]].range)
            }
            return Pooling(kind: kind, spatialAxes: axes, kernel: k, stride: stride, pad: pad)
        }
        let op: ConvolutionOp
        var operands = args
        switch function {
        case .conv1d, .conv2d: op = .conv(conv)
        case .conv1dInputGrad, .conv2dInputGrad: op = .inputGrad(conv)
        case .conv1dFilterGrad, .conv2dFilterGrad: op = .filterGrad(conv)
        case .conv1dBiasGrad, .conv2dBiasGrad: op = .biasGrad(conv)
        case .maxpool1d, .maxpool2d:
            op = .pool(try pooling(.max))
            operands = [args[0]]
        case .avgpool1d, .avgpool2d:
            op = .pool(try pooling(.average))
            operands = [args[0]]
        case .maxpool1dGrad, .maxpool2dGrad:
            op = .maxPoolGrad(try pooling(.max))
            operands = [args[0], args[1]]
        case .avgpool1dGrad, .avgpool2dGrad:
            op = .avgPoolGrad(try pooling(.average))
            operands = [args[0]]
        case .maxpool1dPick, .maxpool2dPick:
            op = .maxPoolPick(try pooling(.max))
            operands = [args[0], args[1]]
        case .sum, .mean, .max, .min, .norm, .dot, .outer, .softmax, .logSoftmax, .logsumexp, .crossEntropy, .onehot,
             .reshape, .flatten, .transpose, .arange, .broadcastTo, .sumTo, .firstArgmaxMask, .firstArgminMask,
             .trace, .inv, .det, .logdet, .eye:
            // `call` sends only the convolution family here.
            throw SymbolicError.programHasErrors
        }
        for (argument, node) in zip(arguments, operands) where holdsLabels(node) {
            throw error("label-as-real", "'\(program.printed(argument))' holds integer labels, but \(function.name) needs real values", at: program[argument].range)
        }
        do { _ = try graph.shape(of: .tensor(.convolution(op)), Children(operands)) } catch {
            switch error {
            case .windowSize, .poolPadding:
                throw self.error("window-size", error.description, at: range, notes: ["note: " + error.explanation])
            default:
                throw shapeError(error, at: range)
            }
        }
        return graph.intern(.tensor(.convolution(op)), Children(operands))
    }
}
