/// `symdiff stats`: how much work each form of the gradient takes.
enum StatsCommand: Subcommand {
    static let spec = CommandSpec(
        name: "stats",
        abstract: "Count the operations of the forward pass, backward pass and closed-form gradient.",
        usage: "symdiff stats EXPR [--dim LIST]",
        discussion: """
            Prints operation counts per kind for the staged forward pass, the staged backward pass
            and the simplified closed-form gradient, to compare reverse mode with the formulas.

            In a program with arrays one op is one array operation, whatever its size, and flops
            are counted too: 2*m*k*n per (m, k) @ (k, n) product; one per element for element-wise
            ops, reductions and sum_to; 2n for dot, 2n + 1 for norm; 5 per element for softmax
            and log_softmax, 4 for logsumexp; 4 per logit plus 2 per row for cross_entropy;
            transposes, broadcasts, reshapes and indexing are free. A named dimension that --dim
            does not set stays a name in the count (12*N + 8).
            """,
        examples: [
            "symdiff stats 'ln(x)*sigmoid(sqrt(y))/sigmoid((x+y)^2)'",
            "symdiff stats 'X: (N, 3); W: (3, 4); b: (4,); y: int (N,); cross_entropy(X @ W + b, y)' --dim N=5",
        ],
        options: [
            OptionSpec("--dim", value: "LIST", help: "Sizes of named dimensions for the flop counts, e.g. N=5,B=2."),
            OptionSpec("--no-rewrite", help: "Keep naive formulas as written (no stability rewrites such as log(softmax) -> log_softmax).")
        ]
    )

    static func validate(_ arguments: ParsedArguments) throws {
        try TensorPoint.validate(arguments)
    }

}
