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
        throw CLIError.notImplemented(command: spec.name)
    }
}
