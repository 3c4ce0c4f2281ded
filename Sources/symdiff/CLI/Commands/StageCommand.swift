import Symbolic

/// `symdiff stage`: the expression as a list of one-operation equations.
enum StageCommand: Subcommand {
    static let spec = CommandSpec(
        name: "stage",
        abstract: "Print the staged forward pass, one elementary operation per line.",
        usage: "symdiff stage EXPR [--expand] [--backward]",
        discussion: """
            Breaks EXPR into equations that each apply one operation to named inputs, ending with
            'out = ...'. --expand writes sigmoid, tanh and softplus in terms of exp, log and
            arithmetic; --backward appends the reverse pass that computes each input's adjoint.
            """,
        examples: [
            "symdiff stage 'x = ln(t); y = t^3/3; z = 2x + y' --backward",
            "symdiff stage 'sigmoid(x*y) + tanh(x)' --expand",
        ],
        options: [
            OptionSpec("--expand", help: "Decompose sigmoid, tanh and softplus into elementary operations."),
            OptionSpec("--backward", help: "Append the staged backward pass."),
        ]
    )

    static func run(_ arguments: ParsedArguments, _ input: ExpressionInput, _ io: IO) throws {
        let gradient = try Pipeline.gradient(arguments, input, io, expand: arguments.flag("--expand"))
        let dialect = InputLanguage(spaced: true)
        let forward = gradient.staged.forwardLines(dialect)
        guard arguments.flag("--backward") else {
            if !forward.isEmpty { io.print(forward.listing) }
            return
        }
        io.print("# forward pass")
        if !forward.isEmpty { io.print(forward.listing) }
        io.print("# backward pass (d<name> is d\(gradient.staged.outputName)/d<name>)")
        let backward = gradient.backwardLines(dialect)
        if !backward.isEmpty { io.print(backward.listing) }
    }
}
