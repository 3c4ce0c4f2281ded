import ExprParse
import Symbolic

extension EvalCommand {
    static func run(_ arguments: ParsedArguments, _ input: ExpressionInput, _ io: IO) throws {
        let (gradient, values) = try Pipeline.gradientAndValues(arguments, input, io)
        let at: [Double]?
        switch values {
        case .tensors(let tensors, let dimensions, let upstream):
            return try runTensors(arguments, gradient, tensors, dimensions, upstream, io)
        case .scalars(let point): at = point
        case .none:
            if gradient.isTensorProgram { throw CLIError.usage("missing option '--at LIST' (or --inputs FILE) for 'eval'") }
            at = nil
        }
        // A program without inputs needs no values; one with inputs and none given gets the
        // message the option table gave when --at was required.
        guard let point = at ?? (gradient.staged.inputs.isEmpty ? [] : nil) else {
            throw CLIError.usage("missing option '--at LIST' for 'eval'")
        }
        let result = gradient.evaluate(at: point)
        let staged = gradient.staged
        let dialect = InputLanguage(spaced: true)
        let forward = staged.forwardLines(dialect)

        for kink in result.kinks {
            let line = forward.first { $0.equation == kink.equation }.map { "\($0.name) = \($0.expression)" } ?? kink.equation
            io.printError("warning: '\(line)' is exactly at a kink; using the convention \(kink.convention)")
        }
        try Pipeline.refuseNaN(result, forward)
        if result.value.isInfinite {
            let culprit = result.firstNonFinite.map { " (equation '\(forward[$0].name) = \(forward[$0].expression)' is the first infinite one)" } ?? ""
            io.printError("warning: the value is \(NumberText.format(result.value)) at this point\(culprit)")
        }
        for (i, partial) in result.gradient.enumerated() where partial.isNaN {
            io.printError("warning: the derivative with respect to '\(staged.inputs[i])' is nan at this point")
        }

        let f = Pipeline.functionName(gradient)
        let lr = try arguments.double("--step")
        let stepped = lr.map { lr in zip(point, result.gradient).map { $0 - lr * $1 } }
        if try arguments.choice("--format", among: ["text", "json"]) == "json" {
            io.print(json(gradient, result, stepped, trace: arguments.flag("--trace")))
            return
        }
        if arguments.flag("--trace") { trace(gradient, result, point, io) }
        io.print("\(f) = \(NumberText.format(result.value))")
        for (name, partial) in zip(staged.inputs, result.gradient) { io.print("d\(f)/d\(name) = \(NumberText.format(partial))") }
        if let lr, let stepped {
            io.print("after one gradient-descent step of size \(NumberText.format(lr)):")
            for (i, name) in staged.inputs.enumerated() {
                io.print("\(name) = \(NumberText.format(point[i])) - \(NumberText.format(lr)) * \(NumberText.format(result.gradient[i])) = \(NumberText.format(stepped[i]))")
            }
        }
    }

    private static func json(_ gradient: Gradient, _ result: PointEvaluation, _ stepped: [Double]?, trace: Bool) -> String {
        let inputs = gradient.staged.inputs
        func object(_ values: [Double], _ names: [String]) -> String {
            "{" + zip(names, values).map { "\(jsonString($0)): \(NumberText.json($1))" }.joined(separator: ", ") + "}"
        }
        var text = "{\"value\": \(NumberText.json(result.value)), \"gradient\": \(object(result.gradient, inputs))"
        if let stepped { text += ", \"step\": \(object(stepped, inputs))" }
        if trace {
            let names = gradient.staged.equations.map(\.name)
            text += ", \"forward\": \(object(result.forward, names)), \"adjoints\": \(object(result.adjoints, names))"
        }
        return text + "}"
    }

    /// The worksheet's two tables: every staged equation with its value, then one row per edge
    /// of the backward pass with upstream gradient, local derivative and contribution, and the
    /// running sum where a value fans out to several uses.
    private static func trace(_ gradient: Gradient, _ result: PointEvaluation, _ point: [Double], _ io: IO) {
        let staged = gradient.staged
        let dialect = InputLanguage(spaced: true)
        io.print("forward pass")
        var rows = zip(staged.inputs, point).map { [$0.0, "(input)", "= \(NumberText.format($0.1))"] }
        for (line, value) in zip(staged.forwardLines(dialect), result.forward) {
            rows.append([line.name, "= \(line.expression)", "= \(NumberText.format(value))"])
        }
        if staged.outputAlias != nil {
            rows.append([staged.outputName, "= \(staged.forwardLines(dialect).last?.expression ?? "")", "= \(NumberText.format(result.value))"])
        }
        for line in alignedTable(rows) { io.print(line) }

        io.print("")
        io.print("backward pass (one row per edge, from the output back; d<name> = d\(staged.outputName)/d<name>)")
        let printer = Printer(gradient.graph, dialect)
        var table = [["gate", "input", "upstream", "local", "contribution", "gradient"]]
        var previous: [NodeID: Double] = [:]
        for (c, edge) in zip(gradient.contributions, result.edges) {
            let gate = "\(staged.names[c.source] ?? "?") = \(printer.render(c.source, names: staged.names, literalRoot: true))"
            let target = gradient.adjointNames[c.target] ?? "?"
            let total: String
            if c.accumulates, let before = previous[c.target] {
                let sign = edge.contribution < 0 ? "-" : "+"
                total = "\(target) = \(NumberText.format(before)) \(sign) \(NumberText.format(Swift.abs(edge.contribution))) = \(NumberText.format(edge.runningTotal))"
            } else {
                total = "\(target) = \(NumberText.format(edge.runningTotal))"
            }
            previous[c.target] = edge.runningTotal
            table.append([gate, staged.names[c.target] ?? "?", NumberText.format(edge.upstream), NumberText.format(edge.local),
                          NumberText.format(edge.contribution), total])
        }
        if table.count == 1 {
            io.print("  (no gates: the output is \(staged.inputNodes.contains(staged.output) ? "an input, so its own derivative is 1" : "a constant"))")
        } else {
            for line in alignedTable(table) { io.print(line) }
        }
        io.print("")
    }
}
