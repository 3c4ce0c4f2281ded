import ExprParse

/// The order of terms in canonical sums and of factors in canonical products.
///
/// It depends only on structure (names, degrees, the shapes of subexpressions), never on node
/// ids, so the same expression always sorts the same way. It is also chosen to read the way a
/// TA writes: `2*x*z^3` (number, then variables by name), `3*z^2*(x^2 + 2*y)` (variables, then
/// functions, then sums), `t^2 + 2/t` and `10*t^4 - 8*t` (terms by leading variable, higher
/// degree first, constants last), `(x + 1)*(x + 2)` (like factors by their contents), and
/// `x2 + x10` (names in `NaturalOrder`).
struct CanonicalOrder {
    let graph: Graph

    init(_ graph: Graph) { self.graph = graph }

    // MARK: - Factors

    private func factorKey(_ id: NodeID) -> (rank: Int, name: String) {
        let node = graph[id]
        switch node.op {
        case .constant(let c): return (0, c.name)
        case .variable(let v): return (1, v)
        case .pow:
            let base = graph[node.children[0]]
            switch base.op {
            case .variable(let v): return (1, v)
            case .number, .constant: return (1, "")
            case .function(let f): return (2, f.name)
            case .tensor(let t): return (2, t.name)
            case .add: return (3, "")
            case .sub, .mul, .div, .neg, .pow, .adjoint: return (4, "")
            }
        case .function(let f): return (2, f.name)
        case .tensor(let t): return (2, t.name)
        case .adjoint: return (1, "")
        case .add: return (3, "")
        case .number, .sub, .mul, .div, .neg: return (4, "")
        }
    }

    // MARK: - Terms

    /// The alphabetically first variable among a term's factors and its numeric degree.
    private func leadingVariable(_ id: NodeID) -> (name: String, degree: Double)? {
        let node = graph[id]
        let factors = node.op == .mul ? node.children : [id]
        var best: (name: String, degree: Double)?
        for factor in factors {
            var candidate: (String, Double)?
            let f = graph[factor]
            if case .variable(let v) = f.op {
                candidate = (v, 1)
            } else if f.op == .pow, case .variable(let v) = graph[f.children[0]].op {
                candidate = (v, graph.numberValue(f.children[1])?.doubleValue ?? 0)
            }
            if let candidate, best == nil || NaturalOrder.precedes(candidate.0, best?.name ?? "") { best = candidate }
        }
        return best
    }

    private func termClass(_ id: NodeID) -> Int {
        if graph.numberValue(id) != nil { return 3 }
        return leadingVariable(id) == nil ? 1 : 0
    }

    /// Everything the order of terms compares, computed once per term: a term can have many
    /// factors, and recomputing per comparison made sorting a wide sum quadratic.
    private struct TermKey {
        let id: NodeID
        let termClass: Int
        let leading: (name: String, degree: Double)?
        let firstVariable: String
        let rest: NodeID
    }

    private func termKey(_ id: NodeID) -> TermKey {
        TermKey(id: id, termClass: termClass(id), leading: leadingVariable(id), firstVariable: graph.firstVariable(id),
                rest: restOf(id))
    }

    private func precedes(_ a: TermKey, _ b: TermKey) -> Bool {
        if a.termClass != b.termClass { return a.termClass < b.termClass }
        if let la = a.leading, let lb = b.leading {
            if la.name != lb.name { return NaturalOrder.precedes(la.name, lb.name) }
            if la.degree != lb.degree { return la.degree > lb.degree }
        }
        if a.firstVariable != b.firstVariable { return NaturalOrder.precedes(a.firstVariable, b.firstVariable) }
        let byRest = structuralOrder(a.rest, b.rest)
        return byRest != 0 ? byRest < 0 : structuralOrder(a.id, b.id) < 0
    }

    /// `terms` in canonical order.
    func sortedTerms(_ terms: [NodeID]) -> [NodeID] {
        terms.map(termKey).sorted(by: precedes).map(\.id)
    }

