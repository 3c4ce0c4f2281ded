import ExprParse

/// A point where a kinked function's derivative took its convention (relu or abs at 0, a
/// max/min tie, sign or step at 0).
public struct Kink: Hashable, Sendable {
    /// The staged equation's name.
    public let equation: String
    /// The convention used, in words.
    public let convention: String
}

/// One edge of the backward pass with numbers: the gate table row of a worksheet.
public struct EdgeValues: Hashable, Sendable {
    public let upstream: Double
    public let local: Double
    public let contribution: Double
    /// The target's accumulated adjoint after this edge.
    public let runningTotal: Double
}

/// Every number of one forward and backward pass at a point.
public struct PointEvaluation: Sendable {
    public let value: Double
    /// ∂out/∂input, in input order.
    public let gradient: [Double]
    /// The value of each staged equation, in equation order.
    public let forward: [Double]
    /// The adjoint of each staged equation, in equation order.
    public let adjoints: [Double]
    /// The numbers of each contribution, in the order of `Gradient.contributions`.
    public let edges: [EdgeValues]
    /// The first equation (index into `equations`) whose value is NaN or infinite.
    public let firstNonFinite: Int?
    public let kinks: [Kink]
}

extension Gradient {
    /// Nodes whose values a backward pass needs: the forward program and every local partial.
    var evaluationOrder: [NodeID] {
        graph.reachable(from: [staged.output] + contributions.map(\.partial))
    }

    /// Fills `values` for `order` given input values; `override` replaces one node's value
    /// (used by `check` to perturb a single stage).
    func forwardValues(_ point: [Double], order: [NodeID], override: (NodeID, Double)? = nil) -> [Double] {
        var values = [Double](repeating: .nan, count: graph.count)
        for (node, value) in zip(staged.inputNodes, point) { values[node.int] = value }
        var args: [Double] = []
        for id in order {
            if let override, override.0 == id { values[id.int] = override.1; continue }
            let node = graph[id]
            if case .variable = node.op { continue }
            args.removeAll(keepingCapacity: true)
            for child in node.children { args.append(values[child.int]) }
            values[id.int] = node.op.evaluate(args)
        }
        return values
    }

    /// Evaluates the staged forward and backward program in Double at `point` (input order),
    /// with IEEE semantics: domain errors give NaN or inf, and `firstNonFinite` says where.
    public func evaluate(at point: [Double]) -> PointEvaluation {
        evaluate(at: point, order: evaluationOrder)
    }

    /// `evaluate(at:)` with `evaluationOrder` computed once by a caller that evaluates many points.
    func evaluate(at point: [Double], order: [NodeID]) -> PointEvaluation {
        let values = forwardValues(point, order: order)
        var adjoint = [Double](repeating: 0, count: graph.count)
        if !graph.isConstant[staged.output.int] { adjoint[staged.output.int] = 1 }
        var edges: [EdgeValues] = []
        edges.reserveCapacity(contributions.count)
        for c in contributions {
            let upstream = adjoint[c.source.int]
            let local = values[c.partial.int]
            let contribution = upstream * local
            adjoint[c.target.int] = c.accumulates ? adjoint[c.target.int] + contribution : contribution
            edges.append(EdgeValues(upstream: upstream, local: local, contribution: contribution, runningTotal: adjoint[c.target.int]))
        }
        let forward = staged.equations.map { values[$0.node.int] }
        return PointEvaluation(
            value: values[staged.output.int],
            gradient: staged.inputNodes.map { adjoint[$0.int] },
            forward: forward,
            adjoints: staged.equations.map { adjoint[$0.node.int] },
            edges: edges,
            firstNonFinite: forward.firstIndex { !$0.isFinite },
            kinks: kinks(values))
    }

    /// Evaluates at many points in one call (each row is a point in input order).
    public func evaluate(points: [[Double]]) -> [PointEvaluation] { points.map { evaluate(at: $0) } }

    /// The output's value at `point`, optionally with one stage's value replaced.
    public func value(at point: [Double], overriding node: NodeID? = nil, with replacement: Double = 0) -> Double {
        let order = graph.reachable(from: [staged.output])
        let values = forwardValues(point, order: order, override: node.map { ($0, replacement) })
        return values[staged.output.int]
    }

    /// The value of one node (an equation or input) at `point`.
    public func nodeValue(_ node: NodeID, at point: [Double]) -> Double {
        forwardValues(point, order: graph.reachable(from: [node]))[node.int]
    }

    private func kinks(_ values: [Double]) -> [Kink] {
        var found: [Kink] = []
        for eq in staged.equations {
            let node = graph[eq.node]
            guard case .function(let f) = node.op, f.hasKink else { continue }
            let args = node.children.map { values[$0.int] }
            switch f {
            case .relu where args[0] == 0:
                found.append(Kink(equation: eq.name, convention: "relu'(0) = 0"))
            case .abs where args[0] == 0:
                found.append(Kink(equation: eq.name, convention: "abs'(0) = 0"))
            case .sign where args[0] == 0, .step where args[0] == 0:
                found.append(Kink(equation: eq.name, convention: "\(f.name)'(0) = 0"))
            case .max where args[0] == args[1], .min where args[0] == args[1]:
                found.append(Kink(equation: eq.name, convention: "\(f.name) tie: the gradient goes to the first argument"))
            default:
                break
            }
        }
        return found
    }
}
