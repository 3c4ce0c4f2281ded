import Codegen

/// `symdiff graph`: the computational graph for Graphviz.
enum GraphCommand: Subcommand {
    static let spec = CommandSpec(
        name: "graph",
        abstract: "Print the computational graph as Graphviz DOT.",
        usage: "symdiff graph EXPR [--at LIST] [--backward]",
        discussion: """
            One node per staged equation, labelled with its operation; inputs and constants have
            their own shapes, and edges follow the data flow. With --at, every node also shows its
            value and its gradient; --backward adds the backward edges, dashed, labelled with
            each gate's local derivative. Pipe the output to 'dot -Tsvg' to draw it.
            """,
        examples: [
            "symdiff graph '(x + y)z' --at x=1,y=3,z=2 --backward | dot -Tsvg > graph.svg",
        ],
        options: [
            OptionSpec("--at", value: "LIST", help: "Label nodes with their values and gradients at this point, e.g. x=1,y=3."),
            OptionSpec("--backward", help: "Include the backward pass."),
        ]
    )

    static func validate(_ arguments: ParsedArguments) throws {
        _ = try arguments.value("--at").map(parseAssignments)
    }

    static func run(_ arguments: ParsedArguments, _ input: ExpressionInput, _ io: IO) throws {
        let (gradient, point) = try Pipeline.gradientAndPoint(arguments, input, io)
        let text = DOTGraph(gradient, at: point, backward: arguments.flag("--backward")).render()
        io.writeOutput(text.hasSuffix("\n") ? text : text + "\n")
    }
}
