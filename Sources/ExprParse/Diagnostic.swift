/// A problem found in the input, with the exact source range it concerns.
///
/// Rendered like a compiler (see `render(source:fileName:)`):
/// ```
/// input:1:5: error: unknown function 'sigmod'; did you mean 'sigmoid'?
/// x + sigmod(x)
///     ^~~~~~
/// ```
public struct Diagnostic: Hashable, Sendable, Error {
    public enum Severity: String, Hashable, Sendable {
        case error, warning, note
    }

    public var severity: Severity
    /// A stable identifier for tests and tools, e.g. `unknown-function`.
    public var id: String
    public var message: String
    public var range: SourceRange
    /// Extra lines printed after the caret line, e.g. `note: '(' opened here` or a hint.
    public var notes: [String]

    public init(_ severity: Severity, id: String, _ message: String, at range: SourceRange, notes: [String] = []) {
        self.severity = severity
        self.id = id
        self.message = message
        self.range = range
        self.notes = notes
    }
}
