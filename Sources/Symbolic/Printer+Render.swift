import ExprParse

/// Prints graph nodes as infix text in any `Dialect`, with minimal parentheses.
///
/// Named nodes (stages, inputs, adjoints, hoisted temporaries) print as their names, so the
/// same printer writes both one-op staged lines and whole closed forms. It walks the DAG
/// bottom-up in id order, never recursively. Canonical forms get the usual notation back:
/// negative terms print as subtraction, negative powers as denominators, `x^(1/2)` as
/// `sqrt(x)`, and a leading negative term swaps with a positive one (`1 - sigmoid(x)`).
public struct Printer<D: Dialect> {
    public let graph: Graph
    public let dialect: D

    public init(_ graph: Graph, _ dialect: D) {
        self.graph = graph
        self.dialect = dialect
    }

    /// `root` as text; nodes in `names` (other than `root` itself) print as their names.
    /// - Parameter literalRoot: print the root's own op as written (`x^-1` stays a power), even
    ///   when the root has a name, as a staged equation must show the op it performs.
    public func render(_ root: NodeID, names: [NodeID: String] = [:], literalRoot: Bool = false) -> String {
        printed(root, names: { names[$0] }, literalRoot: literalRoot).text
    }

    /// `render` with the names given by a function, for callers that name nodes by a rule.
    public func printed(_ root: NodeID, names: [NodeID: String] = [:], literalRoot: Bool = false) -> Printed {
        printed(root, names: { names[$0] }, literalRoot: literalRoot)
    }

    public func printed(_ root: NodeID, names: (NodeID) -> String?, literalRoot: Bool = false) -> Printed {
        if !literalRoot, let name = names(root) { return Printed(name, Printed.Level.atom) }
        if let oneOp = printedOneOp(root, names, literalRoot: literalRoot) { return oneOp }
        let order = graph.reachable(from: [root]) { $0 != root && names($0) != nil }
        // A text is dropped once the last node that reads it has been printed: a DAG printed as
        // a tree repeats shared texts, and keeping every intermediate text of a long chain
        // takes memory quadratic in the output (23 GB for a 5,000-statement chain's closed form).
        var lastReader: [NodeID: Int] = [:]
        for (position, id) in order.enumerated() where id == root || names(id) == nil {
            for read in reads(id, names) { lastReader[read] = position }
        }
        var dropAfter: [Int: [NodeID]] = [:]
        for (read, position) in lastReader where read != root { dropAfter[position, default: []].append(read) }
        var memo = PrintMemo(order)
        for (position, id) in order.enumerated() {
            if id != root, let name = names(id) {
                memo[id] = Printed(name, Printed.Level.atom)
            } else {
                memo[id] = node(id, memo, names, sugar: !(literalRoot && id == root))
            }
            for read in dropAfter[position] ?? [] { memo[read] = nil }
        }
        return memo[root] ?? Printed("?", Printed.Level.atom)
    }

    /// `root` printed from its children alone, when every child is named or a leaf: a staged
    /// line, and most local partials. What `printed` would write (the same `node` prints it),
    /// without walking the graph, sorting and tracking when texts can be dropped, which cost
    /// four times the printing itself on lines like `b = a * x`. Nil for any other root.
    private func printedOneOp(_ root: NodeID, _ names: (NodeID) -> String?, literalRoot: Bool) -> Printed? {
        let children = graph[root].children
        for child in children where graph[child].op.isOperation && names(child) == nil {
            // An unnamed operation prints through its own children: not one op.
            return nil
        }
        func text(_ id: NodeID) -> Printed {
            names(id).map { Printed($0, Printed.Level.atom) } ?? node(id, PrintMemo([]), names, sugar: true)
        }
        guard children.count <= 3 else {
            var memo = PrintMemo(Array(Set(children)).sorted())
            for id in children { memo[id] = text(id) }
            return node(root, memo, names, sugar: !literalRoot)
        }
        var operands = OperandTexts()
        for id in children where operands[id] == nil { operands.append(id, text(id)) }
        return node(root, operands, names, sugar: !literalRoot)
    }

    /// Upper bound on the characters `render` would produce (saturating), so callers can refuse
    /// to expand a shared DAG into an exponentially long tree.
    public func expandedSize(_ root: NodeID, names: [NodeID: String] = [:]) -> Int {
        let order = graph.reachable(from: [root]) { $0 != root && names[$0] != nil }
        var size: [NodeID: Int] = [:]
        for id in order {
            if id != root, let name = names[id] { size[id] = name.count; continue }
            let node = graph[id]
            var total = 8 + node.op.name.count
            for child in node.children {
                let (sum, overflow) = total.addingReportingOverflow(size[child] ?? 1)
                total = overflow ? Int.max / 2 : Swift.min(sum, Int.max / 2)
            }
            size[id] = total
        }
        return size[root] ?? 1
    }

