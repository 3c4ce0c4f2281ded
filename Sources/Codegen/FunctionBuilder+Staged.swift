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
    mutating func stagedBody() -> FunctionBody {
        let partials = gradient.contributions.map(\.partial)
        let printed = graph.reachable(from: staged.equations.map(\.node) + [staged.output] + partials)
        let pinned = emitter.pinnedNames(graph, nodes: printed, names: plan.names)
        // A stage keeps its name even when pinned: only its definition uses the pin.
        let names = plan.names.merging(pinned) { name, _ in name }

        var lines = FunctionBody()
        // A line per equation and per contribution, and a comment per few: reserved once, the
        // text never grows by copying itself (at 10^6 ops, 100 MB copied into 200).
        let lineCount = staged.equations.count + 2 * gradient.contributions.count + 2 * staged.inputNodes.count + 4
        lines.reserveCapacity(lines: lineCount, bytes: 48 * lineCount)
        lines.append(.comment("forward pass"))
        // Where each equation's line is, for the backward pass's `from:` comments, which quote
        // it from the buffer; a stage whose definition differs from its text (a constant
        // converted to float64) keeps its text here instead. One entry per equation, in
        // equation order: keyed by node id (a NodeMap) it took 100 bytes per forward op.
        var equationLines: [FunctionBody.Excerpt?] = []
        equationLines.reserveCapacity(staged.equations.count)
        var equationTexts: [NodeID: String] = [:]
        var index = 0
        // Read through a copy: a method call on the mutating `self` inside the closure copied the
        // whole builder for every line.
        let builder = self
        staged.forEachForwardLine(emitter.dialect, names: names, outputName: plan.outputName) { line in
            defer { index += 1 }
            guard line.equation != nil else {
                lines.append(.define(name: line.name, expression: builder.valueExpression(line.expression, of: builder.staged.output)))
                return
            }
            // A stage that is itself a pinned constant (Symbolic stages `1/0` when the user
            // writes it) computes the pinned spelling instead of its op.
            let node = builder.staged.equations[index].node
            let expression = pinned[node] ?? line.expression
            let definition = builder.valueExpression(expression, of: node)
            let excerpt = lines.append(.define, name: line.name, expression: definition)
            if definition == expression {
                equationLines.append(excerpt)
            } else {
                equationLines.append(nil)
                equationTexts[node] = "\(line.name) = \(expression)"
            }
        }

        lines.append(.comment("backward pass"))
        let planner = HoistingPlanner(graph: graph)
        var assigned = NodeMap<Bool>()
        var currentSource: NodeID?
        // The comment naming the forward equation, written with the first line under it (a
        // deferred step writes none): quoted from the forward line in the buffer when it is there.
        var heading: (excerpt: FunctionBody.Excerpt?, text: String)?
        func writeHeading() {
            guard let pending = heading.take() else { return }
            if let excerpt = pending.excerpt {
                lines.appendComment("from: ", quoting: excerpt)
            } else {
                lines.append(.comment(pending.text))
            }
        }
        // Temporaries stay in scope for the rest of the body, so later lines reuse them.
        var temporaries = NodeMap<String>()
        var deferred: [NodeID: Printed] = [:]
        // The closure reads locals, not `self`: through the mutating `self` each call on
        // `gradient` copied the whole Gradient (a retain per field) for every step.
        let (gradient, graph, staged, printer, emitter, constants) = (gradient, graph, staged, printer, emitter, constants)
        var plan = self.plan
        gradient.forEachBackwardStep { step in
            guard step.form != .folded else { return }
            let c = step.contribution
            // The heading is written with the first line under it: a deferred step writes none.
            if c.source != currentSource, let name = staged.names[c.source] {
                heading = (staged.equationIndex(of: c.source).flatMap { equationLines[$0] },
                           "from: " + (equationTexts[c.source] ?? name))
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
                writeHeading()
                lines.append(.define(name: temporary, expression: printer.printed(node, names: local, literalRoot: true).text))
                temporaries[node] = temporary
            }
            let term = gradient.term(step, printer: printer, names: local, upstream: step.upstream.map { plan.adjointNames[$0] ?? "?" })
            assigned[c.target] = true
            guard let statement = gradient.statement(step, term: term, dialect: emitter.dialect, deferred: &deferred) else { return }
            writeHeading()
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
        self.plan = plan
        lines.append(contentsOf: finishedPartials(assigned: assigned))
        return lines
    }
}
