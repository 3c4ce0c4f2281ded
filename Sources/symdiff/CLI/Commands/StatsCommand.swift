/// `symdiff stats`: how much work each form of the gradient takes.
enum StatsCommand: Subcommand {
    static let spec = CommandSpec(
        name: "stats",
        abstract: "Count the operations of the forward pass, backward pass and closed-form gradient.",
        usage: "symdiff stats EXPR",
        discussion: """
            Prints operation counts per kind for the staged forward pass, the staged backward pass
            and the simplified closed-form gradient, to compare reverse mode with the formulas.
            """,
        examples: [
            "symdiff stats 'ln(x)*sigmoid(sqrt(y))/sigmoid((x+y)^2)'",
        ],
        options: []
    )

}
