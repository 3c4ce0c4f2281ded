/// A position in the source text, as a person reading it would count.
///
/// `line` and `column` are 1-based. `column` counts `Character`s (grapheme clusters) of the line,
/// so a caret drawn under a range stays aligned after non-ASCII text such as `×` or `θ`.
/// `offset` is the 0-based index of the same position in `Array(source)` (characters), which
/// lets tools slice the text without recomputing lines.
public struct SourceLocation: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var offset: Int

    public init(line: Int, column: Int, offset: Int) {
        self.line = line
        self.column = column
        self.offset = offset
    }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool { lhs.offset < rhs.offset }

    public var description: String { "\(line):\(column)" }
}

/// A half-open range `[start, end)` of source text. Every AST node and every diagnostic has one.
public struct SourceRange: Hashable, Sendable, CustomStringConvertible {
    public var start: SourceLocation
    public var end: SourceLocation

    public init(start: SourceLocation, end: SourceLocation) {
        self.start = start
        self.end = end
    }

    /// The smallest range covering both.
    public func union(_ other: SourceRange) -> SourceRange {
        SourceRange(start: min(start, other.start), end: max(end, other.end))
    }

    /// `line:col-line:col`, the form used by AST dumps.
    public var description: String { "\(start)-\(end)" }
}
