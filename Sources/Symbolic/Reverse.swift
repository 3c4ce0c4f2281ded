import ExprParse

/// One edge of the backward pass: `d<target> += d<source> * partial`.
public struct Contribution: Hashable, Sendable {
    /// The value receiving gradient: an equation or an input.
    public let target: NodeID
    /// The equation whose adjoint flows back through this edge.
    public let source: NodeID
    /// Which argument of `source` the edge enters.
    public let argument: Int
    /// The local derivative ∂source/∂target, an expression over forward nodes. For an op on
    /// whole arrays it is the same node as `vjp`.
    public let partial: NodeID
    /// For an op on whole arrays: the whole contribution, the op's VJP, an expression over
    /// forward nodes and the `.adjoint(source)` placeholder (or the seed when the source's
    /// adjoint is exactly 1): `outer(db, x)`. Nil for element-wise ops, whose contribution is
    /// `upstream * partial`.
    public var vjp: NodeID? = nil
    /// False for the first contribution to `target` (`d<target> = ...`), true afterwards (`+=`).
    public let accumulates: Bool
}

/// Reverse-mode differentiation of a staged program.
///
/// Seeds the output's adjoint with 1, walks the equations in reverse, and for every argument
/// that is not constant records a `Contribution` using the op table's local partial; a value
/// used by several equations accumulates a sum (the multivariable chain rule). The same walk
/// builds each adjoint as a graph node over the forward nodes (the closed-form partials),
/// with O(1) new nodes per edge, so the gradient of an N-node program has O(N) nodes.
public struct Gradient {
    public let staged: StagedProgram
    /// The staged backward pass, in execution order (reverse of the forward equations).
    /// Settable inside the module so that tests can plant a wrong rule and see the checks catch it.
    public internal(set) var contributions: [Contribution]
    /// The adjoint (∂out/∂node) of every equation and input that reaches the output, as a
    /// lightly simplified node; inputs the output ignores are absent (their derivative is 0).
    public let adjoints: NodeMap<NodeID>
    /// `d<name>` for every equation and input, distinct from every other name in the program.
    public let adjointNames: NodeMap<String>
    /// Every name in use, adjoints included.
    private let allocator: NameAllocator
    /// Whether the program has arrays or ops on whole arrays (see `isTensorProgram`).
    let hasArrays: Bool
    /// The stability rewrites applied to the program before differentiating.
    public internal(set) var rewrites: [Rewrite] = []

    public var graph: Graph { staged.graph }

    public init(_ staged: StagedProgram) {
        self.staged = staged
        self.hasArrays = Gradient.usesArrays(staged)
        let graph = staged.graph
        var allocator = staged.allocator
        allocator.reserveCapacity(forMore: staged.inputNodes.count + staged.equations.count + 1)
        var adjointNames = NodeMap<String>()
        for node in staged.inputNodes { adjointNames[node] = allocator.unique("d" + (staged.names[node] ?? "")) }
        for eq in staged.equations { adjointNames[eq.node] = allocator.unique("d" + eq.name) }
        if let alias = staged.outputAlias, adjointNames[alias] == nil {
            adjointNames[alias] = allocator.unique("d" + staged.outputName)
        }
        self.adjointNames = adjointNames
        self.allocator = allocator

        var adjoints = NodeMap<NodeID>()
        var contributions: [Contribution] = []
        if graph.isDifferentiable[staged.output.int] {
            // A scalar output is seeded with 1; an array's seed is the upstream gradient the
            // user gives (a vector-Jacobian product), a value the backward pass reads.
            adjoints[staged.output] = graph.shapes[staged.output.int].rank == 0
                ? graph.integer(1) : graph.intern(.adjoint(staged.output), [])
        }
        for eq in staged.equations.reversed() {
            guard let upstream = adjoints[eq.node] else { continue }
            let node = graph[eq.node]
            let inputs = node.children.map { Term($0, graph) }
            if case .tensor(let op) = node.op {
                Gradient.recordVJPs(op, eq.node, inputs: inputs, upstream: upstream, into: &contributions, &adjoints)
                continue
            }
            for (index, child) in node.children.enumerated() where graph.isDifferentiable[child.int] {
                let partial = node.op.partial(index, inputs: inputs, out: Term(eq.node, graph)).id
                // Piecewise-constant gates (sign, step) pass no gradient: no edge to record.
                if graph.isNumber(partial, .zero) { continue }
                let contribution = graph.mul(upstream, partial)
                contributions.append(Contribution(target: child, source: eq.node, argument: index,
                                                  partial: partial, accumulates: adjoints[child] != nil))
                adjoints[child] = adjoints[child].map { graph.add($0, contribution) } ?? contribution
            }
        }
        self.contributions = Gradient.live(contributions, inputs: staged.inputNodes, nodeCount: graph.count)
        for c in contributions where c.vjp != nil { graph.adjointVariableNames[c.source] = adjointNames[c.source] }
        if graph.shapes[staged.output.int].rank > 0 { graph.adjointVariableNames[staged.output] = adjointNames[staged.output] }
        self.adjoints = adjoints
    }

