/// Turns source text into tokens, reporting characters and numbers it cannot accept.
///
/// Positions count `Character`s (grapheme clusters), so columns match what a reader sees and a
/// caret drawn under `×` or after `θ` stays aligned. The lexer does not stop at a bad character:
/// an unknown character is reported and skipped, or replaced by the token it evidently stands
/// for (`×` by `*`), so the parser can still report the problems that follow. It stops only at
/// the program size limit (`Parser.maxNodes`).
///
/// It reads the UTF-8 bytes of the source. Everything the language accepts is ASCII, and an
/// ASCII byte followed by another ASCII byte (or by nothing) is a whole `Character` on its own,
/// except CR LF, which is one; so nearly all input is lexed a byte at a time with no Unicode
/// work, and the column is the number of Characters since the line began. Only where a
/// non-ASCII byte follows (`×`, `θ`, a combining mark after a letter) does the lexer ask
/// `String` for the Character there, which then counts and behaves exactly as before. (The
/// lexer used to work over `Array(source)`: 16 bytes per character, and 2-4x slower.)
struct Lexer {
    private let source: String
    /// `source.utf8`, copied once so that reading a byte is an array access.
    private let bytes: [UInt8]
    /// The byte the lexer is at; always the start of a Character.
    private var index = 0
    /// Characters before `index`: `SourceLocation.offset`.
    private var offset = 0
    private var line = 1
    /// `offset` where the current line began, so the column is `offset - lineStart + 1`.
    private var lineStart = 0
    /// The tokens lexed and not yet dropped: token number `firstIndex + k` is `tokens[k]`. The
    /// parser pulls tokens as it goes (`lex(through:)`) and drops those behind it
    /// (`dropTokens(before:)`), so the input is never held as a whole array of tokens: at chain
    /// 262144 (3.1M tokens of 40 bytes) that array, grown by doubling, cost up to 170 MB.
    private(set) var tokens: [Token] = []
    private(set) var firstIndex = 0
    /// The `.end` token has been appended: there is nothing more to lex. (`lex(through:)` then
    /// appends more `.end` tokens, so that a reader looking ahead past the end needs no check.)
    private(set) var finished = false
    /// The kind of the last token kept, so that consecutive line breaks make one token.
    private var lastKeptKind: TokenKind?
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
    /// What each open `(` is, for counting: `reshape(`'s shape tuple makes no nodes.
    private var openParens: [OpenParen] = []
    /// Set while the tokens make no syntax-tree nodes (see `Quiet`).
    private var quiet: Quiet?
    /// The previous token was the name `reshape`, so a `(` now opens its call.
    private var afterReshape = false
    private var previousKind: TokenKind = .newline
    /// The name just lexed is a keyword followed by `=` on its line (`axis=1`): it makes no
    /// node, and neither does its value, so a refund at the `=` would come too late for the
    /// running count.
    private var nameBeforeBinding = false
    /// The previous token was such a name, so its `=` or `:` refunds nothing.
    private var previousNameRefunded = false

    private enum OpenParen { case plain, reshapeCall }

    /// A stretch of tokens that makes no node: a declaration (from `:` to the end of its
    /// statement), a keyword argument's value (from `=` inside parentheses to the `,` or `)`
    /// that ends it) and `reshape`'s second argument (its shape tuple). `depth` is the number of
    /// `(` open where it began.
    private struct Quiet {
        var depth: Int
        var endsWithStatement: Bool
    }

    init(_ source: String, diagnosticLimit: Int, nodeLimit: Int) {
        var source = source
        // Native UTF-8 storage makes the byte-to-index conversions of `character(at:)` O(1).
        source.makeContiguousUTF8()
        self.source = source
        bytes = Array(source.utf8)
        diagnostics = DiagnosticLog(limit: diagnosticLimit)
        self.nodeLimit = nodeLimit
    }

