import ExprParse

/// Why simplification returned what it did.
public enum StopReason: Equatable, Sendable {
    /// Every node was brought to canonical form.
    case done
    /// The expression was larger than `Limits.maxSimplifyNodes`; it was returned unchanged
    /// (still correct and linear in size, just not tidied).
    case tooLarge(nodes: Int)
    /// Flattening would have grown the expression faster than linearly (a product or sum
    /// nested N deep flattens into N prefix nodes of up to N terms each); simplification
    /// stopped after `steps` and returned the expression unchanged.
    case workLimit(steps: Int)

    /// One line for a warning.
    public var explanation: String {
        switch self {
        case .done: return "simplified"
        case .tooLarge(let nodes): return "not simplified: \(nodes) nodes is over the limit of \(Limits.maxSimplifyNodes)"
        case .workLimit(let steps):
            return "not simplified: canonical form would grow faster than the expression (stopped after \(steps) steps)"
        }
    }
}

/// Brings expressions to a canonical form, deterministically and in one bottom-up pass.
///
/// The canonical form is SymPy's: n-ary `add` and `mul`, `pow`, and functions; `a - b` is
/// `a + (-1)*b`, `a/b` is `a*b^-1`, `-a` is `(-1)*a`, `sqrt(a)` is `a^(1/2)`. Each node is visited
/// once and combined with its already canonical children by the constructors in
/// `Simplifier+Rules.swift`, whose rules are listed where they are declared. Sums and products
/// are sorted by `CanonicalOrder`, so equal expressions become the same node whatever order
/// they were built in, and simplifying twice changes nothing.
public struct Simplifier {
    public let graph: Graph
    var memo: [NodeID: NodeID] = [:]
    public private(set) var stopReason: StopReason = .done
    /// Terms and factors handled so far; see `budget`.
    var work = 0
    /// Work allowed per node of input (plus a floor for small expressions), so that one
    /// Simplifier's total cost stays linear in what it is given.
    static let workPerNode = 8
    static let workFloor = 100_000
    private var budget = Simplifier.workFloor

    public init(_ graph: Graph) { self.graph = graph }

    /// The canonical form of `root`.
    public mutating func simplify(_ root: NodeID) -> NodeID {
        if let done = memo[root] { return done }
        // Once the budget is spent every later call returns its root unchanged, so check that
        // before walking: a walk per call made simplifying the 16,000 partials of a network
        // (each reaching the whole output) quadratic.
        if stopReason != .done { return root }
        let order = graph.reachable(from: [root]) { memo[$0] != nil }
        let fresh = order.filter { memo[$0] == nil }
        if fresh.count > Limits.maxSimplifyNodes {
            stopReason = .tooLarge(nodes: fresh.count)
            return root
        }
        budget += Simplifier.workPerNode * fresh.count
        for id in fresh {
            if work > budget {
                stopReason = .workLimit(steps: work)
                return root
            }
            let node = graph[id]
            // A rule may turn an array into a scalar (`x - x` is 0): an operand of an op on whole
            // arrays gets its shape back, and so does every result, so no shape ever changes.
            // An explicit broadcast under an element-wise op is implied by NumPy's rule, so the
            // canonical form drops it (`s * v`, not `broadcast_to(s, (3,)) * v`).
            let children = node.op.isElementwise
                ? node.children.map { unbroadcast(memo[$0] ?? $0) }
                : node.children.map { graph.fitted(memo[$0] ?? $0, to: graph.shapes[$0.int]) }
            let result = graph.fitted(canonical(node.op, children), to: graph.shapes[id.int])
            memo[id] = result
            memo[result] = result
        }
        return memo[root] ?? root
    }

    /// The operand of an explicit broadcast, or the node itself.
    private func unbroadcast(_ id: NodeID) -> NodeID {
        if case .tensor(.layout(.broadcast)) = graph[id].op { return graph[id].children[0] }
        return id
    }

    /// The canonical node for `op` applied to canonical `children`.
    mutating func canonical(_ op: Op, _ children: [NodeID]) -> NodeID {
        switch op {
        case .number, .constant, .variable:
            return graph.intern(op, [])
        case .add:
            return sum(children)
        case .sub:
            return sum([children[0], product([graph.integer(-1), children[1]])])
        case .mul:
            return product(children)
        case .div:
            return product([children[0], power(children[1], graph.integer(-1))])
        case .neg:
            return product([graph.integer(-1), children[0]])
        case .pow:
            return power(children[0], children[1])
        case .function(let f):
            return function(f, children)
        case .tensor(let t):
            return tensor(t, children)
        case .adjoint:
            return graph.intern(op, [])
        }
    }
}
