/// Matches an argument list against a `CommandSpec`.
///
/// The rules, in the order a reader would need them:
/// - `--name VALUE` and `--name=VALUE` are the same; an option that takes a value consumes the
///   next argument whatever it looks like, so `--step -0.5` and `--at x=-1` work.
/// - `--` ends options: everything after it is positional, for expressions such as `-x^2`.
/// - A lone `-` is the positional meaning standard input.
/// - A single-dash word that is no known short option and does not start with a letter
///   (`-2*x`, `-(x+y)`) is positional, so negative expressions usually need no `--`.
/// - Giving a single-valued option twice is an error rather than last-wins, because the first
///   value silently vanishing is a worse surprise than a message. Repeated flags are harmless.
enum ArgumentParser {
    /// Parses `arguments` (everything after the subcommand name) and checks the table's
    /// requirements: expression present, required options given, exclusive options alone.
    ///
    /// When `--help` is given the requirements are skipped, so `symdiff emit --help` shows help
    /// instead of complaining that `--lang` is missing.
    static func parse(_ arguments: [String], for spec: CommandSpec) throws -> ParsedArguments {
        var parsed = try parseTokens(arguments, for: spec)
        if parsed.flags.contains(CommonOptions.help.long) { return parsed }
        try checkRequirements(&parsed)
        return parsed
    }

    // MARK: - Tokens

    private static func parseTokens(_ arguments: [String], for spec: CommandSpec) throws -> ParsedArguments {
        var parsed = ParsedArguments(spec: spec)
        // Spelling used for each value, so a repeat via a synonym can name both spellings.
        var spelledAs: [String: String] = [:]
        var index = 0
        var optionsEnded = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if optionsEnded || !looksLikeOption(argument, in: spec) {
                try addPositional(argument, to: &parsed)
                continue
            }
            if argument == "--" {
                optionsEnded = true
                continue
            }
            let (spelling, inlineValue) = split(argument)
            guard let option = spec.option(spelled: spelling) else {
                throw CLIError.usage(unknownOptionMessage(spelling, for: spec))
            }
            guard option.takesValue else {
                if inlineValue != nil { throw CLIError.usage("option '\(spelling)' does not take a value") }
                parsed.flags.insert(option.long)
                continue
            }
            let value: String
            if let inlineValue {
                value = inlineValue
            } else if index < arguments.count {
                value = arguments[index]
                index += 1
            } else {
                throw CLIError.usage("option '\(spelling)' needs a value")
            }
            if let earlier = spelledAs[option.long] {
                let also = earlier == spelling ? "" : " (also as '\(earlier)')"
                throw CLIError.usage("option '\(spelling)' given more than once\(also)")
            }
            if !option.choices.isEmpty {
                try ParsedArguments.check(value, for: option.long, among: option.choices)
            }
            spelledAs[option.long] = spelling
            parsed.values[option.long] = value
        }
        return parsed
    }

    /// Whether `argument` should be read as an option rather than a positional.
    private static func looksLikeOption(_ argument: String, in spec: CommandSpec) -> Bool {
        guard argument.hasPrefix("-"), argument != "-" else { return false }
        if argument.hasPrefix("--") { return true }
        if spec.option(spelled: argument) != nil { return true }
        // `-2*x` and `-(x+y)` are expressions; `-x` stays an option so a typo is not silently
        // parsed as an expression (the error suggests `--`).
        return argument.dropFirst().first.map(\.isLetter) ?? false
    }

    /// `--at=x=1` becomes (`--at`, `x=1`): only the first `=` separates, values may hold more.
    private static func split(_ argument: String) -> (spelling: String, inlineValue: String?) {
        guard argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") else { return (argument, nil) }
        return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }

    private static func addPositional(_ argument: String, to parsed: inout ParsedArguments) throws {
        // Every subcommand takes at most one positional: the expression, or a subcommand name.
        if let first = parsed.positionals.first {
            let isExpression = parsed.spec.operand == .expression
            throw CLIError.usage("unexpected argument '\(argument)' for '\(parsed.spec.name)': "
                                 + (isExpression ? "the expression is already '\(first)' (quote an expression that contains spaces)"
                                                 : "the subcommand is already '\(first)'"))
        }
        parsed.positionals.append(argument)
    }

    private static func unknownOptionMessage(_ spelling: String, for spec: CommandSpec) -> String {
        let message = "unknown option '\(spelling)' for '\(spec.name)'"
        let isShort = !spelling.hasPrefix("--")
        // A one-letter typo like `-x` is nearly always an expression, not a misspelled `-f`.
        let candidates = spec.options.flatMap { [$0.long] + $0.synonyms + (isShort ? [] : $0.short.map { [$0] } ?? []) }
        let hint = spelling.count > 2 ? Suggestion.hint(for: spelling, among: candidates) : ""
        if hint.isEmpty, isShort, spec.operand == .expression {
            return message + "; put '--' before an expression that starts with '-'"
        }
        return message + hint
    }

    // MARK: - Requirements

    private static func checkRequirements(_ parsed: inout ParsedArguments) throws {
        let spec = parsed.spec
        if spec.operand == .expression {
            parsed.expressionSource = try expressionSource(of: parsed)
        }
        for option in spec.options where option.isRequired && parsed.values[option.long] == nil {
            throw CLIError.usage("missing option '\(option.long) \(option.valueName ?? "")' for '\(spec.name)'")
        }
        for group in spec.exclusiveGroups {
            let given = group.filter { parsed.values[$0] != nil || parsed.flags.contains($0) }
            if given.count > 1 {
                let names = given.map { "'\($0)'" }.joined(separator: " and ")
                throw CLIError.usage("options \(names) cannot be used together")
            }
        }
    }

    private static func expressionSource(of parsed: ParsedArguments) throws -> ExpressionSource {
        let file = parsed.values[CommonOptions.file.long]
        switch (parsed.positionals.first, file) {
        case (nil, nil):
            throw CLIError.usage("missing expression: give it as an argument, with -f FILE, or - for standard input")
        case (.some(let positional), .some):
            throw CLIError.usage("the expression is given both as '\(positional)' and with --file; give only one")
        case (.some("-"), nil), (nil, .some("-")):
            return .standardInput
        case (.some(let text), nil):
            return .argument(text)
        case (nil, .some(let path)):
            return .file(path: path)
        }
    }
}
