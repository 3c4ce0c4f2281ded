import ExprParse

/// Decides which subexpressions get a variable of their own, so that nothing is computed twice.
///
/// The graph is hash-consed, so an expression that occurs twice anywhere in the roots is one
/// node with two uses. Counting uses over the DAG reachable from the roots (each edge once,
/// each root once) finds them all; every operation used more than once is hoisted. Leaves
/// (names, numbers, `pi`) are never hoisted, since repeating them costs nothing. A language
/// whose spelling repeats an argument (Swift's `sign(a)` reads `a` three times) also hoists
/// that argument when it is an operation, so the spelling only ever repeats a name.
///
/// The result is ascending by id, which is a topological order: every hoisted node comes after
/// the hoisted nodes it uses.
///
/// It lives in Symbolic, not Codegen, because `grad` prints huge closed forms with the same
/// temporaries (`Printer.renderShared`) that `emit --closed-form` writes as code.
public struct HoistingPlanner {
    public let graph: Graph

    public init(graph: Graph) { self.graph = graph }

    /// The nodes to hoist for printing `roots`, ascending.
    /// - Parameters:
    ///   - named: nodes that already print as a name (inputs, stages, pinned constants); they
    ///     are neither hoisted nor looked into.
    ///   - shareRepeated: hoist operations used more than once (closed forms do; a staged line
    ///     is one op on names and needs only the argument rule).
    ///   - repeatsArgument: whether the target's spelling of a function repeats its arguments.
    ///   - maxInlineSize: an operation whose inline text would be longer than about this many
    ///     characters is hoisted too. Without it, a long chain used once (the closed form of a
    ///     20,000-statement program) prints as one line of megabytes, and the printer's
    ///     per-node texts take memory quadratic in it (5 GB and 17 s for that chain).
    public func hoisted(_ roots: [NodeID], named: (NodeID) -> String?, shareRepeated: Bool,
                 repeatsArgument: (Function) -> Bool, maxInlineSize: Int = .max) -> [NodeID] {
        if !shareRepeated && roots.allSatisfy({ isOneOp($0, named) }) { return [] }
        let order = graph.reachable(from: roots) { named($0) != nil }
        if !shareRepeated {
            // The common staged case: only a repeated argument forces a temporary, and most
            // lines have no such function at all, so skip the bookkeeping for them.
            let repeats = order.contains { id in
                if case .function(let f) = graph[id].op { return named(id) == nil && repeatsArgument(f) }
                return false
            }
            if !repeats { return [] }
        }
        var uses: [NodeID: Int] = [:]
        var forced = Set<NodeID>()
        for root in roots { uses[root, default: 0] += 1 }
        for id in order where named(id) == nil {
            let node = graph[id]
            for child in node.children { uses[child, default: 0] += 1 }
            if case .function(let f) = node.op, repeatsArgument(f) {
                forced.formUnion(node.children)
            }
        }
        func hoists(_ id: NodeID) -> Bool {
            named(id) == nil && graph[id].op.isOperation
                && (forced.contains(id) || (shareRepeated && (uses[id] ?? 0) > 1))
        }
        guard maxInlineSize < .max else { return order.filter(hoists) }
        // Children come first in `order`, so one pass knows each operand's inline size; a
        // hoisted node prints as a short name.
        var size: [NodeID: Int] = [:]
        var result: [NodeID] = []
        for id in order {
            if named(id) != nil { size[id] = 8; continue }
            var total = 8
            for child in graph[id].children { total = Swift.min(total + (size[child] ?? 8), .max / 2) }
            if hoists(id) || (graph[id].op.isOperation && total > maxInlineSize) {
                result.append(id)
                total = 8
            }
            size[id] = total
        }
        return result
    }

    /// Whether `root` is named, or one op on names and leaves: a staged line's local partial
    /// (`np.cos(a)`, `x`), which needs no temporary: a spelling that repeats an argument
    /// repeats a name. Checked before walking the graph, which 10^5 such lines paid for.
    private func isOneOp(_ root: NodeID, _ named: (NodeID) -> String?) -> Bool {
        named(root) != nil || graph[root].children.allSatisfy { named($0) != nil || !graph[$0].op.isOperation }
    }
}