    /// Tokenizes the whole source; the result always ends with an `.end` token. Lexing stops
    /// early, setting `sizeLimitRange`, once the tokens must make more than `nodeLimit` nodes, so
    /// an oversize program is refused after a bounded amount of work. (The parser streams
    /// instead, see `start`; this is for tests and tools that want every token.)
    static func tokenize(_ source: String, diagnosticLimit: Int, nodeLimit: Int) -> Lexer {
        var lexer = start(source, diagnosticLimit: diagnosticLimit, nodeLimit: nodeLimit)
        while !lexer.finished { lexer.lexNext() }
        return lexer
    }

    /// A lexer ready to hand out tokens with `lex(through:)`. An input the size limit refuses is
    /// lexed to the limit here already: `finished` and `sizeLimitRange` are then set.
    static func start(_ source: String, diagnosticLimit: Int, nodeLimit: Int) -> Lexer {
        var lexer = Lexer(source, diagnosticLimit: diagnosticLimit, nodeLimit: nodeLimit)
        // Every counted token takes at least one byte (`²`, two tokens, takes two), so only an
        // input longer than the limit can pass it. Such an input is first counted without keeping
        // tokens: one far over the limit then costs no token storage, which would otherwise reach
        // `nodeLimit` tokens (200 MB at `Parser.maxNodes`) before the refusal.
        if lexer.bytes.count > nodeLimit {
            lexer.keepsTokens = false
            lexer.skipByteOrderMark()
            while !lexer.finished { lexer.lexNext() }
            if lexer.sizeLimitRange != nil { return lexer }
            lexer.restart()
        }
        lexer.skipByteOrderMark()
        return lexer
    }

    /// Lexes until token number `target` is in `tokens` (an `.end` token if past the end).
    mutating func lex(through target: Int) {
        while firstIndex + tokens.count <= target { lexNext() }
    }

    /// Forgets the tokens before token number `index` (at most all but the last one).
    mutating func dropTokens(before index: Int) {
        let count = min(index - firstIndex, tokens.count - 1)
        guard count > 0 else { return }
        tokens.removeFirst(count)
        firstIndex += count
    }

    /// The names of all the identifier tokens of the source, lexed again from the start (the
    /// parser keeps no tokens behind it). Only a suggestion of an unused name needs them.
    func identifierNames() -> Set<String> {
        var lexer = self
        lexer.restart()
        lexer.skipByteOrderMark()
        var names = Set<String>()
        while !lexer.finished {
            lexer.lex(through: lexer.firstIndex + lexer.tokens.count + 4096)
            for token in lexer.tokens where token.kind == .identifier { names.insert(token.text) }
            lexer.dropTokens(before: Int.max)
        }
        return names
    }

    /// Lexes the rest of the input, only for its diagnostics and size count, keeping no tokens.
    mutating func finish() {
        while !finished {
            lex(through: firstIndex + tokens.count + 4096)
            dropTokens(before: Int.max)
        }
    }

    /// Back to the start, keeping `work`, for the pass that keeps tokens.
    private mutating func restart() {
        index = 0
        offset = 0
        line = 1
        lineStart = 0
        tokens = []
        firstIndex = 0
        finished = false
        lastKeptKind = nil
        diagnostics = DiagnosticLog(limit: diagnostics.limit)
        nodesAtLeast = 0
        keepsTokens = true
        openParens = []
        quiet = nil
        afterReshape = false
        previousKind = .newline
        nameBeforeBinding = false
        previousNameRefunded = false
    }

    private var location: SourceLocation {
        SourceLocation(line: line, column: offset - lineStart + 1, offset: offset)
    }

    /// A Character of the source: one with an ASCII value (as `Character.asciiValue` sees it:
    /// `\r\n` has that of `\n`), or any other, such as `×` or an ASCII letter that a following
    /// combining mark makes part of a larger Character. `length` is in bytes.
    private enum Scanned {
        case ascii(UInt8, length: Int)
        case other(Character, length: Int)
    }

