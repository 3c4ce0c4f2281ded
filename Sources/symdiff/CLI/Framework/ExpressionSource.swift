/// Where a command's expression text comes from, decided from the arguments alone.
enum ExpressionSource: Sendable, Equatable {
    /// The expression was the positional argument itself.
    case argument(String)
    /// `-f FILE` or `--file FILE`.
    case file(path: String)
    /// A lone `-` as the positional argument, or `-f -`.
    case standardInput

    /// The name diagnostics show before `:line:col`, as a compiler shows a file name.
    var displayName: String {
        switch self {
        case .argument: "input"
        case .file(let path): path
        case .standardInput: "<stdin>"
        }
    }
}

/// The expression text a command works on, already read, with the name to use in diagnostics.
struct ExpressionInput: Sendable, Equatable {
    var text: String
    var source: ExpressionSource

    /// `input`, the file path, or `<stdin>`; pass it to `Diagnostic` rendering as the file name.
    var displayName: String { source.displayName }
}
