/// One command-line option: its spellings, whether it takes a value, and its help line.
///
/// Options are data so that parsing, suggestions for typos and help text all come from the
/// same table and cannot drift apart.
struct OptionSpec: Sendable, Hashable {
    /// The canonical spelling, e.g. `--at`; parsed values are stored under this name.
    var long: String
    /// A one-letter spelling such as `-f`.
    var short: String?
    /// The placeholder shown in help, e.g. `LIST`. Its presence means the option takes a value.
    var valueName: String?
    /// Other long spellings accepted for the same option, e.g. `--wrt` for `--vars`.
    var synonyms: [String]
    /// Allowed values, checked before the command runs; empty means any value.
    var choices: [String]
    /// Whether the command cannot run without this option (e.g. `emit --lang`).
    var isRequired: Bool
    var help: String

    init(_ long: String, short: String? = nil, value valueName: String? = nil, synonyms: [String] = [],
         choices: [String] = [], required isRequired: Bool = false, help: String) {
        self.long = long
        self.short = short
        self.valueName = valueName
        self.synonyms = synonyms
        self.choices = choices
        self.isRequired = isRequired
        self.help = help
    }

    var takesValue: Bool { valueName != nil }

    /// Whether the value is a comma-separated list (`--at x=1,y=2`, `--vars x,y`): the `LIST`
    /// placeholder in help says so, and a value split by spaces gets a message that shows the commas.
    var isCommaList: Bool { valueName == "LIST" }

    /// Every spelling that selects this option, canonical first.
    var spellings: [String] { [long] + synonyms + (short.map { [$0] } ?? []) }

    /// The left column of the help table, e.g. `-f, --file FILE` or `--vars, --wrt LIST`.
    var helpLabel: String {
        let names = (short.map { [$0] } ?? []) + [long] + synonyms
        return names.joined(separator: ", ") + (valueName.map { " " + $0 } ?? "")
    }

    /// A copy with other synonyms and help, for a command that names a shared option its own way.
    func with(synonyms: [String], help: String) -> OptionSpec {
        var copy = self
        copy.synonyms = synonyms
        copy.help = help
        return copy
    }
}
