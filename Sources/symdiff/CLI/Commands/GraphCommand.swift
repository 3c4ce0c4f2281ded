/// `symdiff graph`: the computational graph for Graphviz.
enum GraphCommand: Subcommand {
    static let spec = CommandSpec(
        name: "graph",
        abstract: "Print the computational graph as Graphviz DOT.",
        usage: "symdiff graph EXPR [--at LIST] [--backward]",
        discussion: """
            One node per distinct subexpression, labelled with its operation, and one edge per
            operand. With --at, nodes also show their values; --backward adds the adjoint nodes
            of the reverse pass. Pipe the output to 'dot -Tsvg' to draw it.
            """,
        examples: [
            "symdiff graph '(x + y)z' --at x=1,y=3,z=2 --backward | dot -Tsvg > graph.svg",
        ],
        options: [
            OptionSpec("--at", value: "LIST", help: "Label nodes with their values at this point, e.g. x=1,y=3."),
            OptionSpec("--backward", help: "Include the backward pass."),
        ]
    )

    static func validate(_ arguments: ParsedArguments) throws {
        _ = try arguments.value("--at").map(parseAssignments)
    }

    static func run(_ arguments: ParsedArguments, _ input: ExpressionInput, _ io: IO) throws {
        throw CLIError.notImplemented(command: spec.name)
    }
}
