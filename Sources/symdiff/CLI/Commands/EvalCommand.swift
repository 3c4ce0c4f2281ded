/// `symdiff eval`: numbers at one point.
enum EvalCommand: Subcommand {
    static let spec = CommandSpec(
        name: "eval",
        abstract: "Evaluate an expression and its gradient at a point.",
        usage: "symdiff eval EXPR --at LIST [--format text|json] [--trace] [--step LR]",
        discussion: """
            Prints the value and every partial derivative at the point given by --at, whose values
            may themselves be constant expressions such as pi/2. A name in --at that the
            expression does not read is a variable with derivative 0 (a note says so). --trace
            adds the forward and backward tables, one row per staged equation; --step LR adds the
            point after one gradient-descent step, x - LR * df/dx.
            """,
        examples: [
            "symdiff eval '(x + y)z' --at x=1,y=3,z=2",
            "symdiff eval 'ln(x)*sigmoid(sqrt(y))/sigmoid((x+y)^2)' --at x=2,y=pi/2 --trace",
            "symdiff eval '(x - 3)^2' --at x=1 --step 0.1",
        ],
        options: [
            OptionSpec("--at", value: "LIST", required: true, help: "Values of the variables (required), e.g. x=1,y=pi/2."),
            OptionSpec("--format", value: "FORMAT", choices: ["text", "json"], help: "Output format: text (default) or json."),
            OptionSpec("--trace", help: "Also print the forward and backward tables."),
            OptionSpec("--step", value: "LR", help: "Also print one gradient-descent step with learning rate LR."),
        ]
    )

    static func validate(_ arguments: ParsedArguments) throws {
        _ = try arguments.value("--at").map(parseAssignments)
        _ = try arguments.double("--step")
    }

}
