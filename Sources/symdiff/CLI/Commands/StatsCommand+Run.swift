import Symbolic

extension StatsCommand {
    static func run(_ arguments: ParsedArguments, _ input: ExpressionInput, _ io: IO) throws {
        let gradient = try Pipeline.gradient(arguments, input, io)
        let dimensions = try TensorPoint.read(arguments, io).dimensions
        let tensors = gradient.isTensorProgram
        if !tensors && !dimensions.isEmpty {
            let names = dimensions.keys.sorted().map { "'\($0)'" }.joined(separator: ", ")
            throw CLIError.input("--dim sets \(names), but the program declares no shapes, so it has no named dimensions")
        }
        let counts = gradient.opCounts()
        var simplifier = Simplifier(gradient.graph)
        let forms = gradient.staged.inputNodes.indices.map { simplifier.simplify(gradient.derivative($0)) }
        let closed = gradient.closedFormCost(forms)
        let simplified = simplifier.stopReason == .done ? "" : " (\(simplifier.stopReason.explanation))"
        let ratio = counts.forward == 0 ? "n/a" : CFormat.string("%.2f", counts.ratio)
        let tree = closed.tree >= Int.max / 4 ? "over 10^18 (the tree grows exponentially)" : "\(closed.tree)"
        var rows = [
            ["inputs", "\(gradient.staged.inputs.count)"],
            // With arrays an op is a whole-array operation, whatever its size: say so.
            [tensors ? "forward ops (one per array operation)" : "forward ops", "\(counts.forward)"],
            ["backward ops (staged)", "\(counts.backward)"],
            ["(forward + backward) / forward", ratio],
            ["closed-form partials, each as a tree", tree + simplified],
            ["closed-form partials, shared subexpressions once", "\(closed.shared)"],
        ]
        if tensors {
            let flops = gradient.flopCounts(closedForms: forms, bindings: dimensions)
            var flopRatio = "n/a"
            if let forward = flops.forward.value, let backward = flops.backward.value, forward > 0 {
                flopRatio = CFormat.string("%.2f", Double(forward + backward) / Double(forward))
            } else if flops.forward.terms.count == 1, let (monomial, forward) = flops.forward.terms.first,
                      forward > 0, flops.backward.terms.keys.allSatisfy({ $0 == monomial }) {
                // Both proportional to the same sizes (46*N and 80*N): the ratio is a number.
                flopRatio = CFormat.string("%.2f", Double(forward + (flops.backward.terms[monomial] ?? 0)) / Double(forward))
            }
            rows += [
                ["forward flops", flops.forward.description],
                ["backward flops (staged)", flops.backward.description],
                ["(forward + backward) / forward flops", flopRatio],
                ["closed-form partials flops, shared subexpressions once", flops.closedForm.description],
            ]
        }
        for line in alignedTable(rows, indent: "") {
            io.print(line)
        }
    }
}
