import ExprParse

/// Operation counts that make the cost of a gradient visible (the cheap-gradient principle
/// against expression swell).
///
/// Counting rule, the same everywhere: every arithmetic operation (`+ - * /`, negation, `^`)
/// and every function call is one op; an n-ary sum or product of k terms is k - 1 ops; copies,
/// constants and names are free.
public struct OpCounts: Hashable, Sendable {
    /// Ops of the staged forward pass.
    public let forward: Int
    /// Ops of the staged backward pass (local derivatives, chain-rule products, accumulations).
    public let backward: Int
    /// (forward + backward) / forward.
    public var ratio: Double { forward == 0 ? 0 : Double(forward + backward) / Double(forward) }
}

extension Gradient {
    /// Ops of the forward pass and of the staged backward pass as `backwardSteps` writes it (the
    /// listing and the generated code alike): the local partial, the chain rule's product
    /// unless the upstream is the seed or the partial is ±1, and one op for a negation, an
    /// accumulation or a deferred term joining the next (two for `-a - b`); a constant
    /// partial or a sign folded away costs nothing.
    public func opCounts() -> OpCounts {
        let forward = staged.equations.reduce(0) { $0 + graph.opCount(of: $1.node) }
        var backward = 0
        for step in backwardSteps where step.form != .folded {
            let c = step.contribution
            let number = graph.numberValue(c.partial)
            // Inputs are variables, leaves that cost nothing, so only the gate's operands stop.
            var local = Set(graph[c.source].children)
            local.insert(c.source)
            var ops = number == nil ? graph.treeOps(c.partial, stoppingAt: local) : 0
            if step.upstream != nil, number != .one, number != .minusOne {
                // `upstream * (1/b)` is written `upstream / b`: the division is the product.
                let divides = number == nil && !local.contains(c.partial) && reciprocal(c.partial) != nil
                ops += divides ? 0 : 1
            }
            switch step.form {
            case .define, .deferred, .folded: break
            case .defineNegated, .accumulate, .subtract: ops += 1
            // `b - a`, or `-a - b` when both are negated.
            case .defineAfterDeferred: ops += step.negated ? 2 : 1
            }
            backward += ops
        }
        return OpCounts(forward: forward, backward: backward)
    }

    /// Ops of the closed-form partials printed as separate trees (`tree`, saturating) and with
    /// every common subexpression computed once (`shared`), over all inputs together.
    ///
    /// One memoised pass over everything the partials reach, children first: the partials of
    /// a wide program share most of their nodes, so walking each one afresh cost inputs x graph
    /// (minutes for a 130,000-op network, whose 16,000 partials each reach the whole output).
    public func closedFormCost(_ forms: [NodeID]) -> (tree: Int, shared: Int) {
        let order = graph.reachable(from: forms)
        let treeOps = graph.treeOps(of: order)
        var tree = 0
        for form in forms {
            let (sum, overflow) = tree.addingReportingOverflow(treeOps[form] ?? 0)
            tree = overflow ? Int.max : sum
        }
        let shared = order.reduce(0) { $0 + graph.opCount(of: $1) }
        return (tree, shared)
    }
}

extension Graph {
    /// Ops performed by the node itself (not its children).
    public func opCount(of id: NodeID) -> Int {
        let node = self[id]
        switch node.op {
        case .number, .constant, .variable, .adjoint: return 0
        case .add, .mul: return Swift.max(node.children.count - 1, 1)
        case .sub, .div, .neg, .pow, .function, .tensor: return 1
        }
    }

    /// Ops of `root` expanded as a tree, with `stop` nodes as free leaves (saturating).
    public func treeOps(_ root: NodeID, stoppingAt stop: Set<NodeID>) -> Int {
        if stop.contains(root) { return 0 }
        let order = reachable(from: [root]) { stop.contains($0) }
        return treeOps(of: order, stoppingAt: stop)[root] ?? 0
    }

    /// Ops of every node of `order` expanded as a tree (saturating at `Int.max / 2`), with
    /// `stop` nodes as free leaves. `order` must list children before parents and contain every
    /// child of a node it contains that is not in `stop`, as `reachable` returns it.
    func treeOps(of order: [NodeID], stoppingAt stop: Set<NodeID> = []) -> [NodeID: Int] {
        var ops: [NodeID: Int] = [:]
        ops.reserveCapacity(order.count)
        for id in order {
            if stop.contains(id) { ops[id] = 0; continue }
            var total = opCount(of: id)
            for child in self[id].children {
                let (sum, overflow) = total.addingReportingOverflow(ops[child] ?? 0)
                total = overflow ? Int.max / 2 : Swift.min(sum, Int.max / 2)
            }
            ops[id] = total
        }
        return ops
    }
}
