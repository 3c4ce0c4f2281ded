import Symbolic

/// `symdiff shape`: the worksheet's shape questions, answered with NumPy's rules.
enum ShapeCommand: Subcommand {
    static let spec: CommandSpec = {
        var spec = CommandSpec(
        name: "shape",
        abstract: "Answer shape questions: result shapes, NumPy's rules step by step, parameters.",
        usage: """
            symdiff shape EXPR [--dim LIST] [--format text|json]
                   symdiff shape --conv SIZE --filter F --filters K [--stride S] [--pad P]
                   symdiff shape --pool SIZE --filter F [--stride S] [--pad P]
            """,
        discussion: """
            Declare the inputs' shapes (a: (4, 2); b: (2, 4, 1)) and write an expression: shape
            prints its result shape and, for an element-wise operator or @ between two arrays,
            NumPy's rule step by step (pad on the left with 1s, stretch the 1s; promote 1-D
            operands, contract, broadcast the batch axes). For a whole program it prints every
            statement's shape and the number of trainable parameters (the elements of the real
            inputs; labels declared int are not parameters). An impossible shape exits 1 with
            NumPy's reason, explained. --dim N=64 binds a named dimension. json gives
            {"shape": [...], "statements": [...], "parameters": N}. A program whose real inputs
            include a batch (an input with a named dimension, like x: (B, 1, 28, 28)) is a net:
            shape prints a table of its layers with each one's parameters (the inputs first used
            there) and the total, the batch being data, not parameters.

            Without an expression it answers a layer question: --conv SIZE with --filter F
            (F x F filters), --filters K, --stride S (default 1) and --pad P (default 0) prints the
            output size with its arithmetic (W - F + 2P)/S + 1 and the parameters K (F^2 C + 1),
            with and without biases; --pool SIZE (max-pool) or --avgpool SIZE with --filter F
            (the window; the stride defaults to it) prints the pooled size and 0 parameters. SIZE
            is H x W x C as the worksheets write it (32x32x3) or N x C x H x W (64x1x28x28). An
            output size that is not a whole number exits 1 with the arithmetic.
            """,
        examples: [
            "symdiff shape 'a: (4, 2); b: (2, 4, 1); a + b'",
            "symdiff shape 'a: (3, 5, 4); b: (5, 4, 8); a @ b'",
            "symdiff shape 'x: (4,); W1: (6, 4); W2: (4, 6); h = relu(W1 @ x); sum((W2 @ h + x)^2)'",
            "symdiff shape --conv 227x227x3 --filter 11 --filters 96 --stride 4",
            "symdiff shape --pool 55x55x96 --filter 3 --stride 2",
        ],
        options: [
            OptionSpec("--dim", value: "LIST", help: "Sizes of named dimensions, e.g. N=64,B=2."),
            OptionSpec("--format", value: "FORMAT", choices: ["text", "json"], help: "Output format: text (default) or json."),
            OptionSpec("--conv", value: "SIZE", help: "A convolution layer's input, HxWxC (32x32x3) or NxCxHxW (no expression)."),
            OptionSpec("--pool", value: "SIZE", help: "A max-pool layer's input, HxWxC or NxCxHxW (no expression)."),
            OptionSpec("--avgpool", value: "SIZE", help: "An average-pool layer's input, HxWxC or NxCxHxW (no expression)."),
            OptionSpec("--filter", value: "F", help: "Filter (or pooling window) size F, for F x F."),
            OptionSpec("--filters", value: "K", help: "Number of filters of a --conv layer."),
            OptionSpec("--stride", value: "S", help: "Stride (default 1 for --conv, F for pooling)."),
            OptionSpec("--pad", value: "P", help: "Zero padding on each side (default 0)."),
        ],
        exclusiveGroups: [["--conv", "--pool", "--avgpool"]]
        )
        spec.replacingExpression = ShapeCommand.layerOptions
        return spec
    }()

