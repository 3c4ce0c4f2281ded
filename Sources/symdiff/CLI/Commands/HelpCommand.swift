/// `symdiff help [SUBCOMMAND]`: the overview, or one subcommand's help, on stdout.
///
/// Not a `Subcommand` because it takes no expression; `SymdiffCLI` calls it directly.
enum HelpCommand {
    static let spec = CommandSpec(
        name: "help",
        abstract: "Show the overview, or the usage and options of one subcommand.",
        usage: "symdiff help [SUBCOMMAND]",
        discussion: """
            Without SUBCOMMAND, lists every subcommand. With one, shows its usage, options and
            examples; 'symdiff SUBCOMMAND --help' shows the same.
            """,
        examples: ["symdiff help eval"],
        operand: .subcommandName,
        options: []
    )

    static func run(_ arguments: [String], io: IO, context: inout SymdiffCLI.Context) throws -> ExitStatus {
        let parsed = try ArgumentParser.parse(arguments, for: spec)
        guard let name = parsed.positionals.first else {
            io.writeOutput(parsed.flags.contains(CommonOptions.help.long) ? HelpText.help(for: spec) : HelpText.overview())
            return .success
        }
        guard let target = Subcommands.allSpecs.first(where: { $0.name == name }) else {
            // The overview, not help's own help, is where the list of names is.
            context.subcommand = nil
            throw CLIError.usage("unknown subcommand '\(name)'"
                                 + Suggestion.hint(for: name, among: Subcommands.allSpecs.map(\.name)))
        }
        io.writeOutput(HelpText.help(for: target))
        return .success
    }
}
