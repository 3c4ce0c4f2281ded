import ExprParse

/// The order of terms in canonical sums and of factors in canonical products.
///
/// It depends only on structure (names, degrees, structural hashes), never on node ids, so the
/// same expression always sorts the same way. It is also chosen to read the way a TA writes:
/// `2*x*z^3` (number, then variables by name), `3*z^2*(x^2 + 2*y)` (variables, then functions,
/// then sums), `t^2 + 2/t` and `10*t^4 - 8*t` (terms by leading variable, higher degree first,
/// constants last).
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
            case .add: return (3, "")
            case .sub, .mul, .div, .neg, .pow: return (4, "")
            }
        case .function(let f): return (2, f.name)
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
            if let candidate, best == nil || candidate.0 < best?.name ?? "" { best = candidate }
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
        let termClass: Int
        let leading: (name: String, degree: Double)?
        let firstVariable: String
        let restHash: UInt64
        let hash: UInt64
    }

    private func termKey(_ id: NodeID) -> TermKey {
        TermKey(termClass: termClass(id), leading: leadingVariable(id), firstVariable: graph.firstVariable(id),
                restHash: graph.structuralHash[restOf(id).int], hash: graph.structuralHash[id.int])
    }

    private static func precedes(_ a: TermKey, _ b: TermKey) -> Bool {
        if a.termClass != b.termClass { return a.termClass < b.termClass }
        if let la = a.leading, let lb = b.leading {
            if la.name != lb.name { return la.name < lb.name }
            if la.degree != lb.degree { return la.degree > lb.degree }
        }
        if a.firstVariable != b.firstVariable { return a.firstVariable < b.firstVariable }
        if a.restHash != b.restHash { return a.restHash < b.restHash }
        return a.hash < b.hash
    }

    /// `terms` in canonical order.
    func sortedTerms(_ terms: [NodeID]) -> [NodeID] {
        zip(terms.map(termKey), terms).sorted { CanonicalOrder.precedes($0.0, $1.0) }.map(\.1)
    }

    /// `factors` in canonical order.
    func sortedFactors(_ factors: [NodeID]) -> [NodeID] {
        let keyed = factors.map { (key: factorKey($0), hash: graph.structuralHash[$0.int], id: $0) }
        return keyed.sorted { a, b in
            if a.key.rank != b.key.rank { return a.key.rank < b.key.rank }
            if a.key.name != b.key.name { return a.key.name < b.key.name }
            return a.hash < b.hash
        }.map(\.id)
    }

    /// The term without its numeric coefficient, so that `x*sin(y)` and `2*x*sin(y)` sort alike.
    private func restOf(_ id: NodeID) -> NodeID {
        let node = graph[id]
        guard node.op == .mul, node.children.count == 2, graph.numberValue(node.children[0]) != nil else { return id }
        return node.children[1]
    }
}