    /// The Character at byte `position`, the start of one. Two ASCII bytes always have a
    /// Character boundary between them, except CR LF, so the common case needs no Unicode work.
    @inline(__always)
    private func scan(at position: Int) -> Scanned {
        let byte = bytes[position]
        let next = position + 1
        if byte < 0x80, next == bytes.count || bytes[next] < 0x80 {
            if byte == 0x0D, next < bytes.count, bytes[next] == 0x0A { return .ascii(0x0A, length: 2) }
            return .ascii(byte, length: 1)
        }
        let (character, length) = character(at: position)
        if let ascii = character.asciiValue { return .ascii(ascii, length: length) }
        return .other(character, length: length)
    }

    /// The ASCII value of the Character at byte `position`, or nil for another Character or at the end.
    @inline(__always)
    private func peek(at position: Int) -> UInt8? {
        guard position < bytes.count, case .ascii(let ascii, _) = scan(at: position) else { return nil }
        return ascii
    }

    /// The Character at byte `position` (`< bytes.count`) and its length in bytes, as `String`
    /// draws the boundaries. A substring starting there treats `position` as a boundary, which
    /// it is, and reads forward only.
    private func character(at position: Int) -> (Character, length: Int) {
        let rest = source[source.utf8.index(source.utf8.startIndex, offsetBy: position)...]
        let character = rest[rest.startIndex]
        return (character, character.utf8.count)
    }

    /// Moves past one Character of `length` bytes (not a line break; see `lexNewline`).
    @inline(__always)
    private mutating func advance(_ length: Int = 1) {
        index += length
        offset += 1
        work += 1
    }

    private mutating func skipByteOrderMark() {
        // A UTF-8 byte-order mark, as some editors write, is not part of the text: skip it
        // without counting a column.
        if !bytes.isEmpty, case .other(let first, let length) = scan(at: 0), first == "\u{FEFF}" {
            index = length
            offset = 1
            lineStart = 1
        }
    }

    /// Lexes one Character's worth (a token, a space, a comment, a bad character), or appends
    /// an `.end` token at the end of the input or the size limit. Dispatches on the
    /// Character's ASCII value first: everything the language accepts is ASCII, and that path
    /// avoids Unicode property lookups. Only other characters pay for the general checks.
    private mutating func lexNext() {
        guard sizeLimitRange == nil, index < bytes.count else {
            tokens.append(Token(kind: .end, text: "", range: SourceRange(start: location, end: location)))
            finished = true
            return
        }
        let start = location
        let ascii: UInt8, length: Int
        switch scan(at: index) {
        case .ascii(let value, let count):
            (ascii, length) = (value, count)
        case .other(let character, let length):
            if character.isNewline {
                lexNewline(length, from: start)
            } else if character.isWhitespace {
                // No-break and other Unicode spaces, as pasted from documents, separate tokens.
                advance(length)
            } else {
                advance(length)
                lexUnexpected(character, from: start)
            }
            return
        }
        switch ascii {
        case 0x0A...0x0D:
            // LF, VT, FF, CR; `\r\n` is one Character, whose ASCII value is that of `\n`.
            lexNewline(length, from: start)
        case UInt8(ascii: " "), UInt8(ascii: "\t"):
            advance()
        case UInt8(ascii: "#"):
            skipComment()
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            lexNumber()
        case UInt8(ascii: ".") where Lexer.isDigit(peek(at: index + 1)):
            lexNumber()
        case _ where Lexer.isIdentifierStart(ascii):
            lexIdentifier(from: start)
        case _ where !Lexer.spellings[Int(ascii)].isEmpty:
            lexPunctuation(ascii, from: start)
        default:
            advance()
            lexUnexpected(Character(Unicode.Scalar(ascii)), from: start)
        }
    }

