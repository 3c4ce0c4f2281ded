import ExprParse

/// Smart constructors with the few local simplifications that are always safe and keep adjoints
/// readable: exact constant folding, `x + 0`, `x*1`, `x*0`, `x/1`, `x^1`, `x^0`, `--x`, and
/// `-1*x = -x`. They never look deeper than the arguments, so building an adjoint stays O(1)
/// per edge. Graphs of the user's own text are built with plain `intern` instead, so staging
/// shows exactly what was written; full canonical simplification lives in `Simplifier`.
extension Graph {
    public func add(_ a: NodeID, _ b: NodeID) -> NodeID {
        if let x = numberValue(a), let y = numberValue(b) { return number(x + y) }
        if isNumber(a, .zero) { return b }
        if isNumber(b, .zero) { return a }
        return intern(.add, Children(a, b))
    }

    public func sub(_ a: NodeID, _ b: NodeID) -> NodeID {
        if let x = numberValue(a), let y = numberValue(b) { return number(x + -y) }
        if isNumber(b, .zero) { return a }
        if isNumber(a, .zero) { return neg(b) }
        return intern(.sub, Children(a, b))
    }

    /// `a * b`; `0 * b` is 0 (as in SymPy), which is what a hand-derived gradient says too.
    public func mul(_ a: NodeID, _ b: NodeID) -> NodeID {
        if let x = numberValue(a), let y = numberValue(b) { return number(x * y) }
        if isNumber(a, .zero) || isNumber(b, .zero) { return number(.zero) }
        if isNumber(a, .one) { return b }
        if isNumber(b, .one) { return a }
        if isNumber(a, .minusOne) { return neg(b) }
        if isNumber(b, .minusOne) { return neg(a) }
        return intern(.mul, Children(a, b))
    }

    public func div(_ a: NodeID, _ b: NodeID) -> NodeID {
        if let x = numberValue(a), let y = numberValue(b), let q = x / y { return number(q) }
        if isNumber(b, .one) { return a }
        return intern(.div, Children(a, b))
    }

    public func neg(_ a: NodeID) -> NodeID {
        if let x = numberValue(a) { return number(-x) }
        if self[a].op == .neg { return self[a].children[0] }
        return intern(.neg, Children(a))
    }

    public func pow(_ a: NodeID, _ b: NodeID) -> NodeID {
        if let x = numberValue(a), let y = numberValue(b), let p = x.exactPower(y) { return number(p) }
        if isNumber(b, .one) { return a }
        if isNumber(b, .zero) { return number(.one) }
        return intern(.pow, Children(a, b))
    }

    /// A call of a built-in function; `pow(a, b)` becomes the `^` node, `ln(e)` is 1, and
    /// `xlogy(a, c)` of a positive constant `c` is `a*ln(c)` (ln(c) is finite, so the product is
    /// already 0 where a is: the guard is only needed for a base that can be 0).
    public func call(_ function: Function, _ args: [NodeID]) -> NodeID {
        switch function {
        case .pow:
            return pow(args[0], args[1])
        case .ln where self[args[0]].op == .constant(.e):
            return number(.one)
        case .xlogy:
            if isNumber(args[0], .zero) { return number(.zero) }
            if isPositiveConstant(args[1]) { return mul(args[0], call(.ln, [args[1]])) }
        default:
            break
        }
        return intern(.function(function), Children(args))
    }

    /// A positive number or a named constant (pi and e are positive).
    func isPositiveConstant(_ id: NodeID) -> Bool {
        switch self[id].op {
        case .number(let n): return n.doubleValue > 0
        case .constant: return true
        default: return false
        }
    }
}

/// A node seen as a math value, so that derivative rules read like the formulas they encode:
/// `[1 / y, -x / (y * y)]` instead of graph plumbing.
struct Term {
    let id: NodeID
    let graph: Graph

    init(_ id: NodeID, _ graph: Graph) {
        self.id = id
        self.graph = graph
    }

    func constant(_ value: Int64) -> Term { Term(graph.integer(value), graph) }

    static func + (a: Term, b: Term) -> Term { Term(a.graph.add(a.id, b.id), a.graph) }
    static func - (a: Term, b: Term) -> Term { Term(a.graph.sub(a.id, b.id), a.graph) }
    static func * (a: Term, b: Term) -> Term { Term(a.graph.mul(a.id, b.id), a.graph) }
    static func / (a: Term, b: Term) -> Term { Term(a.graph.div(a.id, b.id), a.graph) }
    static prefix func - (a: Term) -> Term { Term(a.graph.neg(a.id), a.graph) }

    static func + (a: Int64, b: Term) -> Term { b.constant(a) + b }
    static func - (a: Int64, b: Term) -> Term { b.constant(a) - b }
    static func * (a: Int64, b: Term) -> Term { b.constant(a) * b }
    static func / (a: Int64, b: Term) -> Term { b.constant(a) / b }
    static func - (a: Term, b: Int64) -> Term { a - a.constant(b) }
    static func * (a: Term, b: Int64) -> Term { a * a.constant(b) }
    static func / (a: Term, b: Int64) -> Term { a / a.constant(b) }

    /// `a ^ b`.
    func raised(to exponent: Term) -> Term { Term(graph.pow(id, exponent.id), graph) }
    func raised(to exponent: Int64) -> Term { raised(to: constant(exponent)) }

    /// `f(self, others...)`.
    func apply(_ function: Function, _ others: Term...) -> Term {
        Term(graph.call(function, [id] + others.map(\.id)), graph)
    }
}
