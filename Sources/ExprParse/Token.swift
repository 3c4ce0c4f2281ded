/// The kinds of token the lexer produces. grammar.md lists their spellings.
enum TokenKind: Equatable, Sendable {
    case number
    case identifier
    case plus, minus, star, slash, caret, starStar
    case leftParen, rightParen, comma, equals, semicolon
    /// The tensor syntax's tokens: `@` (matmul), `.` (only in `.T`), `:` (declarations),
    /// `[` `]` (array literals and indexing) and `||` (a norm, `||x||`).
    case at, dot, colon, leftBracket, rightBracket, barBar
    /// One or more line breaks (blank lines and comment lines collapse into one token), because
    /// a line break ends a statement unless the parser decides the line continues.
    case newline
    /// Always the last token, so the parser can look at `tokens[position]` without bounds checks.
    case end

    /// What a line whose first token is this one means for the statement on the line before.
    enum LineStart {
        /// The line continues the previous statement: no statement can start with this token
        /// (`*`, `/`, `^`), or starting one with it would be pointless (unary `+`).
        case continuesStatement
        /// The line starts a new statement, which may well have been meant as a continuation
        /// (`-`: a statement may be a negated expression, such as a loss `-ln(p)`). If the value
        /// of the previous statement then goes unread, its warning says so.
        case mayContinue
        case startsStatement
    }

    /// The continuation rule of grammar.md section 2, one entry per token. A line starting
    /// with `@` or `.T` continues: neither can start a statement.
    var lineStart: LineStart {
        switch self {
        case .plus, .star, .slash, .caret, .starStar, .at, .dot: return .continuesStatement
        case .minus: return .mayContinue
        case .number, .identifier, .leftParen, .rightParen, .comma, .equals, .semicolon, .newline, .end,
             .colon, .leftBracket, .rightBracket, .barBar:
            return .startsStatement
        }
    }

    /// Syntax-tree nodes a token of this kind makes at least, which the lexer adds up to refuse
    /// an oversize program early. A number, a name and an operator each make one node, except
    /// the name before `=` or `:`, which makes none: so the sum never exceeds the nodes of a
    /// valid program (implicit products and error recovery only add more). The names and
    /// numbers of a declaration, a keyword argument's value and `reshape`'s shape tuple make no
    /// node either: the lexer counts nothing inside those (`Lexer.Quiet`). `T` after `.` makes
    /// the transpose node, an array literal's or an index's elements their own nodes.
    var nodesAtLeast: Int {
        switch self {
        case .number, .identifier, .plus, .minus, .star, .slash, .caret, .starStar, .at: return 1
        case .equals, .colon: return -1
        case .leftParen, .rightParen, .comma, .semicolon, .newline, .end, .dot, .leftBracket, .rightBracket, .barBar:
            return 0
        }
    }
}

/// One token: its kind, its spelling as written, and where it was written.
///
/// A large input has millions of tokens, so the range is stored packed in 40 bytes a token
/// rather than as a `SourceRange` (72): a token other than a line break lies within one line,
/// so its end is `length` columns and offsets after its start, and a line break ends at the
/// start of the next line. Line, column and length are stored in 32 bits, clamped: only a
/// line or token past 4 Gi characters would be out of range (the CLI reads at most 16 MiB).
struct Token: Sendable {
    /// The source text (`"×"` for a `*` recovered from `×`), used in messages.
    let text: String
    private let offset: Int
    private let line: UInt32
    private let column: UInt32
    /// Characters the token covers.
    private let length: UInt32
    let kind: TokenKind
    /// True for a line break, whose range ends at column 1 of the next line.
    private let endsNextLine: Bool

    init(kind: TokenKind, text: String, range: SourceRange) {
        self.kind = kind
        self.text = text
        offset = range.start.offset
        line = UInt32(clamping: range.start.line)
        column = UInt32(clamping: range.start.column)
        length = UInt32(clamping: range.end.offset - range.start.offset)
        endsNextLine = range.end.line != range.start.line
    }

    var range: SourceRange {
        let start = SourceLocation(line: Int(line), column: Int(column), offset: offset)
        let end = endsNextLine
            ? SourceLocation(line: start.line + 1, column: 1, offset: offset + Int(length))
            : SourceLocation(line: start.line, column: start.column + Int(length), offset: offset + Int(length))
        return SourceRange(start: start, end: end)
    }

    /// The binary operator this token spells, if any.
    var binaryOperator: BinaryOperator? {
        switch kind {
        case .plus: return .add
        case .minus: return .subtract
        case .star: return .multiply
        case .slash: return .divide
        case .caret, .starStar: return .power
        case .at: return .matmul
        default: return nil
        }
    }

    /// How the token reads in a message: its text, or a phrase for tokens without text.
    var quoted: String {
        switch kind {
        case .newline: return "end of line"
        case .end: return "end of input"
        default: return "'\(text)'"
        }
    }
}