    /// The nodes whose texts printing `id` reads: its children, and through the sign and
    /// fraction handling of sums and products (`signedTerm`, `product`) the operands of an
    /// unnamed negation or product term and the bases of unnamed negative powers.
    private func reads(_ id: NodeID, _ names: (NodeID) -> String?) -> [NodeID] {
        var result: [NodeID] = []
        func powerBase(_ factor: NodeID) {
            if names(factor) == nil, graph[factor].op == .pow { result.append(graph[factor].children[0]) }
        }
        for child in graph[id].children {
            result.append(child)
            if graph[id].op == .mul { powerBase(child) }
            guard names(child) == nil else { continue }
            switch graph[child].op {
            case .neg:
                result.append(contentsOf: graph[child].children)
            case .mul:
                for factor in graph[child].children {
                    result.append(factor)
                    powerBase(factor)
                }
            default:
                break
            }
        }
        return result
    }

    // MARK: - Nodes

    private func node(_ id: NodeID, _ memo: some PrintedTexts, _ names: (NodeID) -> String?, sugar: Bool) -> Printed {
        let node = graph[id]
        func child(_ i: Int) -> Printed { memo[node.children[i]] ?? Printed("?", Printed.Level.atom) }
        switch node.op {
        case .number(let n):
            return n.isNegative ? negated(dialect.number(-n)) : dialect.number(n)
        case .constant(let c):
            return dialect.constant(c)
        case .variable(let v):
            return dialect.variable(v)
        case .add:
            return sum(node.children, memo, names)
        case .sub:
            return Printed(dialect.wrap(child(0), below: Printed.Level.sum) + " - " + dialect.wrap(child(1), below: Printed.Level.matmul), Printed.Level.sum)
        case .mul:
            let p = product(node.children, memo, names, sugar: sugar)
            return p.negative ? negated(p.magnitude) : p.magnitude
        case .div:
            return dialect.quotient(child(0), child(1))
        case .neg:
            return Printed("-" + dialect.wrap(child(0), below: Printed.Level.unary), Printed.Level.unary)
        case .pow:
            if sugar, let power = sugaredPower(node.children[0], node.children[1], memo) { return power }
            return dialect.power(child(0), child(1))
        case .function(let f):
            return dialect.call(f, node.children.map { (memo[$0] ?? Printed("?", Printed.Level.atom)).text })
        case .tensor(let t):
            return dialect.tensor(t, node.children.map { memo[$0] ?? Printed("?", Printed.Level.atom) },
                                  shapes: node.children.map { graph.shapes[$0.int] })
        case .adjoint(let of):
            // The backward pass that made the placeholder named its adjoint variable.
            return dialect.variable(graph.adjointVariableNames[of] ?? "d\(of)")
        }
    }

    /// `-magnitude`, with the level the text really parses at. A minus binds tighter than `*`
    /// and `/` but looser than `^`, so `-` before a product or quotient reads as a product
    /// whose first factor is negated: `-k*t` is `(-k)*t`, the same value, but as an exponent
    /// (`e^-k*t`, which is `(e^-k)*t`) or a divisor it must be grouped. Only `-` before an atom
    /// or a power (or another minus) is a unary expression.
    private func negated(_ magnitude: Printed) -> Printed {
        let text = "-" + dialect.wrap(magnitude, below: Printed.Level.product)
        return Printed(text, magnitude.precedence >= Printed.Level.unary ? Printed.Level.unary : Printed.Level.product)
    }

    /// `x^(1/2)` as `sqrt(x)`, `x^-n` as `1/x^n`; nil when no sugar applies.
    private func sugaredPower(_ base: NodeID, _ exponent: NodeID, _ memo: some PrintedTexts) -> Printed? {
        guard let e = graph.numberValue(exponent)?.rational else { return nil }
        let b = memo[base] ?? Printed("?", Printed.Level.atom)
        if e == .half { return dialect.call(.sqrt, [b.text]) }
        guard e.isNegative else { return nil }
        let one = dialect.number(.one)
        return dialect.quotient(one, positivePower(b, e.negated))
    }

    private func positivePower(_ base: Printed, _ e: Rational) -> Printed {
        if e == .one { return base }
        if e == .half { return dialect.call(.sqrt, [base.text]) }
        return dialect.power(base, dialect.number(.rational(e)))
    }

    // MARK: - Sums

    /// A term with its sign pulled out, so sums can print `a - b` instead of `a + -b`.
    private func signedTerm(_ id: NodeID, _ memo: some PrintedTexts, _ names: (NodeID) -> String?) -> (negative: Bool, magnitude: Printed) {
        let node = graph[id]
        if names(id) != nil { return (false, memo[id] ?? Printed("?", Printed.Level.atom)) }
        switch node.op {
        case .number(let n) where n.isNegative:
            return (true, dialect.number(-n))
        case .neg:
            return (true, memo[node.children[0]] ?? Printed("?", Printed.Level.atom))
        case .mul:
            let p = product(node.children, memo, names, sugar: true)
            return (p.negative, p.magnitude)
        default:
            return (false, memo[id] ?? Printed("?", Printed.Level.atom))
        }
    }

