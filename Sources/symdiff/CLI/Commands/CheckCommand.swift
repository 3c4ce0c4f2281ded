/// `symdiff check`: the symbolic gradient against an independent numerical one.
enum CheckCommand: Subcommand {
    static let spec = CommandSpec(
        name: "check",
        abstract: "Compare the symbolic gradient with central finite differences.",
        usage: "symdiff check EXPR [--at LIST | --points N] [--seed S]",
        discussion: """
            Evaluates the symbolic gradient and a central finite-difference estimate at one point
            (--at) or at N seeded random points (--points, default 10, at most 1000000), prints
            the largest relative error, and fails with status 1 if it exceeds the tolerance.
            """,
        examples: [
            "symdiff check 'ln(x)*sigmoid(sqrt(y))/sigmoid((x+y)^2)' --points 100 --seed 42",
            "symdiff check 'x = ln(t); y = t^3/3; z = 2x + y' --at t=2",
        ],
        options: [
            OptionSpec("--at", value: "LIST", help: "Check at this point only, e.g. x=1,y=2."),
            OptionSpec("--points", value: "N", help: "Check at N random points, 1 to 1000000 (default: 10)."),
            OptionSpec("--seed", value: "S", help: "Seed for the random points, to reproduce a run."),
        ],
        exclusiveGroups: [["--at", "--points"]]
    )

    /// The most points one check evaluates. Memory does not grow with N (points are checked one
    /// at a time), but time does: a million points of a small expression take seconds, and a
    /// billion would take hours for no better answer.
    static let maxPoints = 1_000_000

    static func validate(_ arguments: ParsedArguments) throws {
        _ = try arguments.value("--at").map(parseAssignments)
        if let points = try arguments.integer("--points") {
            if points < 1 { throw CLIError.usage("invalid value '\(points)' for '--points': expected at least 1") }
            if points > maxPoints {
                throw CLIError.usage("invalid value '\(points)' for '--points': expected at most \(maxPoints)")
            }
        }
        _ = try arguments.integer("--seed")
    }

}
