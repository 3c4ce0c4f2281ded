/// Matches an argument list against a `CommandSpec`.
///
/// The rules, in the order a reader would need them:
/// - `--name VALUE` and `--name=VALUE` are the same; an option that takes a value consumes the
///   next argument whatever it looks like, so `--step -0.5` and `--at x=-1` work.
/// - The expression may start with `-`: until the expression is given, a word starting with a
///   single `-` that is no known short option (`-f`, `-h`, `-o`) is the expression (`-x`,
///   `-log(p)`, `-(a+b)`), unless it is a long option typed with one dash (`-at`, `-fromat`).
/// - `--` makes the next argument the expression whatever it looks like (`-- -f`); options
///   after it are read as usual, so `symdiff eval -- -x --at x=1` works.
/// - A lone `-` is the positional meaning standard input.
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
        // Where each positional and each comma-list value was, for messages that say what to type.
        var layout = Layout(arguments: arguments)
        var index = 0
        var nextIsPositional = false
        while index < arguments.count {
            let argument = arguments[index]
            let position = index
            index += 1
            if nextIsPositional || !isOption(argument, in: spec, expressionGiven: !parsed.positionals.isEmpty) {
                nextIsPositional = false
                parsed.positionals.append(argument)
                layout.positionals.append(position)
                continue
            }
            if argument == "--" {
                nextIsPositional = true
                continue
            }
            let (spelling, inlineValue) = split(argument)
            guard let option = spec.option(spelled: spelling) else {
                throw CLIError.usage(unknownOptionMessage(spelling, at: position, for: spec, layout))
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
            if option.isCommaList { layout.lists[index - 1] = (spelling, value) }
            spelledAs[option.long] = spelling
            parsed.values[option.long] = value
        }
        // Every subcommand takes at most one positional: the expression, or a subcommand name.
        if parsed.positionals.count > 1 {
            throw CLIError.usage(extraArgumentMessage(parsed, layout))
        }
        return parsed
    }

    /// Whether `argument` should be read as an option rather than a positional.
    private static func isOption(_ argument: String, in spec: CommandSpec, expressionGiven: Bool) -> Bool {
        guard argument.hasPrefix("-"), argument != "-" else { return false }
        if argument.hasPrefix("--") || spec.option(spelled: argument) != nil { return true }
        let startsWithLetter = argument.dropFirst().first.map(\.isLetter) ?? false
        guard spec.operand == .expression, !expressionGiven else {
            // `-2*x` after the expression is a stray piece of it; `-y` a mistyped option.
            return startsWithLetter
        }
        return startsWithLetter && isLongOptionWithOneDash(argument, in: spec)
    }

    /// `-at`, or `-fromat` (a word of four letters or more one edit from a long option): an
    /// option typed with one dash, not an expression, so the error can suggest the option.
    private static func isLongOptionWithOneDash(_ argument: String, in spec: CommandSpec) -> Bool {
        let long = "-" + argument
        let spellings = spec.options.flatMap { [$0.long] + $0.synonyms }
        if spellings.contains(long) { return true }
        guard argument.count > 4, argument.dropFirst().allSatisfy({ $0.isLetter || $0 == "-" }) else { return false }
        return spellings.contains { Suggestion.editDistance(long, $0) <= 1 }
    }

    /// `--at=x=1` becomes (`--at`, `x=1`): only the first `=` separates, values may hold more.
    private static func split(_ argument: String) -> (spelling: String, inlineValue: String?) {
        guard argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") else { return (argument, nil) }
        return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }

    // MARK: - Messages that say what to type

    /// Where things were in the argument list.
    private struct Layout {
        let arguments: [String]
        /// The index of each positional argument.
        var positionals: [Int] = []
        /// The spelling and value of each comma-list option (`--at`, `--vars`), by the index of
        /// the argument that holds the value.
        var lists: [Int: (spelling: String, value: String)] = [:]

        /// The expression and the arguments right after it up to `end` (exclusive), if they
        /// are all positionals or `extra`: the words of an unquoted expression the shell split.
        func unquotedRun(to end: Int, including extra: Int? = nil) -> [String]? {
            guard let start = positionals.first, start < end else { return nil }
            let run = (start..<end)
            guard run.allSatisfy({ positionals.contains($0) || $0 == extra }) else { return nil }
            return run.map { arguments[$0] }
        }

        /// If the argument at `index` continues the comma list just before it (`--at x=1 y=3`),
        /// the option's spelling and the whole list as it should have been typed.
        func strayListItems(at index: Int) -> (spelling: String, items: [String])? {
            var start = index
            while start > 0, lists[start - 1] == nil {
                guard positionals.contains(start - 1) else { return nil }
                start -= 1
            }
            guard start > 0, let (spelling, value) = lists[start - 1] else { return nil }
            // The stray words must be items of the same kind as the value's: NAME=VALUE or NAME.
            let isItem: (String) -> Bool = value.contains("=")
                ? { item in item.firstIndex(of: "=").map { isIdentifier(String(item[..<$0])) } ?? false }
                : { isIdentifier($0) }
            var items = [value]
            var next = start
            while next < arguments.count, positionals.contains(next), isItem(arguments[next]) {
                items.append(arguments[next])
                next += 1
            }
            return next > index ? (spelling, items) : nil
        }
    }

    private static func extraArgumentMessage(_ parsed: ParsedArguments, _ layout: Layout) -> String {
        let spec = parsed.spec
        for position in layout.positionals {
            if let (spelling, items) = layout.strayListItems(at: position) {
                return "unexpected argument '\(layout.arguments[position])' for '\(spec.name)': separate the values of \(spelling) "
                    + "with commas, not spaces: \(spelling) \(shellWord(items.joined(separator: ",")))"
            }
        }
        let extra = layout.positionals[1]
        let message = "unexpected argument '\(layout.arguments[extra])' for '\(spec.name)': "
        guard spec.operand == .expression else { return message + "the subcommand is already '\(parsed.positionals[0])'" }
        let quoted = layout.unquotedRun(to: (layout.positionals.last ?? extra) + 1).map { "'\($0.joined(separator: " "))'" }
        return message + "the expression is already '\(parsed.positionals[0])'; "
            + (quoted.map { "quote an expression that contains spaces: \($0)" } ?? "give the expression as one argument")
    }

    private static func unknownOptionMessage(_ spelling: String, at position: Int, for spec: CommandSpec, _ layout: Layout) -> String {
        let message = "unknown option '\(spelling)' for '\(spec.name)'"
        let isShort = !spelling.hasPrefix("--")
        // A one-letter typo like `-x` is nearly always an expression, not a misspelled `-f`.
        let candidates = spec.options.flatMap { [$0.long] + $0.synonyms + (isShort ? [] : $0.short.map { [$0] } ?? []) }
        let hint = spelling.count > 2 ? Suggestion.hint(for: spelling, among: candidates) : ""
        guard isShort, spec.operand == .expression else { return message + hint }
        if layout.positionals.isEmpty {
            return message + hint + " (if '\(spelling)' is the expression, put '--' before it: -- '\(spelling)')"
        }
        if hint.isEmpty, let run = layout.unquotedRun(to: position + 1, including: position) {
            return message + "; quote an expression that contains spaces: '\(run.joined(separator: " "))'"
        }
        return message + hint
    }

    /// `text` as one shell word: single-quoted unless it is made only of characters the shell
    /// leaves alone.
    private static func shellWord(_ text: String) -> String {
        let plain = text.allSatisfy { $0.isLetter || $0.isNumber || "_=,./+-:@%".contains($0) }
        return plain ? text : "'" + text + "'"
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
        case (nil, nil) where parsed.spec.replacingExpression.contains(where: { parsed.values[$0] != nil }):
            return .argument("")
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
