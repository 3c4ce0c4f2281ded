import Symbolic

/// `eval` on a program with arrays: values and gradients printed as NumPy prints arrays, or as
/// nested JSON lists of exactly each input's shape.
extension EvalCommand {
    static func runTensors(_ arguments: ParsedArguments, _ gradient: Gradient, _ values: [Tensor],
                           _ dimensions: [String: Int], _ upstream: Tensor?, _ io: IO) throws {
        let result: TensorEvaluation
        do {
            result = try gradient.evaluate(tensors: values, dims: dimensions, upstream: upstream)
        } catch {
            throw CLIError.input(error.description)
        }
        let staged = gradient.staged
        let forward = staged.forwardLines(InputLanguage(spaced: true))
        for kink in result.kinks {
            let line = forward.first { $0.equation == kink.equation }.map { "\($0.name) = \($0.expression)" } ?? kink.equation
            io.printError("warning: '\(line)' is exactly at a kink or tie; using the convention \(kink.convention)")
        }
        for warning in result.matrixWarnings {
            let line = forward.first { $0.equation == warning.equation }.map { "\($0.name) = \($0.expression)" } ?? warning.equation
            io.printError("warning: '\(line)': \(warning.message)")
        }
        if let index = result.firstNonFinite {
            io.printError("warning: '\(forward[index].name) = \(forward[index].expression)' has a nan or infinite element at this point (the first stage that does)")
        }
        let outputShape = result.value.shape
        let differentiated = result.gradient.contains { $0 != nil }
        if outputShape.rank > 0 && upstream == nil && !staged.inputs.isEmpty {
            io.printError("note: the output is an array of shape \(outputShape); give --upstream VALUE (an array of that shape) for the vector-Jacobian product")
        }

        let f = Pipeline.functionName(gradient)
        let lr = try arguments.double("--step")
        var stepped: [(String, Tensor, Tensor, Tensor)] = []
        if let lr, differentiated {
            for (index, name) in staged.inputs.enumerated() {
                guard let g = result.gradient[index], let next = try? Tensor.zip(values[index], g, { $0 - lr * $1 }) else { continue }
                stepped.append((name, values[index], g, next))
            }
        }
        if try arguments.choice("--format", among: ["text", "json"]) == "json" {
            var text = "{\"value\": \(result.value.jsonText)"
            if differentiated {
                let entries = zip(staged.inputs, result.gradient).compactMap { name, g in g.map { "\(jsonString(name)): \($0.jsonText)" } }
                text += ", \"gradient\": {" + entries.joined(separator: ", ") + "}"
            }
            if !stepped.isEmpty {
                text += ", \"step\": {" + stepped.map { "\(jsonString($0.0)): \($0.3.jsonText)" }.joined(separator: ", ") + "}"
            }
            if arguments.flag("--trace") {
                let names = staged.equations.map(\.name)
                text += ", \"forward\": {" + zip(names, result.forward).map { "\(jsonString($0)): \($1.jsonText)" }.joined(separator: ", ") + "}"
                text += ", \"adjoints\": {" + zip(names, result.adjoints).compactMap { name, a in a.map { "\(jsonString(name)): \($0.jsonText)" } }.joined(separator: ", ") + "}"
            }
            io.print(text + "}")
            return
        }
        if arguments.flag("--trace") { trace(gradient, result, values, io) }
        io.print(labelled("\(f) = ", result.value))
        for (name, g) in zip(staged.inputs, result.gradient) {
            guard let g else { continue }
            io.print(labelled(upstream == nil ? "d\(f)/d\(name) = " : "d\(name) = ", g))
        }
        if let lr, !stepped.isEmpty {
            io.print("after one gradient-descent step of size \(NumberText.format(lr)):")
            for (name, _, _, next) in stepped { io.print(labelled("\(name) = ", next)) }
        }
    }

    /// `label` followed by the array as NumPy prints it, later lines indented under the first.
    static func labelled(_ label: String, _ value: Tensor) -> String {
        // A scalar prints in full, as NumPy prints a float64 and as scalar programs print.
        if let scalar = value.scalarValue { return label + NumberText.format(scalar) }
        let indent = String(repeating: " ", count: label.count)
        return label + value.formatted(leadingWidth: label.count).split(separator: "\n", omittingEmptySubsequences: false)
            .enumerated().map { $0.offset == 0 ? String($0.element) : ($0.element.isEmpty ? "" : indent + $0.element) }
            .joined(separator: "\n")
    }

    /// The forward and backward tables with arrays, each on one line and long ones elided.
    private static func trace(_ gradient: Gradient, _ result: TensorEvaluation, _ values: [Tensor], _ io: IO) {
        let staged = gradient.staged
        let dialect = InputLanguage(spaced: true)
        func cell(_ t: Tensor) -> String { t.formatted(multiline: false, threshold: 12) }
        io.print("forward pass")
        var rows = zip(staged.inputs, values).map { [$0.0, "(input)", gradient.graph.shapes[gradient.staged.inputNodes[staged.inputs.firstIndex(of: $0.0) ?? 0].int].description, "= \(cell($0.1))"] }
        for (line, value) in zip(staged.forwardLines(dialect), result.forward) {
            rows.append([line.name, "= \(line.expression)", line.shape.description, "= \(cell(value))"])
        }
        for line in alignedTable(rows) { io.print(line) }
        io.print("")
        io.print("backward pass (one row per edge, from the output back)")
        let backward = gradient.backwardLines(dialect)
        var table = [["gate", "input", "contribution", "gradient"]]
        let printer = Printer(gradient.graph, dialect)
        for (c, edge) in zip(gradient.contributions, result.edges) {
            let gate = "\(staged.names[c.source] ?? "?") = \(printer.render(c.source, names: staged.names, literalRoot: true))"
            let target = gradient.adjointNames[c.target] ?? "?"
            table.append([gate, staged.names[c.target] ?? "?", cell(edge.contribution), "\(target) = \(cell(edge.runningTotal))"])
        }
        if table.count > 1 {
            for line in alignedTable(table) { io.print(line) }
        }
        if !backward.isEmpty {
            io.print("")
            io.print("staged backward pass")
            io.print(backward.listingWithShapes)
        }
        io.print("")
    }
}
