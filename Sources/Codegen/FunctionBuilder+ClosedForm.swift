import ExprParse
import Symbolic

extension FunctionBuilder {
    /// The closed-form body: shared subexpressions as temporaries `t0, t1, ...` (see
    /// `HoistingPlanner`), the value, and each simplified partial derivative from
    /// `Gradient.closedForm()`.
    ///
    /// The value is brought to the same canonical form as the partials, so that what they
    /// share is the same node (the user's `sigmoid(sqrt(y))` and the partials'
    /// `sigmoid(y^(1/2))` would otherwise be computed twice).
    mutating func closedFormBody() -> FunctionBody { closedFormLines(alsoHoisting: []).lines }

    /// `closedFormBody`'s lines with `extra` roots (a Hessian's entries) hoisted alongside the
    /// value and the partials, so what they share is computed once; returns the lines and the
    /// names to print the extra roots with.
    mutating func closedFormLines(alsoHoisting extra: [NodeID]) -> (lines: FunctionBody, names: NodeMap<String>) {
        var simplifier = Simplifier(graph)
        let simplified = simplifier.simplify(staged.output)
        let output = simplifier.stopReason == .done ? simplified : staged.output
        let partials = gradient.closedForm()
        let roots = [output] + partials + extra
        let inputs = inputNames

        let hoisted = HoistingPlanner(graph: graph).hoisted(roots, named: { inputs[$0] }, shareRepeated: true,
                                                            repeatsArgument: emitter.repeatsArgument, maxInlineSize: 2_000)
        // The value, when shared, is defined under its own name where it first is needed.
        var names = inputs
        for node in hoisted { names[node] = node == output ? plan.outputName : plan.temporary() }
        let pinned = emitter.pinnedNames(graph, nodes: graph.reachable(from: roots), names: names)
        names = merged(names, pinned)

        var lines = FunctionBody()
        // A pinned node prints as its value, so what was hoisted only for it (the argument of a
        // constant `sign(atan(e))`, which Swift pins) is never read: Swift rejects unused lets.
        let read = Set(graph.reachable(from: roots) { pinned[$0] != nil })
        let definitions = hoisted.filter { pinned[$0] == nil && read.contains($0) }
        var section = ""
        for node in definitions {
            let heading = node == output ? "value" : "shared subexpressions"
            if heading != section { lines.append(.comment(heading)) }
            section = heading
            // Print the node's own op: without its name, the printer would just print the name.
            let name = names.removeValue(forKey: node) ?? "?"
            let text = printer.render(node, names: names)
            names[node] = name
            lines.append(.define(name: name, expression: node == output ? valueExpression(text, of: output) : text))
        }
        if !definitions.contains(output) {
            lines.append(.comment("value"))
            lines.append(.define(name: plan.outputName, expression: valueExpression(printer.render(output, names: names), of: output)))
        }

        lines.append(.comment("partial derivatives"))
        var assigned = NodeMap<Bool>()
        for (index, partial) in partials.enumerated() {
            let input = staged.inputNodes[index]
            // A zero is written by finishedPartials, in the shape the language gives it.
            if graph.isNumber(partial, .zero) { continue }
            let name = plan.adjointNames[input] ?? "?"
            lines.append(.define(name: name, expression: valueExpression(printer.printed(partial, names: names).text, of: partial)))
            assigned[input] = true
        }
        finishedPartials(assigned: assigned, into: &lines)
        return (lines, names)
    }
}
