/// What `Parser.parse` returns: the program, possibly with `.error` placeholders, and every
/// problem found. Consumers must not evaluate a program whose result `hasErrors`.
public struct ParseResult: Sendable {
    /// The parsed program. When there are errors it is still complete: `.error` nodes stand in
    /// for the parts that could not be parsed.
    public var program: Program
    /// Errors and warnings in source order, at most about `Parser.maxDiagnostics` of them.
    public var diagnostics: [Diagnostic]
    /// Steps the lexer and parser took (characters examined, tokens consumed, nodes reduced).
    /// Tests use it to check that parsing cost grows linearly with the input, without timing.
    public var work: Int

    /// Creates a result; `Parser.parse` is the usual way to get one.
    public init(program: Program, diagnostics: [Diagnostic], work: Int = 0) {
        self.program = program
        self.diagnostics = diagnostics
        self.work = work
    }

    /// True when at least one diagnostic is an error (warnings alone do not count).
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}
