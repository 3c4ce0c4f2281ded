import ExprParse

/// The rules that replace a naive formula by a stable equivalent before differentiating.
///
/// Each rule's pattern is matched structurally on the graph as written, and its guard says
/// exactly what must hold (the same operand, the same axis, a constant 1): a formula that only
/// looks alike is left alone. Each replacement computes the same value wherever the naive
/// formula was finite (up to rounding) and stays finite where it overflowed.
public enum RewriteRule: String, CaseIterable, Sendable {
    /// log(softmax(z)) -> log_softmax(z).
    case logSoftmax = "log-softmax"
    /// log(softmax(z)[y]) -> log_softmax(z)[y] (then the next rule, if negated).
    case logPickSoftmax = "log-pick-softmax"
    /// -log_softmax(z)[y] -> cross_entropy(z, y), and the batch form
    /// -mean(log_softmax(Z)[arange(N), y]) -> cross_entropy(Z, y).
    case crossEntropy = "cross-entropy"
    /// log(sum(exp(x))) -> logsumexp(x), over any axis.
    case logsumexp = "logsumexp"
    /// exp(z - logsumexp(z, keepdims)) -> softmax(z).
    case softmax = "softmax"
    /// log(1 + exp(x)) -> softplus(x).
    case softplus = "softplus"
    /// log(sigmoid(x)) -> -softplus(-x).
    case logSigmoid = "log-sigmoid"
    /// log(1 - sigmoid(x)) -> -softplus(x).
    case logOneMinusSigmoid = "log-one-minus-sigmoid"
    /// log(exp(a) + exp(b) + ...) -> m + log(exp(a - m) + exp(b - m) + ...), m the largest.
    case logSumOfExps = "log-sum-exp"
    /// norm(x)^2 -> sum(x^2): the same value, and a gradient 2x that is 0 at x = 0, where the
    /// chain through norm's x/norm(x) is 0/0.
    case squaredNorm = "squared-norm"

    /// Why the replacement is stable, for the note.
    public var reason: String {
        switch self {
        case .logSoftmax, .logPickSoftmax: return "stable for large z"
        case .crossEntropy: return "stable for large logits; its gradient is p - onehot(y)"
        case .logsumexp, .logSumOfExps: return "the maximum is subtracted before exp"
        case .softmax: return "the maximum is subtracted before exp"
        case .softplus, .logSigmoid, .logOneMinusSigmoid: return "no overflow of exp for large |x|"
        case .squaredNorm: return "its gradient 2x is defined at x = 0"
        }
    }
}

/// One rewrite that fired: the rule, the formula as written and its replacement.
public struct Rewrite: Sendable {
    public let rule: RewriteRule
    public let before: String
    public let after: String
    /// Where the formula was written (nil for graphs built directly).
    public let range: SourceRange?

    /// `log(softmax(z)) rewritten as log_softmax(z) (stable for large z)`.
    public var message: String { "\(before) rewritten as \(after) (\(rule.reason)) [\(rule.rawValue)]" }
}

/// Applies the rules bottom-up, once per node, so that rules compose: `-log(softmax(z)[y])`
/// becomes `-log_softmax(z)[y]` and then `cross_entropy(z, y)`, and the binary cross-entropy
/// on logits becomes two softplus terms.
struct StabilityRewriter {
    let graph: Graph
    private var memo: [NodeID: NodeID] = [:]
    private(set) var fired: [(rule: RewriteRule, original: NodeID, replacement: NodeID)] = []

    init(_ graph: Graph) { self.graph = graph }

    /// The rewritten nodes (old -> new, changed nodes only).
    ///
    /// One pass over the nodes in id order (children before parents), not a walk from the
    /// roots: it costs a switch per node on a program without any candidate, which is every
    /// scalar program of a benchmark. (Unreachable nodes may be rewritten too; nothing reads
    /// them, and only rewrites that remain reachable are reported.)
    mutating func run() -> [NodeID: NodeID] {
        let count = graph.count
        for index in 0..<count {
            let id = NodeID(index)
            let node = graph[id]
            guard node.op.isOperation else { continue }
            var current = id
            if !memo.isEmpty, node.children.contains(where: { memo[$0] != nil }) {
                current = graph.intern(node.op, Children(node.children.map { memo[$0] ?? $0 }))
            }
            guard StabilityRewriter.isCandidate(graph[current].op) else {
                if current != id { memo[id] = current }
                continue
            }
            while let (rule, replacement) = match(current) {
                fired.append((rule, id, replacement))
                current = replacement
            }
            if current != id { memo[id] = current }
        }
        return memo
    }

