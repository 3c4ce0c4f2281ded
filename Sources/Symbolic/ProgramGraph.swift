import ExprParse

/// A parsed program lifted into a `Graph`, exactly as written: one node per operation of the
/// text (shared when identical), inputs as variables, statement names remembered.
public struct ProgramGraph {
    public let graph: Graph
    /// Input names in parameter order (first appearance, or as ordered by `variables`).
    public let inputs: [String]
    public let inputNodes: [NodeID]
    public let output: NodeID
    /// The output's name from the program (`z` in `...; z = 2x + y`), or nil for a bare expression.
    public let outputName: String?
    /// Names given by the program's statements, in statement order.
    public let statementNames: [(name: String, node: NodeID)]
    /// The node each syntax-tree node became (by AST index), for pointing at the source of a
    /// node later (a stability rewrite's note); empty for graphs built directly.
    public let astNodes: [NodeID]

    /// A program over an existing graph: `inputs` are variable names, `output` any node of it.
    /// Used to differentiate graphs built directly (by tests, or by generators of large models).
    public init(graph: Graph, inputs: [String], output: NodeID, outputName: String? = nil) {
        self.graph = graph
        self.inputs = inputs
        self.inputNodes = inputs.map { graph.variable($0) }
        self.output = output
        self.outputName = outputName
        self.statementNames = []
        self.astNodes = []
    }

    /// The same program with some nodes replaced (`replacement` maps old nodes to new ones):
    /// the output and the statement names follow their nodes.
    init(_ other: ProgramGraph, replacing replacement: [NodeID: NodeID]) {
        graph = other.graph
        inputs = other.inputs
        inputNodes = other.inputNodes
        output = replacement[other.output] ?? other.output
        outputName = other.outputName
        statementNames = other.statementNames.map { ($0.name, replacement[$0.node] ?? $0.node) }
        astNodes = other.astNodes
    }

    /// Builds the graph of `program`.
    /// - Parameters:
    ///   - expand: decompose composite functions (sigmoid, tanh, softplus, sinh, cosh, log2,
    ///     log10) into elementary ops, as worksheet hints do.
    ///   - variables: the parameter order; it must list every input and may add inputs the
    ///     output ignores (the worksheet's `g(x, y, z)` that never reads `z`).
    public init(_ program: Program, expand: Bool = false, variables: [String]? = nil, graph: Graph = Graph()) throws {
        let programInputs = program.inputs
        var order = programInputs
        if let variables {
            var seen = Set<String>()
            for v in variables where !seen.insert(v).inserted { throw SymbolicError.duplicateVariable(v) }
            for input in programInputs where !seen.contains(input) { throw SymbolicError.missingVariable(input) }
            let assigned = Set(program.assignedNames)
            for v in variables where assigned.contains(v) || Function.named(v) != nil || NamedConstant(rawValue: v) != nil {
                throw SymbolicError.notAnInput(v)
            }
            order = variables
        }
        if program.nodes.count > Limits.maxProgramNodes {
            throw SymbolicError.tooLarge(nodes: program.nodes.count, limit: Limits.maxProgramNodes)
        }
        self.graph = graph
        for declaration in program.declarations {
            graph.declare(declaration.name, InputDeclaration(
                shape: TensorShape(declaration.dimensions.map(Dimension.init)), isLabel: declaration.kind == .label))
        }
        // The forward graph has at most one node per AST node. The backward pass adds one to
        // three per edge, as the graph grows (doubling): reserving six per AST node up front held
        // a memo table of 4M slots (16 MB, all written) for a graph of 3*10^5 nodes, and its
        // random probes missed the cache.
        graph.reserveCapacity(graph.count + program.nodes.count)
        self.inputs = order
        self.inputNodes = order.map { graph.variable($0) }

        var mapped = [NodeID](repeating: NodeID(0), count: program.nodes.count)
        let lowering = TensorLowering(program: program, graph: graph)
        try lowering.checkDeclarations()
        var bound: [String: NodeID] = [:]
        var names: [(String, NodeID)] = []
        var pending = program.statements.sorted { $0.value < $1.value }[...]
        for (index, node) in program.nodes.enumerated() {
            let id: NodeID
            switch node.kind {
            case .number(let literal):
                id = graph.number(Number(literal: literal.text, value: literal.value))
            case .constant(let c):
                id = graph.constant(c)
            case .variable(let name):
                id = try bound[name] ?? lowering.dimension(named: name, inputs: inputNodes) ?? graph.variable(name)
            case .unary(let op, let operand):
                let x = mapped[operand.index]
                id = op == .plus ? x : (graph.isScalar[x.int] ? graph.intern(.neg, Children(x)) : try lowering.elementwise(.neg, [x], at: node.range))
            case .binary(let op, let lhs, let rhs) where op != .matmul && graph.areScalars(mapped[lhs.index], mapped[rhs.index]):
                // Scalars: no shapes to check or broadcast (every scalar program, kept fast).
                let children = Children(mapped[lhs.index], mapped[rhs.index])
                switch op {
                case .add: id = graph.intern(.add, children)
                case .subtract: id = graph.intern(.sub, children)
                case .multiply: id = graph.intern(.mul, children)
                case .divide: id = graph.intern(.div, children)
                case .power, .matmul: id = graph.intern(.pow, children)
                }
            case .binary(let op, let lhs, let rhs):
                let args = [mapped[lhs.index], mapped[rhs.index]]
                let at = program.operatorRange(lhs, rhs)
                switch op {
                case .add: id = try lowering.elementwise(.add, args, at: at)
                case .subtract: id = try lowering.elementwise(.sub, args, at: at)
                case .multiply:
                    if program.juxtapositions.contains(ASTNodeID(index)) { try lowering.checkJuxtaposition(args, at: node.range) }
                    id = try lowering.elementwise(.mul, args, at: at)
                case .divide: id = try lowering.elementwise(.div, args, at: at)
                case .power: id = try lowering.elementwise(.pow, args, at: at)
                case .matmul: id = try lowering.tensor(.linear(.matmul), args, at: at)
                }
            case .call(let function, let arguments):
                let args = arguments.map { mapped[$0.index] }
                if expand, let expanded = function.expansion(args.map { Term($0, graph) }) {
                    id = expanded.id
                } else {
                    id = try lowering.elementwise(function == .pow ? .pow : .function(function), args, at: node.range)
                }
            case .tensorCall, .array, .shapeTuple, .transpose, .index:
                id = try lowering.lower(ASTNodeID(index), mapped: mapped)
            case .error:
                throw SymbolicError.programHasErrors
            }
            mapped[index] = id
            while let next = pending.first, next.value.index == index {
                pending.removeFirst()
                if let name = next.name {
                    bound[name] = id
                    names.append((name, id))
                }
            }
        }
        guard let last = program.output else { throw SymbolicError.programHasErrors }
        self.output = mapped[last.value.index]
        self.outputName = last.name
        self.statementNames = names
        self.astNodes = mapped
        if graph.count > Limits.maxNodes { throw SymbolicError.tooLarge(nodes: graph.count, limit: Limits.maxNodes) }
    }
}