    /// `factors` in canonical order.
    func sortedFactors(_ factors: [NodeID]) -> [NodeID] {
        let keyed = factors.map { (key: factorKey($0), id: $0) }
        return keyed.sorted { a, b in
            if a.key.rank != b.key.rank { return a.key.rank < b.key.rank }
            if a.key.name != b.key.name { return NaturalOrder.precedes(a.key.name, b.key.name) }
            return structuralOrder(a.id, b.id) < 0
        }.map(\.id)
    }

    // MARK: - Structure

    /// How many node pairs one comparison may visit before it settles on the structural hash:
    /// enough to order `(x + 1)` before `(x + 2)` and any factors a reader compares by eye,
    /// while sorting stays O(n log n) for wide sums of deep terms.
    private static let comparisonBudget = 64

    /// -1, 0 or 1: `a` and `b` compared as trees, in the order a reader scans them: the kind
    /// of node (numbers, constants, names, powers, calls, products, sums), then its value or
    /// name, then the children left to right, then their number. Iterative, and bounded by
    /// `comparisonBudget`, after which the structural hash decides (still run-independent).
    private func structuralOrder(_ a: NodeID, _ b: NodeID) -> Int {
        enum Step { case pair(NodeID, NodeID), counts(Int, Int) }
        var stack: [Step] = [.pair(a, b)]
        var budget = CanonicalOrder.comparisonBudget
        while let step = stack.popLast() {
            switch step {
            case .counts(let m, let n):
                if m != n { return m < n ? -1 : 1 }
            case .pair(let x, let y):
                if x == y { continue }
                budget -= 1
                if budget < 0 { break }
                let (p, q) = (graph[x], graph[y])
                let (kp, kq) = (kindRank(p.op), kindRank(q.op))
                if kp != kq { return kp < kq ? -1 : 1 }
                let byLabel = labelOrder(p.op, q.op)
                if byLabel != 0 { return byLabel }
                stack.append(.counts(p.children.count, q.children.count))
                for (c, d) in zip(p.children, q.children).reversed() { stack.append(.pair(c, d)) }
            }
            if budget < 0 { break }
        }
        if budget >= 0 { return a == b ? 0 : (a < b ? -1 : 1) }
        let (ha, hb) = (graph.structuralHash[a.int], graph.structuralHash[b.int])
        return ha == hb ? (a == b ? 0 : (a < b ? -1 : 1)) : (ha < hb ? -1 : 1)
    }

    private func kindRank(_ op: Op) -> Int {
        switch op {
        case .number: return 0
        case .constant: return 1
        case .variable: return 2
        case .pow: return 3
        case .function: return 4
        case .tensor: return 4
        case .adjoint: return 2
        case .mul: return 5
        case .add: return 6
        case .neg: return 7
        case .div: return 8
        case .sub: return 9
        }
    }

    /// Values, names and function names of two nodes of the same kind.
    private func labelOrder(_ p: Op, _ q: Op) -> Int {
        switch (p, q) {
        case (.number(let x), .number(let y)):
            let (u, v) = (x.doubleValue, y.doubleValue)
            return u == v ? 0 : (u < v ? -1 : 1)
        case (.constant(let x), .constant(let y)):
            return x.name == y.name ? 0 : (x.name < y.name ? -1 : 1)
        case (.variable(let x), .variable(let y)):
            return NaturalOrder.compare(x, y)
        case (.function(let f), .function(let g)):
            return f.name == g.name ? 0 : (f.name < g.name ? -1 : 1)
        default:
            return 0
        }
    }

    /// The term without its numeric coefficient, so that `x*sin(y)` and `2*x*sin(y)` sort alike.
    private func restOf(_ id: NodeID) -> NodeID {
        let node = graph[id]
        guard node.op == .mul, node.children.count == 2, graph.numberValue(node.children[0]) != nil else { return id }
        return node.children[1]
    }
}