    static func run(_ arguments: ParsedArguments, _ input: ExpressionInput, _ io: IO) throws {
        if layerOptions.contains(where: { arguments.value($0) != nil }) { return try runLayer(arguments, input, io) }
        for option in ["--filter", "--filters", "--stride", "--pad"] where arguments.value(option) != nil {
            throw CLIError.usage("'\(option)' describes a layer: give it with --conv SIZE or --pool SIZE")
        }
        let program = try Pipeline.parse(input, io)
        let dimensions = try TensorPoint.read(arguments, io).dimensions
        let report: ShapeReport
        do {
            report = try ShapeReport(program: program, dimensions: dimensions)
        } catch let error as SymbolicError {
            throw Pipeline.translate(error, input)
        }
        if try arguments.choice("--format", among: ["text", "json"]) == "json" {
            func list(_ shape: TensorShape) -> String {
                "[" + shape.dimensions.map { $0.size.map(String.init) ?? jsonString($0.description) }.joined(separator: ", ") + "]"
            }
            var text = "{\"shape\": \(list(report.result))"
            let isNet = !report.layers.isEmpty
            if report.lines.count > 1 || isNet {
                text += ", \"statements\": [" + report.lines.enumerated().map { index, line in
                    let owned = isNet ? ", \"parameters\": " + layerCount(report.layers[index]).map(String.init).orNull : ""
                    return "{\"name\": \(line.name.map(jsonString) ?? "null"), \"shape\": \(list(line.shape))\(owned)}"
                }.joined(separator: ", ") + "]"
            }
            let total = isNet ? report.netParameterCount : report.parameterCount
            text += ", \"parameters\": \(total.map(String.init) ?? "null")}"
            io.print(text)
            return
        }
        if !report.layers.isEmpty { return printNet(report, io) }
        if report.lines.count == 1, !report.steps.isEmpty {
            io.print("\(report.lines[0].text): \(report.result)")
            for step in report.steps { io.print("  " + step) }
        } else {
            let rows = report.lines.map { line in [(line.name.map { "\($0) = " } ?? "") + line.text, "# \(line.shape)"] }
            for line in alignedTable(rows, indent: "") { io.print(line) }
            if !report.steps.isEmpty {
                io.print("the last operation, step by step:")
                for step in report.steps { io.print("  " + step) }
            }
        }
        // A one-operation shape question has operands, not parameters.
        guard !report.parameters.isEmpty, report.lines.count > 1 || report.steps.isEmpty else { return }
        let each = report.parameters.map { p in "\(p.name) \(p.shape): \(p.count.map(NumberText.grouped) ?? "unknown until its dimensions are bound")" }
        io.print("trainable parameters: \(report.parameterCount.map(NumberText.grouped) ?? "unknown") (\(each.joined(separator: "; ")))")
    }

    /// A net's layers: each statement's shape and the parameters it introduces, the total, and
    /// the data inputs (a named batch dimension) left out of it.
    private static func printNet(_ report: ShapeReport, _ io: IO) {
        var rows = [["layer", "shape", "parameters"]]
        for (line, owned) in zip(report.lines, report.layers) {
            var cell = layerCount(owned).map(NumberText.grouped) ?? "unknown"
            if !owned.isEmpty {
                cell += " (" + owned.map { "\($0.name) \($0.count.map(NumberText.grouped) ?? "unknown")" }.joined(separator: ", ") + ")"
            }
            rows.append([(line.name.map { "\($0) = " } ?? "") + line.text, line.shape.description, cell])
        }
        rows.append(["total", "", report.netParameterCount.map(NumberText.grouped) ?? "unknown until the dimensions are bound (--dim)"])
        for line in alignedTable(rows, indent: "") { io.print(line) }
        io.print("data, not parameters: " + report.dataInputs.map { "\($0.name) \($0.shape)" }.joined(separator: ", "))
    }

    /// The parameters one layer introduces, nil when a size is unknown.
    private static func layerCount(_ owned: [(name: String, count: Int?)]) -> Int? {
        owned.reduce(Optional(0)) { total, p in total.flatMap { t in p.count.map { t + $0 } } }
    }
}

private extension Optional where Wrapped == String {
    /// The JSON text of an optional value: the value, or null.
    var orNull: String { self ?? "null" }
}
