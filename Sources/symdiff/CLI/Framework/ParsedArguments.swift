/// The result of matching an argument list against a `CommandSpec`: what a command's `run` reads.
///
/// Option values are keyed by canonical long name, so `--wrt x` is read as `value("--vars")`.
/// The typed accessors throw `CLIError.usage`, so a command never formats its own usage errors.
struct ParsedArguments: Sendable {
    let spec: CommandSpec
    /// Positional arguments in order; `-` (standard input) is kept as written.
    var positionals: [String] = []
    var values: [String: String] = [:]
    var flags: Set<String> = []
    /// Where the expression comes from; nil only for commands without an expression operand.
    var expressionSource: ExpressionSource?

    init(spec: CommandSpec) {
        self.spec = spec
    }

    // MARK: - Typed accessors

    /// The raw value of an option that takes one, or nil when it was not given.
    func value(_ long: String) -> String? {
        precondition(spec.option(named: long).takesValue, "'\(long)' is a flag; read it with flag(_:)")
        return values[long]
    }

    /// Whether a flag was given.
    func flag(_ long: String) -> Bool {
        precondition(!spec.option(named: long).takesValue, "'\(long)' takes a value; read it with value(_:)")
        return flags.contains(long)
    }

    /// A comma-separated value split into trimmed items, e.g. `--vars x,y,z`.
    ///
    /// Empty items are rejected rather than dropped, because `x,,y` is more likely a typo than
    /// a wish for two variables.
    func list(_ long: String) throws -> [String]? {
        guard let raw = value(long) else { return nil }
        let items = raw.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingWhitespace() }
        if items.contains(where: \.isEmpty) {
            throw CLIError.usage("option '\(long)' has an empty item in '\(raw)'")
        }
        return items
    }

    /// The value of an option restricted to `choices`, or nil when it was not given.
    func choice(_ long: String, among choices: [String]) throws -> String? {
        guard let raw = value(long) else { return nil }
        try Self.check(raw, for: long, among: choices)
        return raw
    }

    /// A real-valued option such as `--step -0.5`.
    func double(_ long: String) throws -> Double? {
        guard let raw = value(long) else { return nil }
        guard let number = Double(raw.trimmingWhitespace()), number.isFinite else {
            throw CLIError.usage("invalid value '\(raw)' for '\(long)': expected a number")
        }
        return number
    }

    /// A whole-number option such as `--points 20`.
    func integer(_ long: String) throws -> Int? {
        guard let raw = value(long) else { return nil }
        guard let number = Int(raw.trimmingWhitespace()) else {
            throw CLIError.usage("invalid value '\(raw)' for '\(long)': expected a whole number")
        }
        return number
    }

    /// Shared by `choice` and the parser's up-front check of `OptionSpec.choices`, so both word
    /// the error the same way.
    static func check(_ raw: String, for long: String, among choices: [String]) throws {
        guard !choices.contains(raw) else { return }
        throw CLIError.usage("invalid value '\(raw)' for '\(long)': expected \(Self.orList(choices))"
                             + Suggestion.hint(for: raw, among: choices))
    }

    /// `a, b or c`, with quotes, for listing allowed values.
    private static func orList(_ items: [String]) -> String {
        let quoted = items.map { "'\($0)'" }
        guard let last = quoted.last, quoted.count > 1 else { return quoted.first ?? "nothing" }
        return quoted.dropLast().joined(separator: ", ") + " or " + last
    }
}
