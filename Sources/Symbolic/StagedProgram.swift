import ExprParse

/// One staged equation: `name = op(operands)`, where the node's children are inputs, constant
/// expressions (printed inline) or earlier equations.
public struct Equation: Hashable, Sendable {
    public let name: String
    public let node: NodeID
}

/// The staged equations in order, each read as an `Equation`. Stored as the nodes alone, the
/// names living once in `StagedProgram.names`: an `Equation` array held every stage's name a
/// second time, 24 bytes an equation against 4 (16 MB at 786,432 ops).
public struct Equations: RandomAccessCollection {
    let nodes: [NodeID]
    let names: NodeMap<String>

    public var startIndex: Int { 0 }
    public var endIndex: Int { nodes.count }
    public subscript(position: Int) -> Equation { Equation(name: names[nodes[position]] ?? "", node: nodes[position]) }
}

/// A program linearised into single-operation equations in SSA form: the "staged computation"
/// of backprop worksheets.
///
/// Allowed shapes: every equation applies exactly one op; its operands are inputs, constant
/// expressions, or earlier equations; names are unique. Inputs and constants are never staged,
/// and a subexpression used twice is computed once (the graph is hash-consed). Statement names
/// of the program are kept; other stages get a, b, c, ... (skipping `e`). The output equation
/// is named by the program (`z = ...`) or `out`; `outputAlias` covers an output that is an
/// input, a constant, or an earlier stage (`out = x`).
public struct StagedProgram {
    public let graph: Graph
    public let inputs: [String]
    public let inputNodes: [NodeID]
    public let equations: Equations
    public let output: NodeID
    public let outputName: String
    /// Set when the output is not an equation of its own; `outputName` then names a copy.
    public let outputAlias: NodeID?
    /// The name of every input and equation node.
    public let names: NodeMap<String>
    /// Every name in use, for allocating more (adjoints, temporaries) without collisions.
    var allocator: NameAllocator

    public init(_ program: ProgramGraph) {
        let graph = program.graph
        self.graph = graph
        self.inputs = program.inputs
        self.inputNodes = program.inputNodes
        self.output = program.output

        // Named dimensions are names in formulas too (`N`): no stage may take one.
        var dimensionNames: [String] = []
        for declaration in graph.declarations.values {
            for case .named(let name) in declaration.shape.dimensions { dimensionNames.append(name) }
        }
        var allocator = NameAllocator(taken: program.inputs + program.statementNames.map(\.name), keeping: dimensionNames)
        var names = NodeMap<String>()
        for (name, node) in zip(program.inputs, program.inputNodes) { names[node] = name }
        // A statement that merely renames an input or repeats an earlier stage keeps the first name.
        for (name, node) in program.statementNames where names[node] == nil && graph[node].op.isOperation && !graph.isConstant[node.int] {
            names[node] = name
        }
        let outputName = program.outputName ?? allocator.unique("out")
        let outputIsStage = graph[program.output].op.isOperation && !graph.isConstant[program.output.int]
        if outputIsStage && names[program.output] == nil { names[program.output] = outputName }
        self.outputName = outputName
        self.outputAlias = names[program.output] == outputName ? nil : program.output

        var stages: [NodeID] = []
        let order = graph.reachable(from: [program.output]) { graph.isConstant[$0.int] }
        for id in order where graph[id].op.isOperation && !graph.isConstant[id.int] {
            if names[id] == nil { names[id] = allocator.fresh() }
            stages.append(id)
        }
        self.equations = Equations(nodes: stages, names: names)
        self.names = names
        self.allocator = allocator
    }

    /// The name of an input or equation node.
    public func name(of node: NodeID) -> String? { names[node] }

    /// The index in `equations` of the equation computing `node`, or nil. Equations come in
    /// ascending node order (children first), so this is a binary search: a per-equation table
    /// indexed this way costs a few bytes an equation, where one keyed by node id costs some per
    /// node of the whole graph.
    public func equationIndex(of node: NodeID) -> Int? {
        let nodes = equations.nodes
        var low = 0, high = nodes.count
        while low < high {
            let middle = (low + high) / 2
            if nodes[middle] < node { low = middle + 1 } else { high = middle }
        }
        return low < nodes.count && nodes[low] == node ? low : nil
    }
}
