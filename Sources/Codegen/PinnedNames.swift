import Symbolic

/// Nodes a language cannot print by the standard rules, given their text up front.
///
/// The `Printer` prints any node found in its `names` as that text, so handing it a prepared
/// spelling is how a language overrides the rules for one node without a printer of its own.
enum PinnedNames {
    /// Constant operations whose value is infinite or NaN, spelled `np.inf`, `(-np.inf)` or
    /// `np.nan`.
    ///
    /// A constant expression is computed in Python's own arithmetic, which raises where IEEE
    /// gives inf or NaN (`1/0` is a ZeroDivisionError, `0**-1` too, `10**400 * x` an
    /// OverflowError). Evaluating it here in Double, as the evaluator does, and printing the
    /// result keeps the generated code total and in agreement with `Gradient.evaluate`.
    /// Named nodes are pinned too: a stage or temporary that is such a constant must be
    /// *defined* by its pinned spelling (the driver decides whether uses print the name).
    static func nonFiniteConstants(_ graph: Graph, nodes: [NodeID]) -> NodeMap<String> {
        var pinned = NodeMap<String>()
        for (id, node, value) in constantValues(graph, nodes: nodes) {
            guard node.op.isOperation, !value.isFinite else { continue }
            pinned[id] = value.isNaN ? "np.nan" : (value < 0 ? "(-np.inf)" : "np.inf")
        }
        return pinned
    }

    /// Constant calls that Swift spells as `?:` (sign, step, max, min, xlogy), spelled as their value.
    ///
    /// Written out, `sign(10)` is `10.0 > 0.0 ? 1.0 : (10.0 < 0.0 ? -1.0 : ...)`: Swift rejects
    /// the comparison of two literals as ambiguous once Foundation is imported, and with literal
    /// operands `-O` warns that a branch "will never be executed". Evaluating the call here, as
    /// the evaluator does, gives the same number without either.
    static func constantConditionals<D: Dialect>(_ graph: Graph, dialect: D, nodes: [NodeID]) -> NodeMap<String> {
        var pinned = NodeMap<String>()
        for (id, node, value) in constantValues(graph, nodes: nodes) {
            guard case .function(let f) = node.op, [.sign, .step, .max, .min, .xlogy].contains(f) else { continue }
            let text = dialect.number(.real(Swift.abs(value))).text
            pinned[id] = value.isNaN ? "Double.nan" : (value < 0 ? "(-\(text))" : text)
        }
        return pinned
    }

    /// Operands of a negation that print with a leading minus, spelled in parentheses.
    ///
    /// The printer writes `-` directly before its operand, so the negation of `-x` (or of `-2`,
    /// or of `-2*x`) comes out as `--x`, which Swift lexes as an undefined `--` operator.
    /// Parenthesising the operand gives `-(-x)`.
    static func negatedNegatives<D: Dialect>(_ graph: Graph, dialect: D, nodes: [NodeID],
                                             names: NodeMap<String>) -> NodeMap<String> {
        var pinned = NodeMap<String>()
        let printer = Printer(graph, dialect)
        for id in nodes where names[id] == nil && graph[id].op == .neg {
            let operand = graph[id].children[0]
            guard names[operand] == nil, pinned[operand] == nil, printsWithMinus(graph, operand) else { continue }
            let text = printer.render(operand, names: names.merging(pinned) { first, _ in first })
            pinned[operand] = "(\(text))"
        }
        return pinned
    }

    /// Whether the printer's text for `id` starts with `-` at unary precedence (lower ones are
    /// parenthesised by the printer itself).
    private static func printsWithMinus(_ graph: Graph, _ id: NodeID) -> Bool {
        let node = graph[id]
        switch node.op {
        case .neg:
            return true
        case .number(let n):
            return n.isNegative
        case .mul:
            // A product with a negative coefficient prints as `-2 * x`.
            guard node.children.count > 1, let first = node.children.first else { return false }
            return graph.numberValue(first)?.isNegative ?? false
        case .constant, .variable, .add, .sub, .div, .pow, .function, .tensor, .adjoint:
            return false
        }
    }

    /// Every constant node reachable from `nodes`, ascending, with its value in Double as the
    /// evaluator computes it.
    private static func constantValues(_ graph: Graph, nodes: [NodeID]) -> [(NodeID, Node, Double)] {
        let constants = ConstantNodes(graph)
        var values: [NodeID: Double] = [:]
        var result: [(NodeID, Node, Double)] = []
        for id in graph.reachable(from: nodes) where constants.contains(id) {
            let node = graph[id]
            // A constant array (a literal, or an op on one) has no single Double value: the
            // scalar evaluator would read it as a scalar. Only scalar constants are pinned.
            guard graph.isScalar[id.int], node.children.allSatisfy({ graph.isScalar[$0.int] }) else { continue }
            let value = node.op.evaluate(node.children.map { values[$0] ?? .nan })
            values[id] = value
            result.append((id, node, value))
        }
        return result
    }
}
