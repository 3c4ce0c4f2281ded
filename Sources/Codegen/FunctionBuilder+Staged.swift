import ExprParse
import Symbolic

extension FunctionBuilder {
    /// The staged body: the forward equations one op each, then the backward pass one
    /// contribution each, grouped under a comment naming the forward equation it differentiates
    /// (tangent's "Grad of:" lines).
    ///
    /// The backward lines are `Gradient.backwardLines` rebuilt from `backwardSteps` (sharing its
    /// `gateNames`, `term` and `statement`), because code needs two things that function does
    /// not offer: names for pinned constants inside local partials, and temporaries for
    /// arguments a spelling repeats (Swift's `step(b - a)` in the partial of `max`). The seed
    /// is folded in: a term straight from the value is its partial alone (`da = z`), and
    /// `finishedPartials` gives each partial its returned form (NumPy: the value's shape).
    mutating func stagedBody() -> [BodyLine] {
        let partials = gradient.contributions.map(\.partial)
        let printed = graph.reachable(from: staged.equations.map(\.node) + [staged.output] + partials)
        let pinned = emitter.pinnedNames(graph, nodes: printed, names: plan.names)
        // A stage keeps its name even when pinned: only its definition uses the pin.
        let names = plan.names.merging(pinned) { name, _ in name }

        var lines: [BodyLine] = [.comment("forward pass")]
        var equationText = NodeMap<String>()
        let forward = staged.forwardLines(emitter.dialect, names: names, outputName: plan.outputName)
        for (index, line) in forward.enumerated() {
            if line.equation != nil {
                // A stage that is itself a pinned constant (Symbolic stages `1/0` when the
                // user writes it) computes the pinned spelling instead of its op.
                let node = staged.equations[index].node
                let expression = pinned[node] ?? line.expression
                equationText[node] = "\(line.name) = \(expression)"
                lines.append(.define(name: line.name, expression: valueExpression(expression, of: node)))
            } else {
                lines.append(.define(name: line.name, expression: valueExpression(line.expression, of: staged.output)))
            }
        }

        lines.append(.comment("backward pass"))
        let planner = HoistingPlanner(graph: graph)
        var assigned = NodeMap<Bool>()
        var currentSource: NodeID?
        var heading: String?
        // Temporaries stay in scope for the rest of the body, so later lines reuse them.
        var temporaries = NodeMap<String>()
        var deferred: [NodeID: Printed] = [:]
        for step in gradient.backwardSteps where step.form != .folded {
            let c = step.contribution
            // The heading is written with the first line under it: a deferred step writes none.
            if c.source != currentSource, let name = staged.names[c.source] {
                heading = "from: " + (equationText[c.source] ?? name)
            }
            currentSource = c.source
            // Name only the gate's own operands and output, as Gradient.backwardLines does.
            // Pins first: a pinned stage outside the gate prints as its value, the gate's own
            // operands as their names.
            let gate = gradient.gateNames(c, names)
            let operands = graph[c.source].children + [c.source]
            // Looked up, not merged into one map per line: copying the pins for each of 10^5
            // contributions made emitting quadratic.
            let local: (NodeID) -> String? = { id in
                // An operand that is a constant expression has no stage name: it prints as a
                // temporary if one was hoisted for it (xlogy repeats its arguments).
                if operands.contains(id), let name = names[id] { return name }
                return pinned[id] ?? temporaries[id] ?? gate(id)
            }
            for node in planner.hoisted([c.partial], named: local, shareRepeated: false,
                                        repeatsArgument: emitter.repeatsArgument) {
                let temporary = plan.temporary()
                if let text = heading.take() { lines.append(.comment(text)) }
                lines.append(.define(name: temporary, expression: printer.printed(node, names: local, literalRoot: true).text))
                temporaries[node] = temporary
            }
            let term = gradient.term(step, printer: printer, names: local, upstream: step.upstream.map { plan.adjointNames[$0] ?? "?" })
            assigned[c.target] = true
            guard let statement = gradient.statement(step, term: term, dialect: emitter.dialect, deferred: &deferred) else { continue }
            if let text = heading.take() { lines.append(.comment(text)) }
            let target = plan.adjointNames[c.target] ?? "?"
            switch statement {
            case .define(let expression):
                // A term of the seed and a constant partial (`dx = 3`) is a constant.
                let constant = step.upstream == nil && step.form != .defineAfterDeferred && constants.contains(c.partial)
                lines.append(.define(name: target, expression: constant ? emitter.constantValue(expression.text) : expression.text))
            // Grouped, as NumPy writes `d = d + (1 - h * h)`.
            case .accumulate(let expression):
                lines.append(.accumulate(name: target, expression: emitter.dialect.wrap(expression, below: Printed.Level.product)))
            case .subtract(let expression):
                lines.append(.decrement(name: target, expression: emitter.dialect.wrap(expression, below: Printed.Level.product)))
            }
        }
        return lines + finishedPartials(assigned: assigned)
    }
}