    /// The contributions of one op on whole arrays: its VJP per differentiable operand, built
    /// twice, over the placeholder of the node's adjoint variable (what the staged backward
    /// pass writes: `dW = outer(db, x)`) and over the adjoint's closed form (what `grad`
    /// simplifies). An adjoint that is exactly 1 is the seed and is used directly in both.
    static func recordVJPs(_ op: TensorOp, _ node: NodeID, inputs: [Term], upstream: NodeID,
                           into contributions: inout [Contribution], _ adjoints: inout NodeMap<NodeID>) {
        guard let graph = inputs.first?.graph else { return }
        let out = Term(node, graph)
        let seeded = graph.isUnit(upstream) || graph[upstream].op == .adjoint(node)
        let placeholder = seeded ? Term(upstream, graph) : Term(graph.intern(.adjoint(node), []), graph)
        for (index, child) in graph[node].children.enumerated() where graph.isDifferentiable[child.int] {
            guard let staged = op.vjp(index, inputs: inputs, out: out, upstream: placeholder) else { continue }
            if graph.isNumber(staged.id, .zero) { continue }
            let closed = seeded ? staged : (op.vjp(index, inputs: inputs, out: out, upstream: Term(upstream, graph)) ?? staged)
            contributions.append(Contribution(target: child, source: node, argument: index, partial: staged.id,
                                              vjp: staged.id, accumulates: adjoints[child] != nil))
            adjoints[child] = adjoints[child].map { graph.add($0, closed.id) } ?? closed.id
        }
    }

    /// The contributions whose adjoint is eventually read: an edge into a stage that passes no
    /// gradient on (`s = sign(x)`) would compute a value nobody uses, which generated Swift
    /// rejects as an unused variable. Targets precede sources, so one ascending pass decides.
    static func live(_ contributions: [Contribution], inputs: [NodeID], nodeCount: Int) -> [Contribution] {
        var isInput = [Bool](repeating: false, count: nodeCount)
        for input in inputs { isInput[input.int] = true }
        // Contributions come grouped by source in descending source order, so walking them
        // backwards visits sources in ascending order: every target's liveness is known first.
        var live = [Bool](repeating: false, count: nodeCount)
        for c in contributions.reversed() where isInput[c.target.int] || live[c.target.int] {
            live[c.source.int] = true
        }
        var kept: [Contribution] = []
        kept.reserveCapacity(contributions.count)
        var assigned = [Bool](repeating: false, count: nodeCount)
        for c in contributions where live[c.source.int] && (isInput[c.target.int] || live[c.target.int]) {
            kept.append(Contribution(target: c.target, source: c.source, argument: c.argument, partial: c.partial,
                                     vjp: c.vjp, accumulates: assigned[c.target.int]))
            assigned[c.target.int] = true
        }
        return kept
    }

    /// Whether the program uses `name`: an input, a statement, a stage or an adjoint. Code
    /// generators give their own variables (temporaries, renamed inputs) names this rejects.
    /// No generated name is a word a target language reserves (see `NameAllocator`).
    public func isNameInUse(_ name: String) -> Bool { allocator.isInUse(name) }

    /// ∂out/∂input as a lightly simplified node (0 for inputs the output ignores).
    public func derivative(_ inputIndex: Int) -> NodeID {
        let input = staged.inputNodes[inputIndex]
        // An ignored array input's derivative is zeros of its shape, not the number 0; a label
        // has none (0 stands for it).
        if let adjoint = adjoints[input] { return adjoint }
        return graph.isDifferentiable[input.int] ? graph.fitted(graph.integer(0), to: graph.shapes[input.int]) : graph.integer(0)
    }

    /// The closed-form partial derivatives, canonically simplified, in input order.
    public func closedForm() -> [NodeID] {
        var simplifier = Simplifier(graph)
        return staged.inputNodes.indices.map { simplifier.simplify(derivative($0)) }
    }
}
