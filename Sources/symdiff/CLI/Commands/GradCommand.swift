import Codegen
import Symbolic

/// `symdiff grad`: the partial derivatives as formulas.
enum GradCommand: Subcommand {
    static let spec = CommandSpec(
        name: "grad",
        abstract: "Print the closed-form partial derivatives of an expression.",
        usage: "symdiff grad EXPR [--wrt LIST] [--format text|json|latex]",
        discussion: """
            Prints one simplified partial derivative per variable, in the order of --wrt (or
            --vars, its synonym), or in order of first use. json gives an object mapping each
            variable to its derivative; latex gives one \\frac{\\partial f}{\\partial x} line each.
            """,
        examples: [
            "symdiff grad 'ln(x)*sigmoid(sqrt(y))/sigmoid((x+y)^2)' --format json",
            "symdiff grad '(x + y)z' --wrt z,x",
        ],
        options: [
            CommonOptions.vars.with(synonyms: ["--wrt"],
                                    help: "Differentiate with respect to these variables, e.g. x,y (default: all)."),
            OptionSpec("--format", value: "FORMAT", choices: ["text", "json", "latex"],
                       help: "Output format: text (default), json or latex."),
        ]
    )

    static func run(_ arguments: ParsedArguments, _ input: ExpressionInput, _ io: IO) throws {
        let gradient = try Pipeline.gradient(arguments, input, io)
        let format = try arguments.choice("--format", among: ["text", "json", "latex"]) ?? "text"
        let variables = try Pipeline.reported(arguments, gradient)
        var simplifier = Simplifier(gradient.graph)
        let forms = variables.map { simplifier.simplify(gradient.derivative($0)) }
        if simplifier.stopReason != .done {
            io.printError("warning: the derivatives were \(simplifier.stopReason.explanation)")
        }
        let names = variables.map { gradient.staged.inputs[$0] }
        if names.isEmpty {
            io.printError("note: the expression has no inputs, so there is nothing to differentiate (name variables with --wrt to get their zero derivatives)")
        }
        let f = Pipeline.functionName(gradient)
        switch format {
        case "json":
            let texts = try forms.map { try text($0, gradient, InputLanguage()) }
            let entries = zip(names, texts).map { "\(jsonString($0)): \(jsonString($1))" }
            io.print("{\"gradient\": {\(entries.joined(separator: ", "))}}")
        case "latex":
            for (name, form) in zip(names, forms) {
                io.print(latexPartialLine(output: f, variable: name, body: try text(form, gradient, LaTeXDialect())))
            }
        default:
            for (name, form) in zip(names, forms) { io.print("d\(f)/d\(name) = \(try text(form, gradient, InputLanguage()))") }
        }
    }

    /// Largest closed form printed in full; a DAG with much sharing can expand exponentially as
    /// text, so beyond this the user is pointed at `emit --closed-form`, which shares.
    static let maxCharacters = 4_000_000

    private static func text<D: Dialect>(_ node: NodeID, _ gradient: Gradient, _ dialect: D) throws -> String {
        let printer = Printer(gradient.graph, dialect)
        let size = printer.expandedSize(node)
        guard size <= maxCharacters else {
            throw CLIError.input("a derivative is too large to print as one formula (about \(size) characters); "
                                 + "use 'symdiff emit --closed-form', which computes shared subexpressions once")
        }
        return printer.render(node)
    }
}
