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

/// A `SourceRange` in 24 bytes rather than 48, as the AST stores its nodes' and statements'
/// ranges: a large input has millions of nodes (with the statements' ranges and the assignment
/// table, packing took chain 262144's memory after parsing from 196 to 147 MB, the parse peak
/// from 256 to 195). Each number is kept in 32 bits, which holds every
/// position of an input of less than 2 Gi characters (the CLI reads at most 16 MiB); a larger
/// one is clamped, as `Token` clamps its line and column.
struct PackedSourceRange: Hashable, Sendable {
    private let startOffset: Int32
    private let startLine: Int32
    private let startColumn: Int32
    private let endOffset: Int32
    private let endLine: Int32
    private let endColumn: Int32

    init(_ range: SourceRange) {
        startOffset = Int32(clamping: range.start.offset)
        startLine = Int32(clamping: range.start.line)
        startColumn = Int32(clamping: range.start.column)
        endOffset = Int32(clamping: range.end.offset)
        endLine = Int32(clamping: range.end.line)
        endColumn = Int32(clamping: range.end.column)
    }

    var range: SourceRange {
        SourceRange(start: SourceLocation(line: Int(startLine), column: Int(startColumn), offset: Int(startOffset)),
                    end: SourceLocation(line: Int(endLine), column: Int(endColumn), offset: Int(endOffset)))
    }

    /// `range.start.offset`, without building the range.
    var startOffsetValue: Int { Int(startOffset) }
}
