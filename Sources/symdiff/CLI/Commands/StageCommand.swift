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
            OptionSpec("--no-rewrite", help: "Keep naive formulas as written (no stability rewrites such as log(softmax) -> log_softmax).")
        ]
    )

    static func run(_ arguments: ParsedArguments, _ input: ExpressionInput, _ io: IO) throws {
        let gradient = try Pipeline.gradient(arguments, input, io, expand: arguments.flag("--expand"))
        let dialect = InputLanguage(spaced: true)
        let forward = gradient.staged.forwardLines(dialect)
        // A tensor program's lines carry their shapes, as the staged form of a layer is read.
        let shaped = gradient.isTensorProgram
        func listing(_ lines: [StagedLine]) -> String { shaped ? lines.listingWithShapes : lines.listing }
        guard arguments.flag("--backward") else {
            if !forward.isEmpty { io.print(listing(forward)) }
            return
        }
        io.print("# forward pass")
        if !forward.isEmpty { io.print(listing(forward)) }
        let outputShape = gradient.graph.shapes[gradient.staged.output.int]
        if outputShape.rank > 0 {
            let seed = gradient.adjointNames[gradient.staged.output] ?? "d" + gradient.staged.outputName
            io.print("# backward pass (d<name> is the vector-Jacobian product with \(seed), the upstream gradient of shape \(outputShape))")
        } else {
            io.print("# backward pass (d<name> is d\(gradient.staged.outputName)/d<name>)")
        }
        let backward = gradient.backwardLines(dialect)
        if !backward.isEmpty { io.print(listing(backward)) }
        // What the backward ops of convolution and pooling compute, in the worksheet's words.
        for note in gradient.convolutionNotes { io.print("# " + note) }
    }
}