    private func sum(_ terms: Children, _ memo: some PrintedTexts, _ names: (NodeID) -> String?) -> Printed {
        var signed = terms.map { signedTerm($0, memo, names) }
        // Lead with a positive term when there is one: `1 - sigmoid(x)`, not `-sigmoid(x) + 1`.
        if let first = signed.first, first.negative, let positive = signed.firstIndex(where: { !$0.negative }) {
            signed.insert(signed.remove(at: positive), at: 0)
        }
        var text = ""
        for (index, term) in signed.enumerated() {
            if index == 0 {
                text = term.negative ? "-" + dialect.wrap(term.magnitude, below: Printed.Level.product) : dialect.wrap(term.magnitude, below: Printed.Level.sum)
            } else {
                text += (term.negative ? " - " : " + ") + dialect.wrap(term.magnitude, below: Printed.Level.matmul)
            }
        }
        return Printed(text, Printed.Level.sum)
    }

    // MARK: - Products

    private struct Product {
        var negative: Bool
        var magnitude: Printed
    }

    /// A product as `coefficient*numerator/denominator`, with negative powers moved below the
    /// line and a rational coefficient split across it (`2*x/3`).
    private func product(_ factors: Children, _ memo: some PrintedTexts, _ names: (NodeID) -> String?, sugar: Bool) -> Product {
        var negative = false
        var numerator: [Printed] = []
        var denominator: [Printed] = []
        for (index, factor) in factors.enumerated() {
            if index == 0, factors.count > 1, let c = graph.numberValue(factor) {
                negative = c.isNegative
                let magnitude = negative ? -c : c
                if case .rational(let r) = magnitude, !r.isInteger, dialect.splitsCoefficients {
                    if r.numerator != 1 { numerator.append(dialect.number(Number(r.numerator))) }
                    denominator.append(dialect.number(Number(r.denominator)))
                } else if !magnitude.isOne {
                    numerator.append(dialect.number(magnitude))
                }
                continue
            }
            let node = graph[factor]
            if sugar, names(factor) == nil, node.op == .pow,
               let e = graph.numberValue(node.children[1])?.rational, e.isNegative {
                let base = memo[node.children[0]] ?? Printed("?", Printed.Level.atom)
                denominator.append(positivePower(base, e.negated))
                continue
            }
            numerator.append(memo[factor] ?? Printed("?", Printed.Level.atom))
        }
        var top: Printed
        if numerator.isEmpty {
            top = dialect.number(.one)
        } else if numerator.count == 1 {
            top = numerator[0]
        } else {
            top = Printed(joined(numerator, firstBelow: Printed.Level.product), Printed.Level.product)
        }
        guard !denominator.isEmpty else { return Product(negative: negative, magnitude: top) }
        var bottom = denominator[0]
        if denominator.count > 1 {
            bottom = Printed(joined(denominator, firstBelow: Printed.Level.unary), Printed.Level.product)
        }
        return Product(negative: negative, magnitude: dialect.quotient(top, bottom))
    }

    /// Factors in a row, each separated from the previous as the dialect chooses.
    private func joined(_ factors: [Printed], firstBelow level: Int) -> String {
        var text = "", previous = ""
        for (index, factor) in factors.enumerated() {
            let piece = dialect.wrap(factor, below: index == 0 ? level : Printed.Level.unary)
            text += index == 0 ? piece : dialect.times(between: previous, and: piece) + piece
            previous = piece
        }
        return text
    }
}

/// Printed texts of nodes, as `Printer.node` reads its operands'.
protocol PrintedTexts {
    subscript(id: NodeID) -> Printed? { get }
}

extension PrintMemo: PrintedTexts {}

/// The texts of a one-op root's (at most three) operands, kept in place: no arrays to build and
/// free for each of 10^5 staged lines.
struct OperandTexts: PrintedTexts {
    private var ids: (NodeID, NodeID, NodeID) = (NodeID(-1), NodeID(-1), NodeID(-1))
    private var texts: (Printed?, Printed?, Printed?) = (nil, nil, nil)

    subscript(id: NodeID) -> Printed? {
        if id == ids.0 { return texts.0 }
        if id == ids.1 { return texts.1 }
        if id == ids.2 { return texts.2 }
        return nil
    }

    /// Adds the text of a fourth id at most (callers check).
    mutating func append(_ id: NodeID, _ text: Printed) {
        if texts.0 == nil { (ids.0, texts.0) = (id, text) } else if texts.1 == nil { (ids.1, texts.1) = (id, text) } else { (ids.2, texts.2) = (id, text) }
    }
}

/// Printed text per node of one `render` call: the nodes are the sorted `reachable` list, so a
/// binary search finds a child without hashing (most renders touch a handful of nodes).
struct PrintMemo {
    private let ids: [NodeID]
    private var values: [Printed?]

    init(_ sortedIDs: [NodeID]) {
        ids = sortedIDs
        values = [Printed?](repeating: nil, count: sortedIDs.count)
    }

    private func index(of id: NodeID) -> Int? {
        var (low, high) = (0, ids.count)
        while low < high {
            let mid = (low + high) / 2
            if ids[mid] < id { low = mid + 1 } else { high = mid }
        }
        return low < ids.count && ids[low] == id ? low : nil
    }

    subscript(id: NodeID) -> Printed? {
        get { index(of: id).flatMap { values[$0] } }
        set { if let i = index(of: id) { values[i] = newValue } }
    }
}
