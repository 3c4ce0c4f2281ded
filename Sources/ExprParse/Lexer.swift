/// Turns source text into tokens, reporting characters and numbers it cannot accept.
///
/// Positions count `Character`s (grapheme clusters), so columns match what a reader sees and a
/// caret drawn under `×` or after `θ` stays aligned. The lexer does not stop at a bad character:
/// an unknown character is reported and skipped, or replaced by the token it evidently stands
/// for (`×` by `*`), so the parser can still report the problems that follow. It stops only at
/// the program size limit (`Parser.maxNodes`).
struct Lexer {
    private let characters: [Character]
    private var index = 0
    private var line = 1
    private var column = 1
    private(set) var tokens: [Token] = []
    private(set) var diagnostics: DiagnosticLog
    /// Characters examined; part of `ParseResult.work`.
    private(set) var work = 0
    /// Syntax-tree nodes the tokens so far will at least make (see `append(_:)`).
    private var nodesAtLeast = 0
    private let nodeLimit: Int
    /// Where the input was found to exceed `nodeLimit`; lexing stopped there.
    private(set) var sizeLimitRange: SourceRange?
    /// False while only counting (see `tokenize`).
    private var keepsTokens = true

    init(_ source: String, diagnosticLimit: Int, nodeLimit: Int) {
        characters = Array(source)
        diagnostics = DiagnosticLog(limit: diagnosticLimit)
        self.nodeLimit = nodeLimit
    }

    /// Tokenizes the source; the result always ends with an `.end` token. Lexing stops early,
    /// setting `sizeLimitRange`, once the tokens must make more than `nodeLimit` nodes, so an
    /// oversize program is refused after a bounded amount of work.
    static func tokenize(_ source: String, diagnosticLimit: Int, nodeLimit: Int) -> Lexer {
        var lexer = Lexer(source, diagnosticLimit: diagnosticLimit, nodeLimit: nodeLimit)
        // Nearly every counted token takes at least one character, so only an input longer than
        // the limit can pass it. Such an input is first counted without keeping tokens: one far
        // over the limit then costs no token storage (15 MB: 0.9 GB and 2.6 s without this).
        if lexer.characters.count > nodeLimit {
            lexer.keepsTokens = false
            lexer.run()
            if lexer.sizeLimitRange != nil { return lexer }
            lexer.restart()
        }
        lexer.run()
        return lexer
    }

    /// Back to the start, keeping `work`, for the pass that keeps tokens.
    private mutating func restart() {
        index = 0
        line = 1
        column = 1
        tokens = []
        diagnostics = DiagnosticLog(limit: diagnostics.limit)
        nodesAtLeast = 0
        keepsTokens = true
    }

    private var location: SourceLocation { SourceLocation(line: line, column: column, offset: index) }

    private func peek(_ ahead: Int = 0) -> Character? {
        let position = index + ahead
        return position < characters.count ? characters[position] : nil
    }

    private mutating func advance() {
        if characters[index].isLineBreak {
            line += 1
            column = 1
        } else {
            column += 1
        }
        index += 1
        work += 1
    }

    /// Dispatches on the character's ASCII value first: everything the language accepts is
    /// ASCII, and that path avoids Unicode property lookups (a 1 MB input is a million
    /// characters). Only other characters pay for the general checks.
    private mutating func run() {
        // A UTF-8 byte-order mark, as some editors write, is not part of the text: skip it
        // without counting a column.
        if peek() == "\u{FEFF}" { index += 1 }
        while sizeLimitRange == nil, let character = peek() {
            let start = location
            guard let ascii = character.asciiValue else {
                if character.isNewline {
                    lexNewline(from: start)
                } else if character.isWhitespace {
                    // No-break and other Unicode spaces, as pasted from documents, separate tokens.
                    advance()
                } else {
                    advance()
                    lexUnexpected(character, from: start)
                }
                continue
            }
            switch ascii {
            case 0x0A...0x0D:
                // LF, VT, FF, CR; `\r\n` is one Character, whose ASCII value is that of `\n`.
                lexNewline(from: start)
            case UInt8(ascii: " "), UInt8(ascii: "\t"):
                advance()
            case UInt8(ascii: "#"):
                while let next = peek(), !next.isLineBreak { advance() }
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                lexNumber()
            case UInt8(ascii: ".") where peek(1)?.isASCIIDigit == true:
                lexNumber()
            case _ where Lexer.isIdentifierStart(ascii):
                lexIdentifier(ascii, from: start)
            case _ where Lexer.punctuation[Int(ascii)] != nil:
                lexPunctuation(ascii, from: start)
            default:
                advance()
                lexUnexpected(character, from: start)
            }
        }
        tokens.append(Token(kind: .end, text: "", range: SourceRange(start: location, end: location)))
    }

