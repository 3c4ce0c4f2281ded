/// `symdiff check`: the symbolic gradient against an independent numerical one.
enum CheckCommand: Subcommand {
    static let spec = CommandSpec(
        name: "check",
        abstract: "Compare the symbolic gradient with central finite differences.",
        usage: """
            symdiff check EXPR [--at LIST] [--inputs FILE] [--dim LIST] [--upstream VALUE]
                   symdiff check EXPR [--points N] [--seed S] [--dim LIST] [--upstream VALUE]
            """,
        discussion: """
            Evaluates the symbolic gradient and a central finite-difference estimate at one point
            (--at, --inputs) or at N seeded random points (--points, default 10, at most 1000000),
            prints the largest relative error, and fails with status 1 if it exceeds the tolerance.
            The tolerance is 1e-6 relative plus four times what the estimate moves when the step
            h = 1e-5 max(1, |x|) halves. Where that move is wide or the symbolic value is outside
            it, steps from h/2^20 to 16h are tried: a gradient is reported wrong only where four
            successive estimates settle (each move about a quarter of the last) away from it. Where
            none settle (a function too steep or oscillating for the step), the partial is
            inconclusive: not failed, shown as 'inconclusive' with the estimates and steps tried;
            a random point with one is replaced by another (at most N more), and when every point
            is inconclusive the last line starts with 'inconclusive:' (status 0).
            The point's values are given as for eval: constant expressions, array literals and
            @FILE.npy in --at, a JSON object in --inputs. --dim sets named dimensions (N=5);
            --upstream gives the upstream gradient of an array output.

            With arrays, each input is checked along a random direction v of its shape: <grad, v>
            against the central difference of f(x + h v), like JAX's check_grads. Only when that
            disagrees are the input's elements compared one by one (the worst is named) and the
            stages walked back from the output (the first whose adjoint is wrong is named).
            Random points draw real inputs in [-3, 3) with their declared shapes, named dimensions
            not set by --dim take the size 3, and labels are drawn in [0, K) for the K classes
            their use implies (0 or 1 when only arithmetic uses them). An array output is checked
            through sum(out * u), u being --upstream or random with entries in [-1, 1).

            --hessian checks the second derivatives (see 'symdiff help hessian') of a scalar
            output instead: every entry against central differences of the symbolic gradient,
            (grad f(x + h e_j) - grad f(x - h e_j)) / 2h at steps h and h/2, with the tolerance
            check uses (1e-6 relative plus what the estimate moves when the step halves), at the
            point given or at N random points (inputs in [-1.5, 1.5], named dimensions of size
            2), the full matrix's size rule applying. A point at a kink is reported, not failed.
            """,
        examples: [
            "symdiff check 'ln(x)*sigmoid(sqrt(y))/sigmoid((x+y)^2)' --points 100 --seed 42",
            "symdiff check 'x = ln(t); y = t^3/3; z = 2x + y' --at t=2",
            "symdiff check 'X: (N, 3); W: (3, 4); y: int (N,); cross_entropy(X @ W, y)' --dim N=5",
        ],
        options: [
            OptionSpec("--at", value: "LIST", help: "Check at this point only, e.g. x=1,y=2 or x=[1,2]."),
            OptionSpec("--inputs", value: "FILE", help: "Check at the point in this JSON object only."),
            OptionSpec("--points", value: "N", help: "Check at N random points, 1 to 1000000 (default: 10)."),
            OptionSpec("--seed", value: "S", help: "Seed for the random points, to reproduce a run."),
            OptionSpec("--dim", value: "LIST", help: "Sizes of named dimensions, e.g. N=5,B=2."),
            OptionSpec("--upstream", value: "VALUE", help: "Upstream gradient of an array output, e.g. [1,-2] or @d.npy."),
            OptionSpec("--hessian", help: "Check the Hessian instead: against central differences of the symbolic gradient."),
            OptionSpec("--no-rewrite", help: "Keep naive formulas as written (no stability rewrites such as log(softmax) -> log_softmax).")
        ],
        exclusiveGroups: [["--at", "--points"], ["--inputs", "--points"]]
    )

    /// The most points one check evaluates. Memory does not grow with N (points are checked one
    /// at a time), but time does: a million points of a small expression take seconds, and a
    /// billion would take hours for no better answer.
    static let maxPoints = 1_000_000

    static func validate(_ arguments: ParsedArguments) throws {
        try TensorPoint.validate(arguments)
        if let points = try arguments.integer("--points") {
            if points < 1 { throw CLIError.usage("invalid value '\(points)' for '--points': expected at least 1") }
            if points > maxPoints {
                throw CLIError.usage("invalid value '\(points)' for '--points': expected at most \(maxPoints)")
            }
        }
        _ = try arguments.integer("--seed")
    }

}
