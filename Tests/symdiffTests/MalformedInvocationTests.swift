import Testing

/// Malformed invocations of the built binary: each must print exactly this on stderr, nothing
/// on stdout, and exit with this status.
@Suite struct MalformedInvocationTests {
    /// One bad invocation and everything it must produce.
    struct Case: CustomTestStringConvertible, Sendable {
        var arguments: [String]
        var stderr: String
        var status: Int32 = 2
        var testDescription: String { arguments.joined(separator: " ") }
    }

    /// The two-line usage error for `command`.
    static func usage(_ message: String, _ command: String?) -> String {
        "error: \(message)\nRun 'symdiff help\(command.map { " " + $0 } ?? "")' for usage.\n"
    }

    static let cases: [Case] = [
        Case(arguments: ["evl", "x"], stderr: usage("unknown subcommand 'evl'; did you mean 'eval'?", nil)),
        Case(arguments: ["differentiate", "x"], stderr: usage("unknown subcommand 'differentiate'", nil)),
        Case(arguments: ["--verison"], stderr: usage("unknown option '--verison'; did you mean '--version'?", nil)),
        Case(arguments: ["eval", "(x + y)z", "--at", "x=1,y=3,z=2", "--fromat", "json"],
             stderr: usage("unknown option '--fromat' for 'eval'; did you mean '--format'?", "eval")),
        Case(arguments: ["stage", "x^2", "--expnd"],
             stderr: usage("unknown option '--expnd' for 'stage'; did you mean '--expand'?", "stage")),
        Case(arguments: ["eval", "x", "--at"], stderr: usage("option '--at' needs a value", "eval")),
        Case(arguments: ["eval", "x", "--at", "x=1", "--at", "x=2"],
             stderr: usage("option '--at' given more than once", "eval")),
        Case(arguments: ["grad", "x", "--format", "yaml"],
             stderr: usage("invalid value 'yaml' for '--format': expected 'text', 'json' or 'latex'", "grad")),
        Case(arguments: ["eval", "--at", "x=1"],
             stderr: usage("missing expression: give it as an argument, with -f FILE, or - for standard input", "eval")),
        Case(arguments: ["eval", "x", "+", "y", "--at", "x=1"],
             stderr: usage("unexpected argument '+' for 'eval': the expression is already 'x'; "
                           + "quote an expression that contains spaces: 'x + y'", "eval")),
        Case(arguments: ["eval", "(x+y)z", "--at", "x=1", "y=3", "z=2"],
             stderr: usage("unexpected argument 'y=3' for 'eval': separate the values of --at with commas, not spaces: "
                           + "--at x=1,y=3,z=2", "eval")),
        Case(arguments: ["emit", "sigmoid(x)"], stderr: usage("missing option '--lang LANG' for 'emit'", "emit")),
        Case(arguments: ["emit", "sigmoid(x)", "--lang", "numpy", "--name", "2f"],
             stderr: usage("invalid value '2f' for '--name': expected an identifier such as grad_f", "emit")),
        Case(arguments: ["check", "x", "--at", "x=1", "--points", "3"],
             stderr: usage("options '--at' and '--points' cannot be used together", "check")),
        Case(arguments: ["check", "x", "--points", "0"],
             stderr: usage("invalid value '0' for '--points': expected at least 1", "check")),
        // 10^9 points grew to 24 GB before the cap; a million takes seconds in constant memory.
        Case(arguments: ["check", "x", "--points", "1000001"],
             stderr: usage("invalid value '1000001' for '--points': expected at most 1000000", "check")),
        Case(arguments: ["eval", "x", "--at", "x"], stderr: usage("expected NAME=VALUE, got 'x'", "eval")),
        Case(arguments: ["eval", "x", "--at", "x=1", "--step", "fast"],
             stderr: usage("invalid value 'fast' for '--step': expected a number", "eval")),
        Case(arguments: ["grad", "x", "-y"],
             stderr: usage("unknown option '-y' for 'grad'; quote an expression that contains spaces: 'x -y'", "grad")),
        Case(arguments: ["eval", "-at", "x=1", "x"],
             stderr: usage("unknown option '-at' for 'eval'; did you mean '--at'? "
                           + "(if '-at' is the expression, put '--' before it: -- '-at')", "eval")),
        Case(arguments: ["stats", "-f", "/nonexistent/expr.txt"],
             stderr: "error: cannot read '/nonexistent/expr.txt': No such file or directory\n", status: 1),
        Case(arguments: ["stats", "-f", "/"], stderr: "error: cannot read '/': Is a directory\n", status: 1),
        Case(arguments: ["help", "nosuch"], stderr: usage("unknown subcommand 'nosuch'", nil)),
        Case(arguments: ["help", "stgae"], stderr: usage("unknown subcommand 'stgae'; did you mean 'stage'?", nil)),
        Case(arguments: ["help", "eval", "grad"],
             stderr: usage("unexpected argument 'grad' for 'help': the subcommand is already 'eval'", "help")),
    ]

    @Test(arguments: cases)
    func fails(_ invocation: Case) {
        let result = runSymdiff(invocation.arguments)
        #expect(result.stderr == invocation.stderr)
        #expect(result.stdout == "")
        #expect(result.status == invocation.status)
    }
}
