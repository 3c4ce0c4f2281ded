/// `symdiff eval`: numbers at one point.
enum EvalCommand: Subcommand {
    static let spec = CommandSpec(
        name: "eval",
        abstract: "Evaluate an expression and its gradient at a point.",
        usage: """
            symdiff eval EXPR [--at LIST] [--inputs FILE] [--random SEED] [--dim LIST]
                                [--upstream VALUE] [--format text|json] [--trace] [--step LR]
            """,
        discussion: """
            Prints the value and every partial derivative at the point given by --at and --inputs.
            A value in --at is a constant expression such as pi/2, an array literal such as
            [[0.1,0.5],[-0.3,0.8]], or @FILE, a NumPy .npy file of float64; --inputs reads a JSON
            object of numbers and nested lists, such as {"W": [[1, 2], [3, 4]], "y": 2}. Each input
            is given once; an array is for an input whose shape the program declares, as in
            x: (2,). --dim sets named dimensions (N=5); --upstream gives the upstream gradient of
            an array output. A program without inputs needs no values. A name given a value that
            the expression does not read is a variable with derivative 0 (a note says so). --trace
            adds the forward and backward tables, one row per staged equation; --step LR adds the
            point after one gradient-descent step, x - LR * df/dx. --random SEED draws the inputs
            --at and --inputs do not give: reals uniform in [-3, 3), labels in range where the
            program fixes their number of classes, named dimensions from --dim (3 when not set,
            with a note); it is the first point check --seed SEED visits.
            """,
        examples: [
            "symdiff eval '(x + y)z' --at x=1,y=3,z=2",
            "symdiff eval 'ln(x)*sigmoid(sqrt(y))/sigmoid((x+y)^2)' --at x=2,y=pi/2 --trace",
            "symdiff eval '(x - 3)^2' --at x=1 --step 0.1",
            "symdiff eval 'x: (B, 1, 8, 8); w: (4, 1, 3, 3); sum(maxpool2d(conv2d(x, w), 2))' --random 1 --dim B=2",
        ],
        options: [
            OptionSpec("--at", value: "LIST", help: "Values of the inputs, e.g. x=1,y=pi/2 or W=[[1,2],[3,4]],x=@x.npy."),
            OptionSpec("--inputs", value: "FILE", help: "Values of the inputs from a JSON object, e.g. {\"x\": [1, 2]}."),
            OptionSpec("--random", value: "SEED", help: "Draw the inputs not given at a seeded random point, e.g. 1."),
            OptionSpec("--dim", value: "LIST", help: "Sizes of named dimensions, e.g. N=5,B=2."),
            OptionSpec("--upstream", value: "VALUE", help: "Upstream gradient of an array output, e.g. [1,-2] or @d.npy."),
            OptionSpec("--format", value: "FORMAT", choices: ["text", "json"], help: "Output format: text (default) or json."),
            OptionSpec("--trace", help: "Also print the forward and backward tables."),
            OptionSpec("--step", value: "LR", help: "Also print one gradient-descent step with learning rate LR."),
            OptionSpec("--no-rewrite", help: "Keep naive formulas as written (no stability rewrites such as log(softmax) -> log_softmax).")
        ]
    )

    static func validate(_ arguments: ParsedArguments) throws {
        try TensorPoint.validate(arguments)
        _ = try arguments.double("--step")
    }

}
