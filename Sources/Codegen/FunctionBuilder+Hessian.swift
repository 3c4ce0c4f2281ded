import ExprParse
import Symbolic

extension FunctionBuilder {
    /// The body of a value-gradient-Hessian function: the closed-form body (shared
    /// subexpressions once, the value, each partial) with the simplified Hessian entries among
    /// its roots, so a subexpression they share with the gradient (`sigmoid(x)`) is computed
    /// once; then the matrix, one line. Returns the body and the matrix's variable.
    mutating func hessianBody(_ entries: [[NodeID]], matrix: ([[String]]) -> String) -> (body: FunctionBody, name: String) {
        var simplifier = Simplifier(graph)
        let simplified = simplifier.simplify(staged.output)
        let output = simplifier.stopReason == .done ? simplified : staged.output
        let partials = gradient.closedForm()
        let flat = entries.flatMap { $0 }
        let roots = [output] + partials + flat
        let inputs = inputNames

        let hoisted = HoistingPlanner(graph: graph).hoisted(roots, named: { inputs[$0] }, shareRepeated: true,
                                                            repeatsArgument: emitter.repeatsArgument, maxInlineSize: 2_000)
        var names = inputs
        for node in hoisted { names[node] = node == output ? plan.outputName : plan.temporary() }
        let pinned = emitter.pinnedNames(graph, nodes: graph.reachable(from: roots), names: names)
        names = merged(names, pinned)

        var lines = FunctionBody()
        let read = Set(graph.reachable(from: roots) { pinned[$0] != nil })
        let definitions = hoisted.filter { pinned[$0] == nil && read.contains($0) }
        var section = ""
        for node in definitions {
            let heading = node == output ? "value" : "shared subexpressions"
            if heading != section { lines.append(.comment(heading)) }
            section = heading
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
            if graph.isNumber(partial, .zero) { continue }
            let name = plan.adjointNames[input] ?? "?"
            lines.append(.define(name: name, expression: valueExpression(printer.printed(partial, names: names).text, of: partial)))
            assigned[input] = true
        }
        lines.append(contentsOf: finishedPartials(assigned: assigned))
        lines.append(.comment("second partial derivatives, rows and columns in parameter order"))
        let name = plan.unique("hessian")
        let texts = entries.map { row in row.map { printer.printed($0, names: names).text } }
        lines.append(.define(name: name, expression: matrix(texts)))
        return (lines, name)
    }
}
