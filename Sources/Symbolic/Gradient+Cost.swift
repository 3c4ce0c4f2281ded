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
    /// Ops of the forward pass and of the staged backward pass as `backwardLines` writes it.
    public func opCounts() -> OpCounts {
        let forward = staged.equations.reduce(0) { $0 + graph.opCount(of: $1.node) }
        var backward = 0
        for c in writtenContributions {
            // Inputs are variables, leaves that cost nothing, so only the gate's operands stop.
            var local = Set(graph[c.source].children)
            local.insert(c.source)
            var partial = graph.isNumber(c.partial, .one) || graph.isNumber(c.partial, .minusOne)
                ? 0 : graph.treeOps(c.partial, stoppingAt: local)
            let product = hasUnitAdjoint(c.source) ? 0 : (graph.isNumber(c.partial, .one) ? 0 : 1)
            // `upstream * (1/b)` is written `upstream / b`: the division is the product.
            if product == 1, !local.contains(c.partial), reciprocal(c.partial) != nil { partial -= 1 }
            // `dx -= dd` (a negation joining a sum) is one subtraction, not a negation and an add.
            let subtracts = c.accumulates && graph.isNumber(c.partial, .minusOne)
            backward += subtracts ? 1 : partial + product + (c.accumulates ? 1 : 0)
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
        case .number, .constant, .variable: return 0
        case .add, .mul: return Swift.max(node.children.count - 1, 1)
        case .sub, .div, .neg, .pow, .function: return 1
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
