import ExprParse
import Symbolic

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
struct HoistingPlanner {
    let graph: Graph

    /// The nodes to hoist for printing `roots`, ascending.
    /// - Parameters:
    ///   - named: nodes that already print as a name (inputs, stages, pinned constants); they
    ///     are neither hoisted nor looked into.
    ///   - shareRepeated: hoist operations used more than once (closed forms do; a staged line
    ///     is one op on names and needs only the argument rule).
    ///   - repeatsArgument: whether the target's spelling of a function repeats its arguments.
    func hoisted(_ roots: [NodeID], named: (NodeID) -> String?, shareRepeated: Bool,
                 repeatsArgument: (Function) -> Bool) -> [NodeID] {
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
        return order.filter { id in
            named(id) == nil && graph[id].op.isOperation
                && (forced.contains(id) || (shareRepeated && (uses[id] ?? 0) > 1))
        }
    }
}