    /// Appends a token and counts the nodes it will make. A number, a name and an operator each
    /// make one node, except the name before `=`, which makes none: so this count never exceeds
    /// the nodes of a valid program (implicit products and error recovery only add more).
    private mutating func append(_ token: Token) {
        switch token.kind {
        case .number, .identifier, .plus, .minus, .star, .slash, .caret, .starStar: nodesAtLeast += 1
        case .equals: nodesAtLeast -= 1
        case .leftParen, .rightParen, .comma, .semicolon, .newline, .end: break
        }
        if nodesAtLeast > nodeLimit, sizeLimitRange == nil { sizeLimitRange = token.range }
        if keepsTokens { tokens.append(token) }
    }

    private mutating func lexNewline(from start: SourceLocation) {
        advance()
        // Blank lines and comment lines say nothing more than one line break does.
        if let last = tokens.last, last.kind != .newline {
            append(Token(kind: .newline, text: "\n", range: SourceRange(start: start, end: location)))
        }
    }

    /// Identifier text is built from bytes (all ASCII), far cheaper than a String made from a
    /// slice of Characters.
    private mutating func lexIdentifier(_ first: UInt8, from start: SourceLocation) {
        var text: [UInt8] = [first]
        advance()
        while let next = peek()?.asciiValue, Lexer.isIdentifierContinuation(next) {
            text.append(next)
            advance()
        }
        append(Token(kind: .identifier, text: String(decoding: text, as: UTF8.self),
                     range: SourceRange(start: start, end: location)))
    }

    private mutating func lexPunctuation(_ ascii: UInt8, from start: SourceLocation) {
        guard let (kind, text) = Lexer.punctuation[Int(ascii)] else { return }
        advance()
        if kind == .star, peek() == "*" {
            advance()
            append(Token(kind: .starStar, text: "**", range: SourceRange(start: start, end: location)))
        } else {
            append(Token(kind: kind, text: text, range: SourceRange(start: start, end: location)))
        }
    }

    /// Single-character tokens and their text, indexed by ASCII value.
    private static let punctuation: [(TokenKind, String)?] = {
        var table = [(TokenKind, String)?](repeating: nil, count: 128)
        let entries: [(Character, TokenKind)] = [
            ("+", .plus), ("-", .minus), ("*", .star), ("/", .slash), ("^", .caret),
            ("(", .leftParen), (")", .rightParen), (",", .comma), ("=", .equals), (";", .semicolon),
        ]
        for (character, kind) in entries {
            if let ascii = character.asciiValue { table[Int(ascii)] = (kind, String(character)) }
        }
        return table
    }()

    private static func isIdentifierStart(_ ascii: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(ascii) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(ascii)
            || ascii == UInt8(ascii: "_")
    }

    private static func isIdentifierContinuation(_ ascii: UInt8) -> Bool {
        isIdentifierStart(ascii) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(ascii)
    }

    /// `digits [. digits] [(e|E) [+|-] digits]` or `. digits`. The exponent is taken only when a
    /// digit really follows, so `2e` is `2` times the constant `e` and `2ex` is `2*ex`.
    private mutating func lexNumber() {
        let start = location
        while peek()?.isASCIIDigit == true { advance() }
        if peek() == "." {
            advance()
            if peek()?.isASCIIDigit == true {
                while peek()?.isASCIIDigit == true { advance() }
            } else {
                diagnostics.report(.error, id: "malformed-number",
                                   "expected a digit after '.' in '\(String(characters[start.offset..<index]))'",
                                   at: SourceRange(start: start, end: location))
            }
        }
        if peek() == "e" || peek() == "E" {
            let signed = peek(1) == "+" || peek(1) == "-"
            if peek(signed ? 2 : 1)?.isASCIIDigit == true {
                advance()
                if signed { advance() }
                while peek()?.isASCIIDigit == true { advance() }
            }
        }
        // Every character of a number is ASCII; see lexIdentifier for why the text is built from bytes.
        let text = String(decoding: characters[start.offset..<index].compactMap(\.asciiValue), as: UTF8.self)
        let token = Token(kind: .number, text: text, range: SourceRange(start: start, end: location))
        append(token)
        if let value = Double(token.text), !value.isFinite {
            diagnostics.report(.error, id: "number-out-of-range", "number out of range",
                               at: token.range, notes: ["note: the largest number is about 1.8e308"])
        }
    }

    /// Reports a character the language does not use; if it clearly stands for a token (`×` for
    /// `*`), that token is produced so the rest of the line parses as the writer meant.
    private mutating func lexUnexpected(_ character: Character, from start: SourceLocation) {
        let range = SourceRange(start: start, end: location)
        let hint = CharacterHint.for(character)
        diagnostics.report(.error, id: "unexpected-character", "unexpected character '\(character.displayed)'",
                           at: range, notes: hint.map { ["note: \($0.advice)"] } ?? [])
        for (kind, text) in hint?.replacement ?? [] {
            append(Token(kind: kind, text: text, range: range))
        }
    }
}

extension Character {
    /// `0`-`9` only: other scripts' digits are unexpected characters, not numbers.
    var isASCIIDigit: Bool { asciiValue.map { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } ?? false }

    /// A line break, with an ASCII fast path before the Unicode property lookup.
    var isLineBreak: Bool {
        if let ascii = asciiValue { return (0x0A...0x0D).contains(ascii) }
        return isNewline
    }
}
