import Symbolic

extension StatsCommand {
    static func run(_ arguments: ParsedArguments, _ input: ExpressionInput, _ io: IO) throws {
        let gradient = try Pipeline.gradient(arguments, input, io)
        let counts = gradient.opCounts()
        var simplifier = Simplifier(gradient.graph)
        let forms = gradient.staged.inputNodes.indices.map { simplifier.simplify(gradient.derivative($0)) }
        let closed = gradient.closedFormCost(forms)
        let simplified = simplifier.stopReason == .done ? "" : " (\(simplifier.stopReason.explanation))"
        let ratio = counts.forward == 0 ? "n/a" : String(format: "%.2f", counts.ratio)
        let tree = closed.tree >= Int.max / 4 ? "over 10^18 (the tree grows exponentially)" : "\(closed.tree)"
        for line in alignedTable([
            ["inputs", "\(gradient.staged.inputs.count)"],
            ["forward ops", "\(counts.forward)"],
            ["backward ops (staged)", "\(counts.backward)"],
            ["(forward + backward) / forward", ratio],
            ["closed-form partials, each as a tree", tree + simplified],
            ["closed-form partials, shared subexpressions once", "\(closed.shared)"],
        ], indent: "") {
            io.print(line)
        }
    }
}
