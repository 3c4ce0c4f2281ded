/// Every way a symdiff invocation can fail, each with the exit status it maps to.
///
/// Commands throw these; only `SymdiffCLI.main` catches them, so the mapping from failure to
/// exit status and stderr text lives in one place.
enum CLIError: Error, Equatable, CustomStringConvertible {
    /// The arguments are malformed (exit 2). The catch site adds the "Run 'symdiff help ...'" hint,
    /// because only it knows which subcommand was being run.
    case usage(String)
    /// The arguments were fine but the input is not (exit 1), e.g. an unreadable file.
    case input(String)
    /// Diagnostics already rendered under their source lines (exit 1), printed verbatim.
    case renderedDiagnostics(String)

    var description: String {
        switch self {
        case .usage(let message), .input(let message): message
        case .renderedDiagnostics(let text): text
        }
    }

    /// The process exit status for this failure.
    var exitStatus: ExitStatus {
        switch self {
        case .usage: .usage
        case .input, .renderedDiagnostics: .inputProblem
        }
    }
}

/// The three exit statuses symdiff promises; scripts may rely on them.
enum ExitStatus: Int32, Sendable {
    case success = 0
    /// Bad input: an expression, file or value the command could not handle.
    case inputProblem = 1
    /// Bad invocation: unknown subcommand or option, missing or malformed argument.
    case usage = 2
}