    /// The ops a rule can match at: anything else is skipped without a look at its operands.
    static func isCandidate(_ op: Op) -> Bool {
        switch op {
        case .function(.ln), .function(.exp), .pow, .neg, .mul, .tensor(.reduction(.mean)): return true
        default: return false
        }
    }

    // MARK: - Patterns

    private func op(_ id: NodeID) -> Op { graph[id].op }
    private func child(_ id: NodeID, _ i: Int) -> NodeID { graph[id].children[i] }
    private func term(_ id: NodeID) -> Term { Term(id, graph) }

    /// `x` when `id` is `exp(x)` or `e^x`.
    private func exponent(_ id: NodeID) -> NodeID? {
        switch op(id) {
        case .function(.exp): return child(id, 0)
        case .pow where op(child(id, 0)) == .constant(.e): return child(id, 1)
        default: return nil
        }
    }

    /// The number -1, built (`number(-1)`) or parsed: the parser's `-1` is `neg(1)`.
    private func isMinusOne(_ id: NodeID) -> Bool {
        graph.isNumber(id, .minusOne) || (op(id) == .neg && graph.isNumber(child(id, 0), .one))
    }

    /// The operand, seen through an explicit broadcast.
    private func unbroadcast(_ id: NodeID) -> NodeID {
        if case .tensor(.layout(.broadcast)) = op(id) { return child(id, 0) }
        return id
    }

    /// The rule that applies at `id`, with its replacement.
    private func match(_ id: NodeID) -> (RewriteRule, NodeID)? {
        switch op(id) {
        case .function(.ln): return matchLog(id, child(id, 0))
        case .pow: return matchSquaredNorm(id) ?? matchExp(id)
        case .function(.exp): return matchExp(id)
        case .neg: return matchNegation(child(id, 0))
        case .mul:
            // -1 * x, as `-` before a product may be built, or as written (`-1*log(...)`).
            let c = graph[id].children
            guard c.count == 2 else { return nil }
            if isMinusOne(c[0]) { return matchNegation(c[1]) }
            if isMinusOne(c[1]) { return matchNegation(c[0]) }
            return nil
        case .tensor(.reduction(.mean(axis: nil, keepdims: false))):
            // mean(-log_softmax(Z)[arange(N), y]) -> cross_entropy(Z, y).
            let inner = child(id, 0)
            guard op(inner) == .neg, let ce = batchCrossEntropy(child(inner, 0)) else { return nil }
            return (.crossEntropy, ce)
        default:
            return nil
        }
    }

