/// The whole command line: dispatch to a subcommand, and the single place where errors become
/// stderr text and exit statuses.
///
/// Exit statuses: 0 success; 1 a problem in the input (`CLIError.input`,
/// `.renderedDiagnostics`, or any other error a command lets escape);
/// 2 a usage error, printed as `error: ...` and a pointer to the relevant help.
enum SymdiffCLI {
    /// Runs symdiff on `arguments` (without the program name) and returns the exit status.
    static func main(arguments: [String], io: IO) -> Int32 {
        // Set once dispatch knows the subcommand, so a usage error can point at its help.
        var context = Context()
        var status: ExitStatus
        do {
            status = try dispatch(arguments, io: io, context: &context)
        } catch let error as CLIError {
            status = report(error, context: context, io: io)
        } catch {
            // Errors from ExprParse, Symbolic or Codegen that a command did not translate are
            // about what the input asked for, so they count as input problems.
            io.printError("error: \(error)")
            status = .inputProblem
        }
        // Results that did not reach standard output are a failure even when the command
        // succeeded; a command that already failed keeps its own status.
        do {
            try io.finishOutput()
        } catch {
            let failed = report(error, context: context, io: io)
            if status == .success { status = failed }
        }
        return status.rawValue
    }

    /// What the catch site needs to know about how far dispatch got.
    struct Context {
        var subcommand: String?
    }

    private static func dispatch(_ arguments: [String], io: IO, context: inout Context) throws -> ExitStatus {
        guard let first = arguments.first else {
            // Like most Unix tools missing a required argument, a bare `symdiff` is a usage
            // error: the overview goes to stderr and the status is 2, so a script that lost
            // its arguments fails loudly instead of "succeeding" with help text on stdout.
            io.writeError(HelpText.overview())
            return .usage
        }
        let rest = Array(arguments.dropFirst())
        switch first {
        case "-h", "--help":
            io.writeOutput(HelpText.overview())
            return .success
        case "--version":
            io.print(HelpText.version)
            return .success
        case HelpCommand.spec.name:
            context.subcommand = HelpCommand.spec.name
            return try HelpCommand.run(rest, io: io, context: &context)
        default:
            break
        }
        guard let command = Subcommands.named(first) else {
            if first.hasPrefix("-") {
                let hint = Suggestion.hint(for: first, among: ["--help", "--version"])
                throw CLIError.usage("unknown option '\(first)'"
                                     + (hint.isEmpty ? "; the subcommand comes first, as in 'symdiff eval EXPR --at x=1'" : hint))
            }
            throw CLIError.usage("unknown subcommand '\(first)'"
                                 + Suggestion.hint(for: first, among: Subcommands.allSpecs.map(\.name)))
        }
        context.subcommand = command.spec.name
        let parsed = try ArgumentParser.parse(rest, for: command.spec)
        if parsed.flags.contains(CommonOptions.help.long) {
            io.writeOutput(HelpText.help(for: command.spec))
            return .success
        }
        _ = try parsed.list(CommonOptions.vars.long)
        try command.validate(parsed)
        guard let source = parsed.expressionSource else {
            preconditionFailure("ArgumentParser sets expressionSource for every expression command")
        }
        let input = try ExpressionInput.read(source, io: io)
        try command.run(parsed, input, io)
        return .success
    }

    static func report(_ error: CLIError, context: Context, io: IO) -> ExitStatus {
        switch error {
        case .usage(let message):
            io.printError("error: \(message)")
            io.printError("Run 'symdiff help\(context.subcommand.map { " " + $0 } ?? "")' for usage.")
        case .input:
            io.printError("error: \(error)")
        case .renderedDiagnostics(let text):
            io.writeError(text.hasSuffix("\n") ? text : text + "\n")
        }
        return error.exitStatus
    }
}
