/// The options every expression-taking subcommand accepts, declared once.
///
/// The expression itself is the first positional argument (`-` for standard input) or comes
/// from `-f FILE`; see `ExpressionInput`.
enum CommonOptions {
    static let file = OptionSpec("--file", short: "-f", value: "FILE",
                                 help: "Read the expression from FILE instead of the argument.")
    static let vars = OptionSpec("--vars", value: "LIST",
                                 help: "Input variables in this order, e.g. x,y,z (default: order of first use).")
    static let help = OptionSpec("--help", short: "-h", help: "Show help for this subcommand.")

    /// Appended to each expression command's own options, after them in help.
    static let all: [OptionSpec] = [file, vars, help]
}
