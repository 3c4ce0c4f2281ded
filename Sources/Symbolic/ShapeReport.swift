import ExprParse

/// The worksheet's shape questions answered for a whole program: every statement's shape, the
/// rule applied step by step when the program is one broadcasting or matrix-product operation,
/// and the number of trainable parameters (the elements of the real inputs).
///
/// An impossible shape is not a report: building one throws the same `SymbolicError` the other
/// commands give, a diagnostic at the operator that says NumPy's reason and the rule's steps.
public struct ShapeReport: Sendable {
    /// One statement (or the bare output expression) and the shape of its value.
    public struct Line: Sendable {
        public let name: String?
        public let text: String
        public let shape: TensorShape
    }

    public let lines: [Line]
    /// The output's shape.
    public let result: TensorShape
    /// The rule applied, when the output is `a + b` (any element-wise operator) or `a @ b`.
    public let steps: [String]
    /// Each real input with its shape and element count (nil when a named dimension is unbound).
    public let parameters: [(name: String, shape: TensorShape, count: Int?)]

    /// The total number of trainable parameters, or nil when some size is unknown.
    public var parameterCount: Int? {
        parameters.reduce(Optional(0)) { total, p in total.flatMap { t in p.count.map { t + $0 } } }
    }

    /// The real inputs that hold a batch of data rather than parameters: those whose declared
    /// shape has a named dimension (`x: (B, 1, 28, 28)`). When there are any, the program is
    /// read as a net (`layers`).
    public let dataInputs: [(name: String, shape: TensorShape)]

    /// For a net, each statement's parameters: the real inputs other than data first read by
    /// that statement (`c = conv2d(x, Wc, bc)` owns Wc and bc), with their element counts.
    public let layers: [[(name: String, count: Int?)]]

    /// The parameters of a net (its real inputs but the data), or nil when some size is unknown.
    public var netParameterCount: Int? {
        layers.joined().reduce(Optional(0)) { total, p in total.flatMap { t in p.count.map { t + $0 } } }
    }

    public init(program: Program, dimensions: [String: Int] = [:]) throws {
        let graph = try ProgramGraph(program)
        var lines: [Line] = []
        for statement in program.statements {
            lines.append(Line(name: statement.name, text: program.printed(statement.value), shape: .scalar))
        }
        // Statement values in order: named statements through the graph's names, the bare
        // output through its node.
        var byName: [String: TensorShape] = [:]
        for (name, node) in graph.statementNames { byName[name] = graph.graph.shapes[node.int] }
        let result = graph.graph.shapes[graph.output.int]
        self.lines = lines.enumerated().map { index, line in
            let shape = index == lines.count - 1 ? result : (line.name.flatMap { byName[$0] } ?? line.shape)
            return Line(name: line.name, text: line.text, shape: shape.bound(dimensions))
        }
        self.result = result.bound(dimensions)
        self.steps = ShapeReport.steps(graph.graph, graph.output)
        let parameters: [(name: String, shape: TensorShape, count: Int?)] = zip(graph.inputs, graph.inputNodes).compactMap { name, node in
            guard graph.graph.isDifferentiable[node.int] else { return nil }
            let shape = graph.graph.shapes[node.int].bound(dimensions)
            return (name, shape, try? shape.elementCount())
        }
        self.parameters = parameters
        let data = Set(program.declarations.filter { d in
            d.kind == .real && d.dimensions.contains { if case .named = $0 { return true } else { return false } }
        }.map(\.name))
        self.dataInputs = parameters.filter { data.contains($0.name) }.map { ($0.name, $0.shape) }
        guard !data.isEmpty else {
            self.layers = []
            return
        }
        // Each parameter belongs to the first statement that reads it.
        let counts = Dictionary(parameters.map { ($0.name, $0.count) }, uniquingKeysWith: { first, _ in first })
        var claimed = data
        self.layers = program.statements.map { statement in
            var owned: [(name: String, count: Int?)] = []
            for name in ShapeReport.variables(program, statement.value) where !claimed.contains(name) {
                guard let count = counts[name] else { continue }
                claimed.insert(name)
                owned.append((name, count))
            }
            return owned
        }
    }

    /// The variables `root` reads, in the order written.
    static func variables(_ program: Program, _ root: ASTNodeID) -> [String] {
        var names: [String] = []
        var stack = [root]
        while let id = stack.popLast() {
            if case .variable(let name) = program[id].kind, !names.contains(name) { names.append(name) }
            stack.append(contentsOf: program[id].children.reversed())
        }
        return names
    }

    /// The rule behind the output's own operation, if it combines two arrays.
    static func steps(_ graph: Graph, _ output: NodeID) -> [String] {
        let node = graph[output]
        // The operand as written: an explicit broadcast node stands for its operand.
        func written(_ id: NodeID) -> TensorShape {
            if case .tensor(.layout(.broadcast)) = graph[id].op { return graph.shapes[graph[id].children[0].int] }
            return graph.shapes[id.int]
        }
        switch node.op {
        case .add, .sub, .mul, .div, .pow, .function:
            guard node.children.count == 2 else { return [] }
            return TensorShape.broadcastSteps(written(node.children[0]), written(node.children[1]))
        case .tensor(.linear(.matmul)):
            return TensorShape.matmulSteps(graph.shapes[node.children[0].int], graph.shapes[node.children[1].int])
        default:
            return []
        }
    }
}

extension TensorShape {
    /// NumPy's matmul rule step by step: promotion of 1-D operands, the contracted axes, the
    /// batch axes broadcast like `+`, the result. On failure the last line says why.
    public static func matmulSteps(_ a: TensorShape, _ b: TensorShape) -> [String] {
        var lines = ["\(a) @ \(b)"]
        guard a.rank > 0, b.rank > 0 else {
            lines.append("a scalar has no axes to contract: write * to multiply by a scalar")
            return lines
        }
        let left = a.rank == 1 ? TensorShape([.fixed(1)] + a.dimensions) : a
        let right = b.rank == 1 ? TensorShape(b.dimensions + [.fixed(1)]) : b
        if a.rank == 1 { lines.append("the left operand is 1-D: promoted to a row \(left) (the added axis is removed at the end)") }
        if b.rank == 1 { lines.append("the right operand is 1-D: promoted to a column \(right) (the added axis is removed at the end)") }
        let k1 = left.dimensions[left.rank - 1], k2 = right.dimensions[right.rank - 2]
        let m = left.dimensions[left.rank - 2], n = right.dimensions[right.rank - 1]
        if k1 != k2 {
            lines.append("contract the last axis of the left with the second-to-last of the right: \(k1) != \(k2), so the product is undefined")
            return lines
        }
        lines.append("contract \(k1) with \(k2): each matrix product is (\(m), \(k1)) @ (\(k2), \(n)) -> (\(m), \(n))")
        let batchA = TensorShape(Array(left.dimensions.dropLast(2))), batchB = TensorShape(Array(right.dimensions.dropLast(2)))
        if batchA.rank > 0 || batchB.rank > 0 {
            do {
                let batch = try broadcast(batchA, batchB)
                lines.append("batch axes \(batchA) and \(batchB) broadcast to \(batch)")
            } catch {
                lines.append("batch axes \(batchA) and \(batchB) do not broadcast: \(error.explanation)")
                return lines
            }
        }
        do {
            lines.append("result: \(try matmul(a, b))")
        } catch {
            lines.append("error: \(error.description)")
        }
        return lines
    }
}
