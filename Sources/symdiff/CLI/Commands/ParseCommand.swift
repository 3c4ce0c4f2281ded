import ExprParse

/// `symdiff parse`: shows how an expression was read.
enum ParseCommand: Subcommand {
    static let spec = CommandSpec(
        name: "parse",
        abstract: "Print the syntax tree of an expression, with source ranges.",
        usage: "symdiff parse EXPR [--print]",
        discussion: """
            Shows how symdiff reads EXPR: one node per line, indented by depth, each with its
            source range as @line:col-line:col. With --print, prints the expression back instead,
            with only the parentheses its meaning needs, to check precedence at a glance.
            """,
        examples: [
            "symdiff parse 'x = ln(t); y = t^3/3; z = 2x + y'",
            "symdiff parse '(x + y)z' --print",
        ],
        options: [
            OptionSpec("--print", help: "Print the expression back with minimal parentheses instead of the tree."),
        ]
    )

    static func run(_ arguments: ParsedArguments, _ input: ExpressionInput, _ io: IO) throws {
        let program = try Pipeline.parse(input, io)
        let text = arguments.flag("--print") ? program.printed() : program.dump()
        io.writeOutput(text.hasSuffix("\n") ? text : text + "\n")
    }
}