    /// Appends a token and counts the nodes it will make (`TokenKind.nodesAtLeast`).
    private mutating func append(_ token: Token) {
        nodesAtLeast += counted(token)
        if nodesAtLeast > nodeLimit, sizeLimitRange == nil { sizeLimitRange = token.range }
        if keepsTokens {
            tokens.append(token)
            lastKeptKind = token.kind
        }
    }

    /// The nodes `token` makes at least: `TokenKind.nodesAtLeast`, or none inside a `Quiet`
    /// stretch. Only parentheses, `,`, `=`, `:` and statement ends change the state, so the cost
    /// for other tokens is one check.
    @inline(__always)
    private mutating func counted(_ token: Token) -> Int {
        let kind = token.kind
        let refunded = previousNameRefunded
        previousNameRefunded = false
        let reshapeBefore = afterReshape
        afterReshape = false
        defer { previousKind = kind }
        switch kind {
        case .leftParen:
            if quiet == nil, previousKind == .comma, openParens.last == .reshapeCall {
                quiet = Quiet(depth: openParens.count, endsWithStatement: false)
            }
            openParens.append(reshapeBefore ? .reshapeCall : .plain)
        case .rightParen:
            _ = openParens.popLast()
            if let stretch = quiet, openParens.count < stretch.depth { quiet = nil }
            return 0
        case .comma:
            if let stretch = quiet, !stretch.endsWithStatement, openParens.count == stretch.depth { quiet = nil }
            return 0
        case .newline, .semicolon:
            if let stretch = quiet, stretch.endsWithStatement, openParens.count <= stretch.depth { quiet = nil }
            return 0
        case .colon where quiet == nil && openParens.isEmpty:
            quiet = Quiet(depth: 0, endsWithStatement: true)
            return refunded ? 0 : kind.nodesAtLeast
        case .equals where quiet == nil && !openParens.isEmpty:
            quiet = Quiet(depth: openParens.count, endsWithStatement: false)
            return refunded ? 0 : kind.nodesAtLeast
        case .identifier:
            guard quiet == nil else { return 0 }
            if nameBeforeBinding {
                previousNameRefunded = true
                return 0
            }
            return 1
        case .equals, .colon:
            if quiet == nil, refunded { return 0 }
        default:
            break
        }
        return quiet == nil ? kind.nodesAtLeast : 0
    }

    private mutating func lexNewline(_ length: Int, from start: SourceLocation) {
        advance(length)
        line += 1
        lineStart = offset
        // Blank lines and comment lines say nothing more than one line break does.
        if let last = lastKeptKind, last != .newline {
            append(Token(kind: .newline, text: "\n", range: SourceRange(start: start, end: location)))
        }
    }

    /// From `#` up to the line break, which is left for `lexNewline`.
    private mutating func skipComment() {
        while index < bytes.count {
            switch scan(at: index) {
            case .ascii(let ascii, let length):
                if (0x0A...0x0D).contains(ascii) { return }
                advance(length)
            case .other(let character, let length):
                if character.isNewline { return }
                advance(length)
            }
        }
    }

    /// The text from byte `first` to here: a name or number, all ASCII.
    private func text(from first: Int) -> String {
        String(decoding: bytes[first..<index], as: UTF8.self)
    }

    private mutating func lexIdentifier(from start: SourceLocation) {
        let first = index
        advance()
        while let next = peek(at: index), Lexer.isIdentifierContinuation(next) { advance() }
        // Only a keyword's name (after `(` or `,` inside parentheses) needs the look ahead: at the
        // top level, the `=` or `:` refunds the name before any other token is counted.
        nameBeforeBinding = false
        if !openParens.isEmpty, previousKind == .comma || previousKind == .leftParen {
            var ahead = index
            while ahead < bytes.count, bytes[ahead] == UInt8(ascii: " ") || bytes[ahead] == UInt8(ascii: "\t") { ahead += 1 }
            nameBeforeBinding = ahead < bytes.count && bytes[ahead] == UInt8(ascii: "=")
        }
        let text = text(from: first)
        append(Token(kind: .identifier, text: text, range: SourceRange(start: start, end: location)))
        // Compared only at those lengths, so other names pay an integer comparison or two.
        let length = index - first
        afterReshape = (length == 7 && text == "reshape") || (length == 12 && text == "broadcast_to") || (length == 6 && text == "sum_to")
    }

