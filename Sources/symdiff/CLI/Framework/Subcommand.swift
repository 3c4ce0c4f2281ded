/// One symdiff subcommand that works on an expression: its table entry and its body.
///
/// Plugging a command in means writing `run`; the framework has already parsed and checked the
/// arguments against `spec`, called `validate`, and read the expression from wherever it came.
protocol Subcommand {
    /// Name, help text and option table.
    static var spec: CommandSpec { get }

    /// Checks option values before any input is read, e.g. that `--points` is positive.
    /// Throw `CLIError.usage` for bad arguments. The default accepts everything.
    static func validate(_ arguments: ParsedArguments) throws

    /// Does the command's work: results through `io.print`, failures thrown as `CLIError`
    /// (`.input` or `.renderedDiagnostics` for bad input, `.usage` for bad option values).
    static func run(_ arguments: ParsedArguments, _ input: ExpressionInput, _ io: IO) throws
}

extension Subcommand {
    static func validate(_ arguments: ParsedArguments) throws {}
}

/// The subcommand table, in the order the overview lists them.
enum Subcommands {
    /// Every expression subcommand; `help` is handled by `HelpCommand` because it takes none.
    static var all: [any Subcommand.Type] {
        [ParseCommand.self, StageCommand.self, GradCommand.self, EmitCommand.self,
         EvalCommand.self, HessianCommand.self, GraphCommand.self, StatsCommand.self, CheckCommand.self, ShapeCommand.self]
    }

    /// The specs of all subcommands including `help`, for the overview and suggestions.
    static var allSpecs: [CommandSpec] {
        all.map { $0.spec } + [HelpCommand.spec]
    }

    static func named(_ name: String) -> (any Subcommand.Type)? {
        all.first { $0.spec.name == name }
    }
}
