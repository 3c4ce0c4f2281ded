/// Everything symdiff knows about one subcommand before running it: its name, help text and
/// option table.
///
/// Help, argument parsing and typo suggestions all read this one value.
struct CommandSpec: Sendable {
    /// What the positional argument of a subcommand means.
    enum Operand: Sendable, Equatable {
        /// The expression, required unless `-f FILE` gives it; `-` reads standard input.
        case expression
        /// An optional subcommand name, as in `symdiff help stage`.
        case subcommandName
    }

    var name: String
    /// One line, used in the overview and at the top of the subcommand's help.
    var abstract: String
    /// The synopsis after `USAGE:`, written by hand because it shows which options go together.
    var usage: String
    /// Paragraphs shown in the subcommand's help, already wrapped to under 100 columns.
    var discussion: String
    /// Complete invocations, each a line a reader can paste.
    var examples: [String]
    var operand: Operand
    /// This command's own options followed by the common ones it does not redefine.
    var options: [OptionSpec]
    /// Sets of options (canonical long names) of which at most one may be given.
    var exclusiveGroups: [[String]]
    /// Options that stand in for the expression: given one, the expression may be left out
    /// (`shape --conv 32x32x3 ...` asks about a layer, not a program).
    var replacingExpression: [String] = []

    init(name: String, abstract: String, usage: String, discussion: String, examples: [String],
         operand: Operand = .expression, options: [OptionSpec], exclusiveGroups: [[String]] = []) {
        precondition(!examples.isEmpty, "every subcommand needs at least one example")
        self.name = name
        self.abstract = abstract
        self.usage = usage
        self.discussion = discussion
        self.examples = examples
        self.operand = operand
        // A command may redefine a common option (grad adds `--wrt` to `--vars`); its version wins.
        let common = operand == .expression ? CommonOptions.all : [CommonOptions.help]
        let own = Set(options.map(\.long))
        self.options = options + common.filter { !own.contains($0.long) }
        self.exclusiveGroups = exclusiveGroups
        let spellings = self.options.flatMap(\.spellings)
        precondition(Set(spellings).count == spellings.count, "'\(name)' spells two options the same way")
    }

    /// The option any spelling (long, synonym or short) selects.
    func option(spelled spelling: String) -> OptionSpec? {
        options.first { $0.spellings.contains(spelling) }
    }

    /// The option whose canonical name is `long`; asking for one not in the table is a programming error.
    func option(named long: String) -> OptionSpec {
        guard let option = options.first(where: { $0.long == long }) else {
            preconditionFailure("'\(name)' has no option '\(long)'")
        }
        return option
    }
}
