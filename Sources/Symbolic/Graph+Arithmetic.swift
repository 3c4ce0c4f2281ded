import ExprParse

/// Smart constructors with the few local simplifications that are always safe and keep adjoints
/// readable: exact constant folding, `x + 0`, `x*1`, `x*0`, `x/1`, `x^1`, `x^0`, `--x`, and
/// `-1*x = -x`. They never look deeper than the arguments, so building an adjoint stays O(1)
/// per edge. Graphs of the user's own text are built with plain `intern` instead, so staging
/// shows exactly what was written; full canonical simplification lives in `Simplifier`.
extension Graph {
    /// The shortcuts below keep the broadcast shape: `x + 0` with a vector `0` operand... is
    /// `x` stretched to the result, never a node of a smaller shape.
    public func add(_ a: NodeID, _ b: NodeID) -> NodeID {
        if let x = numberValue(a), let y = numberValue(b) { return number(x + y) }
        if areScalars(a, b) {
            if isNumber(a, .zero) { return b }
            if isNumber(b, .zero) { return a }
            return intern(.add, Children(a, b))
        }
        let shape = resultShape(a, b)
        if isNumber(a, .zero) { return fitted(b, to: shape) }
        if isNumber(b, .zero) { return fitted(a, to: shape) }
        return elementwiseNode(.add, [a, b])
    }

    public func sub(_ a: NodeID, _ b: NodeID) -> NodeID {
        if let x = numberValue(a), let y = numberValue(b) { return number(x + -y) }
        if areScalars(a, b) {
            if isNumber(b, .zero) { return a }
            if isNumber(a, .zero) { return neg(b) }
            return intern(.sub, Children(a, b))
        }
        let shape = resultShape(a, b)
        if isNumber(b, .zero) { return fitted(a, to: shape) }
        if isNumber(a, .zero) { return fitted(neg(b), to: shape) }
        return elementwiseNode(.sub, [a, b])
    }

    /// `a * b`; `0 * b` is 0 (as in SymPy), which is what a hand-derived gradient says too.
    public func mul(_ a: NodeID, _ b: NodeID) -> NodeID {
        if let x = numberValue(a), let y = numberValue(b) { return number(x * y) }
        if areScalars(a, b) {
            if isNumber(a, .zero) || isNumber(b, .zero) { return number(.zero) }
            if isNumber(a, .one) { return b }
            if isNumber(b, .one) { return a }
            if isNumber(a, .minusOne) { return neg(b) }
            if isNumber(b, .minusOne) { return neg(a) }
            return intern(.mul, Children(a, b))
        }
        let shape = resultShape(a, b)
        if isNumber(a, .zero) || isNumber(b, .zero) { return fitted(number(.zero), to: shape) }
        if isNumber(a, .one) || isOnes(a) { return fitted(b, to: shape) }
        if isNumber(b, .one) || isOnes(b) { return fitted(a, to: shape) }
        if isNumber(a, .minusOne) { return fitted(neg(b), to: shape) }
        if isNumber(b, .minusOne) { return fitted(neg(a), to: shape) }
        return elementwiseNode(.mul, [a, b])
    }

    /// The number 1, or 1 broadcast to an array (the seed of a sum's gradient): an adjoint that
    /// the backward pass folds into the terms reading it instead of multiplying by it.
    public func isUnit(_ id: NodeID) -> Bool {
        isNumber(id, .one) || isOnes(id)
    }

    /// Both operands are scalars: the rules need no shapes (the common case, kept fast).
    @inline(__always) func areScalars(_ a: NodeID, _ b: NodeID) -> Bool {
        isScalar[a.int] && isScalar[b.int]
    }

    /// A broadcast of the constant 1 to `shape` (the seed of a sum's gradient).
    private func isOnes(_ id: NodeID) -> Bool {
        guard !isScalar[id.int], case .tensor(.layout(.broadcast)) = self[id].op else { return false }
        return isNumber(self[id].children[0], .one)
    }

    public func div(_ a: NodeID, _ b: NodeID) -> NodeID {
        if let x = numberValue(a), let y = numberValue(b), let q = x / y { return number(q) }
        if areScalars(a, b) { return isNumber(b, .one) ? a : intern(.div, Children(a, b)) }
        if isNumber(b, .one) { return fitted(a, to: resultShape(a, b)) }
        return elementwiseNode(.div, [a, b])
    }

    public func neg(_ a: NodeID) -> NodeID {
        if let x = numberValue(a) { return number(-x) }
        if self[a].op == .neg { return self[a].children[0] }
        return isScalar[a.int] ? intern(.neg, Children(a)) : elementwiseNode(.neg, [a])
    }

    public func pow(_ a: NodeID, _ b: NodeID) -> NodeID {
        if let x = numberValue(a), let y = numberValue(b), let p = x.exactPower(y) { return number(p) }
        if areScalars(a, b) {
            if isNumber(b, .one) { return a }
            if isNumber(b, .zero) { return number(.one) }
            return intern(.pow, Children(a, b))
        }
        let shape = resultShape(a, b)
        if isNumber(b, .one) { return fitted(a, to: shape) }
        if isNumber(b, .zero) { return fitted(number(.one), to: shape) }
        return elementwiseNode(.pow, [a, b])
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
            if isNumber(args[0], .zero) { return fitted(number(.zero), to: resultShape(args[0], args[1])) }
            if isPositiveConstant(args[1]) { return mul(args[0], call(.ln, [args[1]])) }
        default:
            break
        }
        if args.count == 1, isScalar[args[0].int] { return intern(.function(function), Children(args[0])) }
        return elementwiseNode(.function(function), args)
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

extension Graph {
    /// An op on whole arrays, with the identities that keep VJPs readable: a broadcast, sum or
    /// reshape to the shape the operand already has is the operand, and `x.T.T` is `x`.
    public func tensor(_ op: TensorOp, _ args: [NodeID]) -> NodeID {
        switch op {
        case .layout(.broadcast(let shape)), .layout(.sumTo(let shape)), .layout(.reshape(let shape)):
            if shapes[args[0].int] == shape { return args[0] }
        case .linear(.transpose):
            if shapes[args[0].int].rank < 2 { return args[0] }
            if self[args[0]].op == .tensor(.linear(.transpose)) { return self[args[0]].children[0] }
            // The identity is symmetric: eye(n).T is eye(n).
            if case .tensor(.matrix(.identity)) = self[args[0]].op { return args[0] }
        default:
            break
        }
        return intern(.tensor(op), Children(args))
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

    /// The shape of the value.
    var shape: TensorShape { graph.shapes[id.int] }

    /// An op on whole arrays with this term as its first operand.
    func tensor(_ op: TensorOp, _ others: Term...) -> Term {
        Term(graph.tensor(op, [id] + others.map(\.id)), graph)
    }

    func matmul(_ other: Term) -> Term { tensor(.linear(.matmul), other) }
    func outer(_ other: Term) -> Term { tensor(.linear(.outer), other) }
    func transposed() -> Term { tensor(.linear(.transpose)) }
    func broadcast(to shape: TensorShape) -> Term { tensor(.layout(.broadcast(shape))) }
    func sumTo(_ shape: TensorShape) -> Term { tensor(.layout(.sumTo(shape))) }

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
