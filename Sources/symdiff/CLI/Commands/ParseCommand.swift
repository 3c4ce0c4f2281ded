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
        if !arguments.flag("--print") {
            let size = dumpSize(program)
            guard size <= maxDumpSize else {
                throw CLIError.input("the syntax tree is too large to show (about \(size) characters, the limit is "
                                     + "\(maxDumpSize)); use 'symdiff parse --print', which prints the expression back")
            }
        }
        let text = arguments.flag("--print") ? program.printed() : program.dump()
        io.writeOutput(text.hasSuffix("\n") ? text : text + "\n")
    }

    /// The largest tree dump printed: a dump indents each node by its depth, so a 10^6-term sum
    /// (a 10^6-deep left spine) would be terabytes; it was building one in 17 GB of memory.
    static let maxDumpSize = 64 * 1024 * 1024

    /// Characters `Program.dump()` would write (saturating): per node, its indentation (two
    /// spaces per level) and about 40 for the label and range. Parents have larger indices
    /// than their children, so one descending pass gives every depth.
    static func dumpSize(_ program: Program) -> Int {
        var depth = [Int](repeating: 0, count: program.nodes.count)
        for statement in program.statements where program.nodes.indices.contains(statement.value.index) {
            depth[statement.value.index] = 2
        }
        var size = 0
        for index in program.nodes.indices.reversed() {
            for child in program.nodes[index].children where program.nodes.indices.contains(child.index) {
                depth[child.index] = Swift.max(depth[child.index], depth[index] + 1)
            }
            size = Swift.min(size + 2 * depth[index] + 40, Int.max / 2)
        }
        return size
    }
}