    private func matchLog(_ id: NodeID, _ x: NodeID) -> (RewriteRule, NodeID)? {
        switch op(x) {
        case .tensor(.softmax(.softmax(let axis))):
            return (.logSoftmax, graph.tensor(.softmax(.logSoftmax(axis: axis)), [child(x, 0)]))
        case .tensor(.layout(.take)), .tensor(.layout(.takeRows)):
            // log(softmax(z)[y]) -> log_softmax(z)[y], the pick along the softmax's axis only.
            let picked = child(x, 0)
            guard case .tensor(.softmax(.softmax(let axis))) = op(picked) else { return nil }
            let rank = graph.shapes[picked.int].rank
            let pickAxis = op(x) == .tensor(.layout(.take)) ? 0 : 1
            guard axis == rank - 1, pickAxis == rank - 1 else { return nil }
            let logSoftmax = graph.tensor(.softmax(.logSoftmax(axis: axis)), [child(picked, 0)])
            return (.logPickSoftmax, graph.intern(op(x), Children(logSoftmax, child(x, 1))))
        case .tensor(.reduction(.sum(let axis, let keepdims))):
            guard let inner = exponent(child(x, 0)) else { return nil }
            let shape = graph.shapes[inner.int]
            if let axis { return (.logsumexp, graph.tensor(.softmax(.logsumexp(axis: axis, keepdims: keepdims)), [inner])) }
            // Over everything: the log-sum-exp of the flattened array.
            let flat = shape.rank <= 1 ? inner : graph.tensor(.layout(.reshape(TensorShape([.fixed(-1)]))), [inner])
            guard graph.shapes[flat.int].rank == 1 else { return nil }
            let lse = graph.tensor(.softmax(.logsumexp(axis: 0, keepdims: false)), [flat])
            return (.logsumexp, keepdims ? graph.fitted(lse, to: graph.shapes[id.int]) : lse)
        case .function(.sigmoid):
            // log(sigmoid(x)) = -softplus(-x).
            let a = term(child(x, 0))
            return (.logSigmoid, (-(-a).apply(.softplus)).id)
        case .add:
            let terms = graph[x].children
            // log(1 + exp(x)) = softplus(x), either order.
            if terms.count == 2 {
                for (one, other) in [(terms[0], terms[1]), (terms[1], terms[0])] where graph.isNumber(one, .one) {
                    if let a = exponent(other) { return (.softplus, graph.call(.softplus, [a])) }
                }
            }
            // log(exp(a) + exp(b) + ...) over two or more exponentials and nothing else.
            let flattened = flattenSum(x)
            let exponents = flattened.compactMap(exponent)
            guard exponents.count >= 2, exponents.count == flattened.count else { return nil }
            return (.logSumOfExps, logSumOfExps(exponents.map(term)).id)
        case .sub:
            // log(1 - sigmoid(x)) = -softplus(x).
            guard graph.isNumber(child(x, 0), .one), op(child(x, 1)) == .function(.sigmoid) else { return nil }
            return (.logOneMinusSigmoid, (-term(child(child(x, 1), 0)).apply(.softplus)).id)
        default:
            return nil
        }
    }

    /// The terms of a sum written with `+` (nested binary sums as one list).
    private func flattenSum(_ id: NodeID) -> [NodeID] {
        var stack = [id], terms: [NodeID] = []
        while let next = stack.popLast() {
            if op(next) == .add { stack.append(contentsOf: graph[next].children.reversed()) } else { terms.append(next) }
        }
        return terms
    }

    /// m + log(exp(a - m) + exp(b - m) + ...), m = max(a, max(b, ...)): every exponent is at
    /// most 0, and the largest is exactly 0, so the sum lies in [1, n]. The value does not
    /// depend on m, so m is `stop_gradient`: the gradient is exp(a - m)/sum, the softmax, with
    /// no terms through max that cancel only numerically.
    private func logSumOfExps(_ exponents: [Term]) -> Term {
        var m = exponents[0]
        for e in exponents.dropFirst() { m = m.apply(.max, e) }
        m = m.apply(.stopGradient)
        var sum = (exponents[0] - m).apply(.exp)
        for e in exponents.dropFirst() { sum = sum + (e - m).apply(.exp) }
        return m + sum.apply(.ln)
    }

    /// The log-sum-exp replacement as the note shows it, `m + ln(exp(a - m) + exp(b - m)),
    /// m = max(a, b)`, from the formula as written: printed in full the replacement repeats
    /// the maximum once per term and soon exceeds the note's length limit. `m` is a name the
    /// formula does not use.
    func logSumOfExpsText(_ original: NodeID, _ render: (NodeID) -> String) -> String? {
        guard op(original) == .function(.ln) else { return nil }
        let exponents = flattenSum(child(original, 0)).compactMap(exponent).map(render)
        guard exponents.count >= 2 else { return nil }
        var used: Set<String> = []
        for id in graph.reachable(from: [original]) {
            if case .variable(let name) = op(id) { used.insert(name) }
        }
        var m = "m", suffix = 0
        while used.contains(m) {
            suffix += 1
            m = suffix == 1 ? "M" : "m\(suffix - 1)"
        }
        let terms = exponents.map { "exp(\($0) - \(m))" }.joined(separator: " + ")
        let maximum = exponents.dropFirst().reduce(exponents[0]) { "max(\($0), \($1))" }
        return "\(m) + ln(\(terms)), \(m) = \(maximum)"
    }

