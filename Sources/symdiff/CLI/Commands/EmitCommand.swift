/// `symdiff emit`: source code for the value and gradient.
enum EmitCommand: Subcommand {
    static let spec = CommandSpec(
        name: "emit",
        abstract: "Generate NumPy or Swift code that computes an expression and its gradient.",
        usage: "symdiff emit EXPR --lang numpy|swift [--name NAME] [--vars LIST] [--closed-form] [--hessian] [-o FILE]",
        discussion: """
            Writes a function taking the variables (in --vars order) and returning the value and
            the gradient. By default the body is the staged forward and backward pass, one
            statement per equation; --closed-form returns the simplified partial derivatives.
            --hessian (programs without arrays) also returns the Hessian, rows and columns in
            parameter order: (value, partials..., hessian), hessian an (n, n) float64 array in
            NumPy (float inputs) and [[Double]] in Swift, the body in closed form.
            """,
        examples: [
            "symdiff emit 'sigmoid(x)' --lang numpy --name sigma",
            "symdiff emit 'ln(x)*sigmoid(sqrt(y))/sigmoid((x+y)^2)' --lang swift --vars x,y -o grad.swift",
        ],
        options: [
            OptionSpec("--lang", value: "LANG", choices: ["numpy", "swift"], required: true,
                       help: "Target language: numpy or swift."),
            OptionSpec("--name", value: "NAME", help: "Name of the generated function (default: f)."),
            OptionSpec("--closed-form", help: "Return the closed-form gradient instead of the staged backward pass."),
            OptionSpec("--hessian", help: "Also return the Hessian (programs without arrays)."),
            OptionSpec("--output", short: "-o", value: "FILE", help: "Write the code to FILE instead of standard output."),
            OptionSpec("--no-rewrite", help: "Keep naive formulas as written (no stability rewrites such as log(softmax) -> log_softmax).")
        ]
    )

    static func validate(_ arguments: ParsedArguments) throws {
        if let name = arguments.value("--name"), !isIdentifier(name) {
            throw CLIError.usage("invalid value '\(name)' for '--name': expected an identifier such as grad_f")
        }
    }

}
