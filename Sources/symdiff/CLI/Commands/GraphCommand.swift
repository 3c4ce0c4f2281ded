import Codegen

/// `symdiff graph`: the computational graph for Graphviz.
enum GraphCommand: Subcommand {
    static let spec = CommandSpec(
        name: "graph",
        abstract: "Print the computational graph as Graphviz DOT.",
        usage: "symdiff graph EXPR [--at LIST] [--inputs FILE] [--dim LIST] [--upstream VALUE] [--backward]",
        discussion: """
            One node per staged equation, labelled with its operation; inputs and constants have
            their own shapes, and edges follow the data flow. With --at, every node also shows its
            value and its gradient; --backward adds the backward edges, dashed, labelled with
            each gate's local derivative. Pipe the output to 'dot -Tsvg' to draw it.

            In a program with arrays every node also shows its array's shape, and with values
            given (--at, --inputs, --dim, --upstream as for eval) the value and gradient of every
            array of at most 6 elements; a backward edge then shows the array it contributes.
            """,
        examples: [
            "symdiff graph '(x + y)z' --at x=1,y=3,z=2 --backward | dot -Tsvg > graph.svg",
        ],
        options: [
            OptionSpec("--at", value: "LIST", help: "Label nodes with their values and gradients at this point, e.g. x=1,y=3."),
            OptionSpec("--inputs", value: "FILE", help: "Label nodes with values at the point in this JSON object."),
            OptionSpec("--dim", value: "LIST", help: "Sizes of named dimensions, e.g. N=5,B=2."),
            OptionSpec("--upstream", value: "VALUE", help: "Upstream gradient of an array output, e.g. [1,-2] or @d.npy."),
            OptionSpec("--backward", help: "Include the backward pass."),
            OptionSpec("--no-rewrite", help: "Keep naive formulas as written (no stability rewrites such as log(softmax) -> log_softmax).")
        ]
    )

    static func validate(_ arguments: ParsedArguments) throws {
        try TensorPoint.validate(arguments)
    }

    static func run(_ arguments: ParsedArguments, _ input: ExpressionInput, _ io: IO) throws {
        let (gradient, values) = try Pipeline.gradientAndValues(arguments, input, io)
        let backward = arguments.flag("--backward")
        let drawing: DOTGraph
        switch values {
        case .scalars(let point): drawing = DOTGraph(gradient, at: point, backward: backward)
        case .none: drawing = DOTGraph(gradient, backward: backward)
        case .tensors(let tensors, let dimensions, let upstream):
            do {
                drawing = try DOTGraph(gradient, tensors: tensors, dimensions: dimensions, upstream: upstream, backward: backward)
            } catch {
                throw CLIError.input(error.description)
            }
        }
        let text = drawing.render()
        io.writeOutput(text.hasSuffix("\n") ? text : text + "\n")
    }
}
