/// Turns source text into tokens, reporting characters and numbers it cannot accept.
///
/// Positions count `Character`s (grapheme clusters), so columns match what a reader sees and a
/// caret drawn under `×` or after `θ` stays aligned. The lexer never stops early: an unknown
/// character is reported and skipped, or replaced by the token it evidently stands for (`×` by
/// `*`), so the parser can still report the problems that follow.
struct Lexer {
    private let characters: [Character]
    private var index = 0
    private var line = 1
    private var column = 1
    private(set) var tokens: [Token] = []
    private(set) var diagnostics: DiagnosticLog
    /// Characters examined; part of `ParseResult.work`.
    private(set) var work = 0

    init(_ source: String, diagnosticLimit: Int) {
        characters = Array(source)
        diagnostics = DiagnosticLog(limit: diagnosticLimit)
    }

    /// Tokenizes the whole source; the result always ends with an `.end` token.
    static func tokenize(_ source: String, diagnosticLimit: Int) -> Lexer {
        var lexer = Lexer(source, diagnosticLimit: diagnosticLimit)
        lexer.run()
        return lexer
    }

    private var location: SourceLocation { SourceLocation(line: line, column: column, offset: index) }

    private func peek(_ ahead: Int = 0) -> Character? {
        let position = index + ahead
        return position < characters.count ? characters[position] : nil
    }

    private mutating func advance() {
        if characters[index].isNewline {
            line += 1
            column = 1
        } else {
            column += 1
        }
        index += 1
        work += 1
    }

    private mutating func run() {
        while let character = peek() {
            let start = location
            if character.isNewline {
                advance()
                // Blank lines and comment lines say nothing more than one line break does.
                if let last = tokens.last, last.kind != .newline {
                    tokens.append(Token(kind: .newline, text: "\n", range: SourceRange(start: start, end: location)))
                }
            } else if character.isWhitespace {
                advance()
            } else if character == "#" {
                while let next = peek(), !next.isNewline { advance() }
            } else if character.isASCIIDigit || (character == "." && peek(1)?.isASCIIDigit == true) {
                lexNumber()
            } else if character.isIdentifierStart {
                while let next = peek(), next.isIdentifierContinuation { advance() }
                append(.identifier, from: start)
            } else if let kind = Lexer.punctuation[character] {
                advance()
                if kind == .star, peek() == "*" {
                    advance()
                    append(.starStar, from: start)
                } else {
                    append(kind, from: start)
                }
            } else {
                advance()
                lexUnexpected(character, from: start)
            }
        }
        tokens.append(Token(kind: .end, text: "", range: SourceRange(start: location, end: location)))
    }

    private static let punctuation: [Character: TokenKind] = [
        "+": .plus, "-": .minus, "*": .star, "/": .slash, "^": .caret,
        "(": .leftParen, ")": .rightParen, ",": .comma, "=": .equals, ";": .semicolon,
    ]

    private mutating func append(_ kind: TokenKind, from start: SourceLocation) {
        let text = String(characters[start.offset..<index])
        tokens.append(Token(kind: kind, text: text, range: SourceRange(start: start, end: location)))
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
        append(.number, from: start)
        if let token = tokens.last, let value = Double(token.text), !value.isFinite {
            diagnostics.report(.error, id: "number-out-of-range", "number out of range",
                               at: token.range, notes: ["note: the largest number is about 1.8e308"])
        }
    }

    /// Reports a character the language does not use; if it clearly stands for a token (`×` for
    /// `*`), that token is produced so the rest of the line parses as the writer meant.
    private mutating func lexUnexpected(_ character: Character, from start: SourceLocation) {
        let range = SourceRange(start: start, end: location)
        let hint = CharacterHint.for(character)
        diagnostics.report(.error, id: "unexpected-character", "unexpected character '\(character)'",
                           at: range, notes: hint.map { ["note: \($0.advice)"] } ?? [])
        for (kind, text) in hint?.replacement ?? [] {
            tokens.append(Token(kind: kind, text: text, range: range))
        }
    }
}

extension Character {
    /// `0`-`9` only: other scripts' digits are unexpected characters, not numbers.
    var isASCIIDigit: Bool { isASCII && isWholeNumber }
    var isIdentifierStart: Bool { isASCII && (isLetter || self == "_") }
    var isIdentifierContinuation: Bool { isASCII && (isLetter || isNumber || self == "_") }
}