    /// The longest spelling in `spellings` that the input continues with, each of its
    /// characters a Character of its own (`*` then `*` is `**`).
    private mutating func lexPunctuation(_ ascii: UInt8, from start: SourceLocation) {
        candidates: for (kind, spelling) in Lexer.spellings[Int(ascii)] {
            var position = index
            for byte in spelling.utf8 {
                guard peek(at: position) == byte else { continue candidates }
                position += 1
            }
            for _ in spelling.utf8 { advance() }
            append(Token(kind: kind, text: spelling, range: SourceRange(start: start, end: location)))
            return
        }
        // No spelling matched (`|` alone: only `||` is a token).
        advance()
        lexUnexpected(Character(Unicode.Scalar(ascii)), from: start)
    }

    /// Every operator and punctuation token with its spelling: the one place to add one. Each
    /// spelling is ASCII; where one is a prefix of another, the longer one wins.
    private static let punctuation: [(TokenKind, String)] = [
        (.plus, "+"), (.minus, "-"), (.star, "*"), (.starStar, "**"), (.slash, "/"), (.caret, "^"),
        (.leftParen, "("), (.rightParen, ")"), (.comma, ","), (.equals, "="), (.semicolon, ";"),
        (.at, "@"), (.dot, "."), (.colon, ":"), (.leftBracket, "["), (.rightBracket, "]"), (.barBar, "||"),
    ]

    /// `punctuation` by the ASCII value of the first character, longest spelling first.
    private static let spellings: [[(TokenKind, String)]] = {
        var table = [[(TokenKind, String)]](repeating: [], count: 128)
        for (kind, spelling) in punctuation {
            guard let first = spelling.utf8.first, first < 0x80 else { continue }
            table[Int(first)].append((kind, spelling))
        }
        return table.map { entries in entries.sorted { $0.1.utf8.count > $1.1.utf8.count } }
    }()

    private static func isDigit(_ ascii: UInt8?) -> Bool {
        guard let ascii else { return false }
        return (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(ascii)
    }

    private static func isIdentifierStart(_ ascii: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(ascii) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(ascii)
            || ascii == UInt8(ascii: "_")
    }

    private static func isIdentifierContinuation(_ ascii: UInt8) -> Bool {
        isIdentifierStart(ascii) || isDigit(ascii)
    }

    /// `digits [. digits] [(e|E) [+|-] digits]` or `. digits`. The exponent is taken only when a
    /// digit really follows, so `2e` is `2` times the constant `e` and `2ex` is `2*ex`. (Every
    /// character taken is a one-byte Character, so `index + k` is `k` Characters ahead.)
    private mutating func lexNumber() {
        let start = location
        let first = index
        while Lexer.isDigit(peek(at: index)) { advance() }
        if peek(at: index) == UInt8(ascii: ".") {
            advance()
            if Lexer.isDigit(peek(at: index)) {
                while Lexer.isDigit(peek(at: index)) { advance() }
            } else {
                diagnostics.report(.error, id: "malformed-number",
                                   "expected a digit after '.' in '\(text(from: first))'",
                                   at: SourceRange(start: start, end: location))
            }
        }
        if let marker = peek(at: index), marker == UInt8(ascii: "e") || marker == UInt8(ascii: "E") {
            let sign = peek(at: index + 1)
            let signed = sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-")
            if Lexer.isDigit(peek(at: index + (signed ? 2 : 1))) {
                advance()
                if signed { advance() }
                while Lexer.isDigit(peek(at: index)) { advance() }
            }
        }
        let token = Token(kind: .number, text: text(from: first), range: SourceRange(start: start, end: location))
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
