/// `symdiff hessian`: second derivatives, in closed form or at a point.
enum HessianCommand: Subcommand {
    static let spec = CommandSpec(
        name: "hessian",
        abstract: "Print the Hessian (second partial derivatives) of a scalar expression.",
        usage: """
            symdiff hessian EXPR [--wrt LIST] [--format text|json|latex] [--staged]
                                   [--at LIST] [--inputs FILE] [--dim LIST] [--direction LIST]
            """,
        discussion: """
            Differentiates the backward pass again (reverse over reverse). Without values, prints
            each simplified entry d2f/dxdy in the order of --wrt (or every input); json gives
            {"hessian": [[...]]} with rows and columns in that order, latex one \\frac line per
            entry. For inputs that are arrays, it prints each block (A + A.T for x @ A @ x) when
            the Hessian-vector product reads as a matrix times the direction, else the product
            H v itself over directions v (one input) or v_<name>. --staged prints the staged
            second-order program: each row's gradient entry and its second backward pass, or
            for arrays the program s = sum(df/dx * v) and its backward pass, which computes H v.
            With --at (or --inputs) it prints the value, the gradient and the Hessian as a
            matrix whose rows and columns are the inputs' elements in order, row-major; json
            gives {"value": v, "gradient": {...}, "hessian": [[...]]}. The full matrix is built
            for inputs of at most 128 elements in total; beyond, or with --direction x=[...],
            it prints the Hessian-vector product H v ("hvp" in json), one block per input,
            costing a small multiple of one gradient. Inputs --direction does not name get 0.
            """,
        examples: [
            "symdiff hessian 'x^2*y'",
            "symdiff hessian 'A: (2,2); x: (2,); x @ A @ x' --wrt x",
            "symdiff hessian 'x^2*y' --at x=3,y=2 --format json",
            "symdiff hessian 'W: (2,2); x: (2,); sum((W @ x)^2)' --at W=[[1,2],[3,4]],x=[1,-1] --direction x=[1,0]",
        ],
        options: [
            CommonOptions.vars.with(synonyms: ["--wrt"],
                                    help: "Rows and columns: these variables in this order, e.g. x,y (default: all)."),
            OptionSpec("--format", value: "FORMAT", choices: ["text", "json", "latex"],
                       help: "Output format: text (default), json or latex (closed forms only)."),
            OptionSpec("--staged", help: "Print the staged second-order program instead of the entries."),
            OptionSpec("--at", value: "LIST", help: "Values of the inputs, e.g. x=1,y=pi/2 or W=[[1,2],[3,4]]."),
            OptionSpec("--inputs", value: "FILE", help: "Values of the inputs from a JSON object."),
            OptionSpec("--dim", value: "LIST", help: "Sizes of named dimensions, e.g. N=5."),
            OptionSpec("--direction", value: "LIST", help: "A direction v per input, e.g. x=[1,0]: print H v instead of H."),
            OptionSpec("--no-rewrite", help: "Keep naive formulas as written (no stability rewrites such as log(softmax) -> log_softmax).")
        ]
    )

    static func validate(_ arguments: ParsedArguments) throws {
        try TensorPoint.validate(arguments)
    }
}
