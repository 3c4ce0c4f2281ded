import Codegen
import Symbolic

/// `symdiff grad`: the partial derivatives as formulas.
enum GradCommand: Subcommand {
    static let spec = CommandSpec(
        name: "grad",
        abstract: "Print the closed-form partial derivatives of an expression.",
        usage: "symdiff grad EXPR [--wrt LIST] [--format text|json|latex] [--shared]",
        discussion: """
            Prints one simplified partial derivative per variable, in the order of --wrt (or
            --vars, its synonym), or in order of first use. json gives an object mapping each
            variable to its derivative; latex gives one \\frac{\\partial f}{\\partial x} line each.

            When the partials written out as trees would take more than about 1,000,000
            characters (a wide or deep program repeats its shared parts in every partial), and
            always with --shared, every subexpression used more than once, or too long to
            inline, is named once, as SymPy's cse does. A '#' line says so and why; lines
            't0 = ...', 't1 = ...' follow, each reading inputs and earlier t's only (t names
            the program uses are skipped); then the partials, reading them. The t lines and one
            partial's right-hand side form a program that computes that partial. json gives
            {"shared": {"t0": ..., ...}, "gradient": {...}}; latex a '%' line, then t_{0} = ...
            """,
        examples: [
            "symdiff grad 'ln(x)*sigmoid(sqrt(y))/sigmoid((x+y)^2)' --format json",
            "symdiff grad '(x + y)z' --wrt z,x",
            "symdiff grad 'sin(x*y)*cos(x*y)' --shared",
        ],
        options: [
            CommonOptions.vars.with(synonyms: ["--wrt"],
                                    help: "Differentiate with respect to these variables, e.g. x,y (default: all)."),
            OptionSpec("--format", value: "FORMAT", choices: ["text", "json", "latex"],
                       help: "Output format: text (default), json or latex."),
            OptionSpec("--shared", help: "Name shared subexpressions t0, t1, ... even when the trees are small."),
            OptionSpec("--no-rewrite", help: "Keep naive formulas as written (no stability rewrites such as log(softmax) -> log_softmax).")
        ]
    )

    /// Beyond about this many characters for all partials together (`Printer.treeSizes`), the
    /// partials print with shared subexpressions named once: a megabyte of formula is past
    /// reading, and trees grow quadratically with a program's width (840 MB for a 16,000-op
    /// network) or exponentially with its depth.
    static let maxTreeCharacters = 1_000_000

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
        let treeSize = Printer(gradient.graph, InputLanguage()).treeSizes(forms).reduce(0) { total, size in
            let (sum, overflow) = total.addingReportingOverflow(size)
            return overflow ? Int.max : sum
        }
        if arguments.flag("--shared") || treeSize > maxTreeCharacters {
            let size = treeSize >= Int.max / 4 ? "over 10^18" : "about \(NumberText.grouped(treeSize))"
            let reason = treeSize > maxTreeCharacters ? "closed forms too large to print as trees (\(size) characters)" : "--shared"
            printShared(forms, names, gradient, format: format, reason: reason, io)
            return
        }
        let printer = Printer(gradient.graph, InputLanguage())
        switch format {
        case "json":
            let texts = forms.map { printer.render($0) }
            let entries = zip(names, texts).map { "\(jsonString($0)): \(jsonString($1))" }
            io.print("{\"gradient\": {\(entries.joined(separator: ", "))}}")
        case "latex":
            for (name, form) in zip(names, forms) {
                io.print(latexPartialLine(output: f, variable: name, body: Printer(gradient.graph, LaTeXDialect()).render(form)))
            }
        default:
            for (name, form) in zip(names, forms) {
                io.print("d\(f)/d\(name) = \(printer.render(form))")
            }
        }
    }

    /// The partials with shared subexpressions named once (`Printer.renderShared`), in `format`.
    private static func printShared(_ forms: [NodeID], _ names: [String], _ gradient: Gradient,
                                    format: String, reason: String, _ io: IO) {
        // Temporaries avoid every name of the program, so the listing can sit next to it.
        let staged = gradient.staged
        let f = Pipeline.functionName(gradient)
        let reserved = Set(staged.inputs + staged.equations.map(\.name) + [staged.outputName, f])
        let shared = format == "latex"
            ? Printer(gradient.graph, LaTeXDialect()).renderShared(forms, reserved: reserved, spelling: LaTeXDialect.identifier)
            : Printer(gradient.graph, InputLanguage()).renderShared(forms, reserved: reserved)
        let definitions = shared.definitions.map(\.name)
        let named = switch definitions.count {
        case 0: "no shared subexpressions"
        case 1: "1 shared subexpression named \(definitions[0])"
        case 2: "2 shared subexpressions named \(definitions[0]), \(definitions[1])"
        default: "\(NumberText.grouped(definitions.count)) shared subexpressions named \(definitions[0]), \(definitions[1]), ..."
        }
        let heading = "\(reason): \(named) (like SymPy's cse)"
        // Hundreds of thousands of lines: written in blocks, not a write per line.
        var block = ""
        func line(_ text: String) {
            block += text
            block += "\n"
            if block.utf8.count >= 1 << 16 {
                io.writeOutput(block)
                block = ""
            }
        }
        switch format {
        case "json":
            line("{\"shared\": {" + shared.definitions.map { "\(jsonString($0.name)): \(jsonString($0.text))" }.joined(separator: ", ")
                 + "}, \"gradient\": {" + zip(names, shared.roots).map { "\(jsonString($0)): \(jsonString($1))" }.joined(separator: ", ")
                 + "}}")
        case "latex":
            line("% " + heading)
            for definition in shared.definitions { line("\(LaTeXDialect.identifier(definition.name)) = \(definition.text)") }
            for (name, text) in zip(names, shared.roots) { line(latexPartialLine(output: f, variable: name, body: text)) }
        default:
            line("# " + heading)
            for definition in shared.definitions { line("\(definition.name) = \(definition.text)") }
            for (name, text) in zip(names, shared.roots) { line("d\(f)/d\(name) = \(text)") }
        }
        if !block.isEmpty { io.writeOutput(block) }
    }
}