    /// exp(z - logsumexp(z, keepdims=true)) -> softmax(z), and exp(z - logsumexp(z, axis=0))
    /// without keepdims: a reduction over the leading axis broadcasts back along that axis
    /// (shapes align on the right), so for a vector the issue's `exp(z - logsumexp(z))` is the
    /// softmax too. Over another axis without keepdims the broadcast pairs the wrong elements.
    private func matchExp(_ id: NodeID) -> (RewriteRule, NodeID)? {
        guard let x = exponent(id), op(x) == .sub else { return nil }
        let z = child(x, 0), lse = unbroadcast(child(x, 1))
        guard case .tensor(.softmax(.logsumexp(let axis, let keepdims))) = op(lse), child(lse, 0) == z,
              keepdims || axis == 0 else { return nil }
        return (.softmax, graph.tensor(.softmax(.softmax(axis: axis)), [z]))
    }

    /// norm(x)^2 -> sum(x^2), for the exponent 2 exactly: the square root and the square cancel
    /// (the value is the same up to rounding, and exact where norm's rounding was not).
    private func matchSquaredNorm(_ id: NodeID) -> (RewriteRule, NodeID)? {
        let base = child(id, 0)
        guard op(base) == .tensor(.linear(.norm)), graph.isNumber(child(id, 1), Number(2)) else { return nil }
        let x = child(base, 0)
        let squares = graph.elementwiseNode(.pow, [x, graph.integer(2)])
        return (.squaredNorm, graph.tensor(.reduction(.sum(axis: nil, keepdims: false)), [squares]))
    }

    /// -log_softmax(z)[y] with z of rank 1 -> cross_entropy(z, y); -mean(...) of the batch pick.
    private func matchNegation(_ x: NodeID) -> (RewriteRule, NodeID)? {
        switch op(x) {
        case .tensor(.layout(.take)):
            let picked = child(x, 0)
            guard case .tensor(.softmax(.logSoftmax(let axis))) = op(picked), axis == 0,
                  graph.shapes[picked.int].rank == 1 else { return nil }
            return (.crossEntropy, graph.intern(.tensor(.softmax(.crossEntropy)), Children(child(picked, 0), child(x, 1))))
        case .tensor(.reduction(.mean(axis: nil, keepdims: false))):
            guard let ce = batchCrossEntropy(child(x, 0)) else { return nil }
            return (.crossEntropy, ce)
        default:
            return nil
        }
    }

    /// cross_entropy(Z, y) when `x` is log_softmax(Z)[arange(N), y] over Z's last axis.
    private func batchCrossEntropy(_ x: NodeID) -> NodeID? {
        guard op(x) == .tensor(.layout(.takeRows)) else { return nil }
        let picked = child(x, 0)
        guard case .tensor(.softmax(.logSoftmax(axis: 1))) = op(picked), graph.shapes[picked.int].rank == 2 else { return nil }
        return graph.intern(.tensor(.softmax(.crossEntropy)), Children(child(picked, 0), child(x, 1)))
    }
}

extension ProgramGraph {
    /// The program with the stability rules applied, and the rewrites that fired (with the
    /// source range of each formula when `program` is the program this graph was built from).
    public func stabilized(_ program: Program? = nil) -> (program: ProgramGraph, rewrites: [Rewrite]) {
        var rewriter = StabilityRewriter(graph)
        let replacement = rewriter.run()
        guard !rewriter.fired.isEmpty else { return (self, []) }
        let printer = Printer(graph, InputLanguage())
        // The outermost syntax node that became each rewritten node.
        var ranges: [NodeID: SourceRange] = [:]
        if let program, astNodes.count == program.nodes.count {
            for (index, node) in astNodes.enumerated() { ranges[node] = program.nodes[index].range }
        }
        func text(_ id: NodeID) -> String {
            printer.expandedSize(id) > 200 ? "\(graph[id].op.name)(...)" : printer.render(id)
        }
        // A rewrite whose result a later rule replaced again (log_softmax(z)[y] inside
        // cross_entropy) is part of that one: only rewrites whose result remains are reported.
        let stabilized = ProgramGraph(self, replacing: replacement)
        let remaining = Set(graph.reachable(from: [stabilized.output] + stabilized.statementNames.map(\.node)))
        let rewrites = rewriter.fired.filter { remaining.contains($0.replacement) }.map { fired in
            let after = fired.rule == .logSumOfExps ? rewriter.logSumOfExpsText(fired.original, text) : nil
            return Rewrite(rule: fired.rule, before: text(fired.original), after: after ?? text(fired.replacement),
                           range: ranges[fired.original])
        }
        return (stabilized, rewrites)
    }
}
