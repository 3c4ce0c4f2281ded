import ExprParse

/// One edge of the backward pass: `d<target> += d<source> * partial`.
///
/// 16 bytes: a 10^6-op program has 1.5*10^6 of them. The operand index and the two flags share
/// one word, and the VJP is not a field of its own (it is the partial, when there is one): laid
/// out as the fields read, an edge took 32.
public struct Contribution: Hashable, Sendable {
    /// The value receiving gradient: an equation or an input.
    public let target: NodeID
    /// The equation whose adjoint flows back through this edge.
    public let source: NodeID
    /// The local derivative ∂source/∂target, an expression over forward nodes. For an op on
    /// whole arrays it is the same node as `vjp`.
    public let partial: NodeID
    /// The operand index (low 30 bits), whether the edge accumulates (bit 30) and whether the
    /// partial is a VJP (bit 31).
    private let packed: UInt32

    private static let accumulatesBit: UInt32 = 1 << 30
    private static let vjpBit: UInt32 = 1 << 31

    public init(target: NodeID, source: NodeID, argument: Int, partial: NodeID, vjp: NodeID? = nil, accumulates: Bool) {
        // A VJP is recorded as the partial itself (`recordVJPs`): one node stands for both.
        precondition(vjp == nil || vjp == partial, "a contribution's VJP is its partial")
        self.target = target
        self.source = source
        self.partial = partial
        // An operand index needs far fewer than 30 bits: a node has at most `Limits`' operands.
        packed = UInt32(truncatingIfNeeded: argument) & (Contribution.accumulatesBit - 1)
            | (accumulates ? Contribution.accumulatesBit : 0) | (vjp != nil ? Contribution.vjpBit : 0)
    }

    /// Which argument of `source` the edge enters.
    public var argument: Int { Int(packed & (Contribution.accumulatesBit - 1)) }
    /// For an op on whole arrays: the whole contribution, the op's VJP, an expression over
    /// forward nodes and the `.adjoint(source)` placeholder (or the seed when the source's
    /// adjoint is exactly 1): `outer(db, x)`. Nil for element-wise ops, whose contribution is
    /// `upstream * partial`.
    public var vjp: NodeID? { packed & Contribution.vjpBit != 0 ? partial : nil }
    /// False for the first contribution to `target` (`d<target> = ...`), true afterwards (`+=`).
    public var accumulates: Bool { packed & Contribution.accumulatesBit != 0 }

    /// This edge with `accumulates` set as given.
    func accumulating(_ accumulates: Bool) -> Contribution {
        Contribution(target: target, source: source, argument: argument, partial: partial, vjp: vjp, accumulates: accumulates)
    }
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
        Gradient.keepLive(&contributions, inputs: staged.inputNodes, nodeCount: graph.count)
        self.contributions = contributions
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

    /// Keeps the contributions whose adjoint is eventually read: an edge into a stage that
    /// passes no gradient on (`s = sign(x)`) would compute a value nobody uses, which generated
    /// Swift rejects as an unused variable. Targets precede sources, so one ascending pass
    /// decides. Filtered in place with one byte of flags per node: a filtered copy beside the
    /// array (and three Bool arrays) was the gradient phase's peak, 48 MB at 786,432 ops.
    static func keepLive(_ contributions: inout [Contribution], inputs: [NodeID], nodeCount: Int) {
        let input: UInt8 = 1, live: UInt8 = 2, assigned: UInt8 = 4
        var flags = [UInt8](repeating: 0, count: nodeCount)
        for node in inputs { flags[node.int] |= input }
        // Contributions come grouped by source in descending source order, so walking them
        // backwards visits sources in ascending order: every target's liveness is known first.
        for c in contributions.reversed() where flags[c.target.int] & (input | live) != 0 {
            flags[c.source.int] |= live
        }
        var kept = 0
        for index in contributions.indices {
            let c = contributions[index]
            guard flags[c.source.int] & live != 0, flags[c.target.int] & (input | live) != 0 else { continue }
            contributions[kept] = c.accumulating(flags[c.target.int] & assigned != 0)
            flags[c.target.int] |= assigned
            kept += 1
        }
        contributions.removeLast(contributions.count - kept)
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
