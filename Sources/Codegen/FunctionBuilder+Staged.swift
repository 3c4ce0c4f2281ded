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
        var lines = FunctionBody()
        // A line per equation and per contribution, and a comment per few: reserved once, the
        // text never grows by copying itself (at 10^6 ops, 100 MB copied into 200).
        let lineCount = staged.equations.count + 2 * gradient.contributions.count + 2 * staged.inputNodes.count + 4
        lines.reserveCapacity(lines: lineCount, bytes: 48 * lineCount)
        stagedBody(into: &lines)
        return lines
    }

    /// Hands the staged body's lines to `lines` as they are made: `stagedBody` keeps them, an
    /// emitter's line writer formats each into the file at once (`CodeStream`), so that the
    /// body of a 10^6-op gradient (180 MB of text at mlp 524288) is never held whole.
    mutating func stagedBody(into lines: inout some BodyLineSink) {
        let partials = gradient.contributions.map(\.partial)
        let printed = graph.reachable(from: staged.equations.map(\.node) + [staged.output] + partials)
        let pinned = emitter.pinnedNames(graph, nodes: printed, names: plan.names)
        // A stage keeps its name even when pinned: only its definition uses the pin.
        let names = plan.names.merging(pinned) { name, _ in name }

        lines.append(.comment("forward pass"))
        // What the backward pass's `from:` comments quote of each equation (`b * a` of
        // `c = b * a`), kept as the forward lines go by; nothing else of the body is kept. At
        // mlp 524288 that is 13 MB of expressions and a 4-byte end per equation, of 183 MB
        // written; printing each line again for its comment instead cost 7% more instructions
        // (chain 32768: 4.76 G against 4.44 G), the printer taking 3,300 a line.
        var quoted = EquationTexts(reserving: staged.equations.count)
        var index = 0
        // Read through a copy: a method call on the mutating `self` inside the closure copied the
        // whole builder for every line.
        let builder = self
        staged.forEachForwardLine(emitter.dialect, names: names, outputName: plan.outputName) { line in
            defer { index += 1 }
            guard line.equation != nil else {
                lines.append(.define, name: line.name, expression: builder.valueExpression(line.expression, of: builder.staged.output))
                return
            }
            // A stage that is itself a pinned constant (Symbolic stages `1/0` when the user
            // writes it) computes the pinned spelling instead of its op; the comment quotes it
            // without the conversion of a constant to float64.
            let node = builder.staged.equations[index].node
            let expression = pinned[node] ?? line.expression
            lines.append(.define, name: line.name, expression: builder.valueExpression(expression, of: node))
            quoted.append(expression)
        }

        lines.append(.comment("backward pass"))
        // The closures read locals, not `self`: through the mutating `self` each call on
        // `gradient` copied the whole Gradient (a retain per field) for every step.
        let (gradient, graph, staged, printer, emitter, constants) = (gradient, graph, staged, printer, emitter, constants)
        let planner = HoistingPlanner(graph: graph)
        var assigned = NodeMap<Bool>()
        var currentSource: NodeID?
        // The comment naming the forward equation (`from: c = b * a`), written with the first
        // line under it (a deferred step writes none).
        var heading: NodeID?
        func writeHeading() {
            guard let source = heading.take() else { return }
            guard let index = staged.equationIndex(of: source) else {
                lines.append(.comment, name: "", expression: "from: " + (staged.names[source] ?? "?"))
                return
            }
            quoted.withText(index) { lines.appendComment("from: ", quoting: names[source] ?? staged.equations[index].name, $0) }
        }
        // Temporaries stay in scope for the rest of the body, so later lines reuse them.
        var temporaries = NodeMap<String>()
        var deferred: [NodeID: Printed] = [:]
        var plan = self.plan
        gradient.forEachBackwardStep { step in
            guard step.form != .folded else { return }
            let c = step.contribution
            // The heading is written with the first line under it: a deferred step writes none.
            if c.source != currentSource, staged.names[c.source] != nil { heading = c.source }
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
                lines.append(.define, name: temporary, expression: printer.printed(node, names: local, literalRoot: true).text)
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
                lines.append(.define, name: target, expression: constant ? emitter.constantValue(expression.text) : expression.text)
            // Grouped, as NumPy writes `d = d + (1 - h * h)`.
            case .accumulate(let expression):
                lines.append(.accumulate, name: target, expression: emitter.dialect.wrap(expression, below: Printed.Level.product))
            case .subtract(let expression):
                lines.append(.decrement, name: target, expression: emitter.dialect.wrap(expression, below: Printed.Level.product))
            }
        }
        self.plan = plan
        finishedPartials(assigned: assigned, into: &lines)
    }

    /// The adjoint names the staged body accumulates into (`+=`, `-=`), known before its first
    /// line from the backward steps' forms, with no term printed: Swift declares these `var` and
    /// every other name `let`, so it needs them before the body is written line by line.
    func accumulatedNames() -> Set<String> {
        var names = Set<String>()
        gradient.forEachBackwardStep { step in
            switch step.form {
            case .accumulate, .subtract: names.insert(plan.adjointNames[step.contribution.target] ?? "?")
            case .define, .defineNegated, .deferred, .defineAfterDeferred, .folded: break
            }
        }
        return names
    }
}

/// Texts kept one per equation, in equation order: their bytes back to back and where each
/// ends (4 bytes an equation, not a String of 16 and a heap block).
struct EquationTexts {
    private var bytes: [UInt8] = []
    private var ends: [UInt32] = []

    /// Room for `count` texts of a typical one-op length, so that the bytes rarely grow by
    /// copying; room never written costs address space, not memory.
    init(reserving count: Int) {
        ends.reserveCapacity(count)
        bytes.reserveCapacity(16 * count)
    }

    /// Adds `text` as the next equation's. Texts of 4 GB in all cannot arise: inputs are
    /// limited to far less (`Limits`).
    mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
        ends.append(UInt32(truncatingIfNeeded: bytes.count))
    }

    /// Calls `body` with the text of equation `index` as UTF-8, valid only during the call.
    func withText<R>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let start = index == 0 ? 0 : Int(ends[index - 1]), end = Int(ends[index])
        return bytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[start ..< end])) }
    }
}
