import Symbolic

/// `symdiff shape`: the worksheet's shape questions, answered with NumPy's rules.
enum ShapeCommand: Subcommand {
    static let spec = CommandSpec(
        name: "shape",
        abstract: "Answer shape questions: result shapes, NumPy's rules step by step, parameters.",
        usage: "symdiff shape EXPR [--dim LIST] [--format text|json]",
        discussion: """
            Declare the inputs' shapes (a: (4, 2); b: (2, 4, 1)) and write an expression: shape
            prints its result shape and, for an element-wise operator or @ between two arrays,
            NumPy's rule step by step (pad on the left with 1s, stretch the 1s; promote 1-D
            operands, contract, broadcast the batch axes). For a whole program it prints every
            statement's shape and the number of trainable parameters (the elements of the real
            inputs; labels declared int are not parameters). An impossible shape exits 1 with
            NumPy's reason, explained. --dim N=64 binds a named dimension. json gives
            {"shape": [...], "statements": [...], "parameters": N}.
            """,
        examples: [
            "symdiff shape 'a: (4, 2); b: (2, 4, 1); a + b'",
            "symdiff shape 'a: (3, 5, 4); b: (5, 4, 8); a @ b'",
            "symdiff shape 'x: (4,); W1: (6, 4); W2: (4, 6); h = relu(W1 @ x); sum((W2 @ h + x)^2)'",
        ],
        options: [
            OptionSpec("--dim", value: "LIST", help: "Sizes of named dimensions, e.g. N=64,B=2."),
            OptionSpec("--format", value: "FORMAT", choices: ["text", "json"], help: "Output format: text (default) or json."),
        ]
    )

    static func run(_ arguments: ParsedArguments, _ input: ExpressionInput, _ io: IO) throws {
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
            if report.lines.count > 1 {
                text += ", \"statements\": [" + report.lines.map { line in
                    "{\"name\": \(line.name.map(jsonString) ?? "null"), \"shape\": \(list(line.shape))}"
                }.joined(separator: ", ") + "]"
            }
            text += ", \"parameters\": \(report.parameterCount.map(String.init) ?? "null")}"
            io.print(text)
            return
        }
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
}
