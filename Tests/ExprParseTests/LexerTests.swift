import Testing
@testable import ExprParse

/// The lexer reads UTF-8 bytes but counts positions in Characters (grapheme clusters). These
/// cases sit where the two differ: multi-byte characters next to numbers and names, combining
/// marks that make an ASCII letter part of a larger Character, CR LF (one Character, two bytes).
@Suite("Lexer")
struct LexerTests {
    /// Each token as `kind 'text' line:column-line:column @offset-offset`, without the final `.end`.
    static func tokens(_ source: String) -> [String] {
        let lexer = Lexer.tokenize(source, diagnosticLimit: Parser.maxDiagnostics, nodeLimit: Parser.maxNodes)
        return lexer.tokens.dropLast().map { token in
            "\(token.kind) '\(token.text)' \(token.range) @\(token.range.start.offset)-\(token.range.end.offset)"
        }
    }

    @Test("a multi-byte character right before or after a number")
    func multiByteNextToNumber() {
        #expect(Self.tokens("2×3") == [
            "number '2' 1:1-1:2 @0-1", "star '×' 1:2-1:3 @1-2", "number '3' 1:3-1:4 @2-3",
        ])
        #expect(Self.tokens("θ2.5e-3θ") == ["number '2.5e-3' 1:2-1:8 @1-7"])
        // `e` followed by a non-ASCII minus is not an exponent: `1*e - 3`, as written.
        #expect(Self.tokens("1e−3") == [
            "number '1' 1:1-1:2 @0-1", "identifier 'e' 1:2-1:3 @1-2", "minus '−' 1:3-1:4 @2-3",
            "number '3' 1:4-1:5 @3-4",
        ])
        #expect(rendered("x = 3.×2") == """
            input:1:5: error: expected a digit after '.' in '3.'
            x = 3.×2
                ^~

            input:1:7: error: unexpected character '×'
            x = 3.×2
                  ^
            note: write '*' to multiply
            """)
        #expect(Parser.parse("x²+.5²").program.printed() == "x^2 + .5^2")
    }

    @Test("a combining mark makes the letter or digit before it part of one unexpected character")
    func combiningMark() {
        // `b` + U+0301 is one Character, `b́`: not a letter of the name, which ends at `a`.
        #expect(Self.tokens("ab\u{301} + 1") == [
            "identifier 'a' 1:1-1:2 @0-1", "plus '+' 1:4-1:5 @3-4", "number '1' 1:6-1:7 @5-6",
        ])
        #expect(rendered("ab\u{301} + sigmod(x)") == """
            input:1:2: error: unexpected character 'b\u{301}'
            ab\u{301} + sigmod(x)
             ^

            input:1:6: error: unknown function 'sigmod'; did you mean 'sigmoid'?
            ab\u{301} + sigmod(x)
                 ^~~~~~
            note: to multiply, write 'sigmod*(...)'
            """)
        #expect(Self.tokens("12\u{301}3") == ["number '1' 1:1-1:2 @0-1", "number '3' 1:3-1:4 @2-3"])
        // A combining mark after `.` or `e` stops the number there, as any other character would.
        #expect(Self.tokens("2e\u{301}-3") == [
            "number '2' 1:1-1:2 @0-1", "minus '-' 1:3-1:4 @2-3", "number '3' 1:4-1:5 @3-4",
        ])
        #expect(Self.tokens("*\u{301}*") == ["star '*' 1:2-1:3 @1-2"])
        // A space with a combining mark is still a space (its first scalar is).
        #expect(Self.tokens("x \u{301}y") == ["identifier 'x' 1:1-1:2 @0-1", "identifier 'y' 1:3-1:4 @2-3"])
    }

    @Test("emoji, flags and joined sequences each take one column")
    func clusters() {
        #expect(rendered("👨‍👩‍👧🇺🇸 + 2×") == """
            input:1:1: error: unexpected character '👨‍👩‍👧'
            👨‍👩‍👧🇺🇸 + 2×
            ^

            input:1:2: error: unexpected character '🇺🇸'
            👨‍👩‍👧🇺🇸 + 2×
             ^

            input:1:7: error: unexpected character '×'
            👨‍👩‍👧🇺🇸 + 2×
                  ^
            note: write '*' to multiply

            input:1:7: error: expected an expression after '×'
            👨‍👩‍👧🇺🇸 + 2×
                  ^
            """)
    }

    @Test("CR LF inside and after comments is one line break, one character")
    func lineBreaksInComments() {
        #expect(rendered("a = 1 # θ × note\r\nb = a × 2") == """
            input:2:7: error: unexpected character '×'
            b = a × 2
                  ^
            note: write '*' to multiply
            """)
        #expect(Self.tokens("x # c\r\n\r\ny\r1") == [
            "identifier 'x' 1:1-1:2 @0-1", "newline '\n' 1:6-2:1 @5-6", "identifier 'y' 3:1-3:2 @7-8",
            "newline '\n' 3:2-4:1 @8-9", "number '1' 4:1-4:2 @9-10",
        ])
        #expect(Self.tokens("x # \u{2029} y\u{85}#\u{2028}z") == [
            "identifier 'x' 1:1-1:2 @0-1", "newline '\n' 1:5-2:1 @4-5", "identifier 'y' 2:2-2:3 @6-7",
            "newline '\n' 2:3-3:1 @7-8", "identifier 'z' 4:1-4:2 @10-11",
        ])
    }

    @Test("a byte-order mark takes an offset but no column")
    func byteOrderMark() {
        #expect(Self.tokens("\u{FEFF}x\ny") == [
            "identifier 'x' 1:1-1:2 @1-2", "newline '\n' 1:2-2:1 @2-3", "identifier 'y' 2:1-2:2 @3-4",
        ])
    }

    @Test("a token keeps its range through the packed storage; out-of-range parts clamp, never trap")
    func packedRange() {
        func location(_ line: Int, _ column: Int, _ offset: Int) -> ExprParse.SourceLocation {
            ExprParse.SourceLocation(line: line, column: column, offset: offset)
        }
        let ranges = [
            SourceRange(start: location(3, 7, 40), end: location(3, 12, 45)),
            SourceRange(start: location(3, 12, 45), end: location(4, 1, 46)),
            SourceRange(start: location(9, 1, 80), end: location(9, 1, 80)),
        ]
        for range in ranges {
            #expect(Token(kind: .identifier, text: "x", range: range).range == range)
        }
        let far = SourceRange(start: location(2, 1 << 40, 1 << 41), end: location(2, (1 << 40) + 1, (1 << 41) + 1))
        #expect(Token(kind: .plus, text: "+", range: far).range.start.column == Int(UInt32.max))
        // The point of packing: millions of tokens for a large input.
        #expect(MemoryLayout<Token>.stride <= 40)
    }

    /// Line, column and offset of `location` as counted over `Array(source)`: the definition the
    /// byte lexer must agree with.
    static func expectedLocation(offset: Int, in characters: [Character]) -> ExprParse.SourceLocation {
        let skipped = characters.first == "\u{FEFF}" ? 1 : 0
        var line = 1
        var lineStart = skipped
        for index in skipped..<min(offset, characters.count) {
            let character = characters[index]
            if character.asciiValue.map({ (0x0A...0x0D).contains($0) }) ?? character.isNewline {
                line += 1
                lineStart = index + 1
            }
        }
        return ExprParse.SourceLocation(line: line, column: offset - lineStart + 1, offset: offset)
    }

    @Test("every position agrees with counting Characters, on random non-ASCII input",
          arguments: 0..<40 as Range<UInt64>)
    func positionsCountCharacters(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let pieces = ["x", "y2", "2", "2.5", "1e-3", "3.", "e", ".", "+", "-", "**", "(", ")", "=", ";", " ", "\t",
                      "\n", "\r", "\r\n", "#", "# θ c ", "\u{301}", "\u{20E3}", "\u{FE0F}", "\u{200D}", "👍🏽", "🇺",
                      "\u{1100}\u{1161}", "\u{0600}", "\u{0903}", "\u{37E}", "\u{A0}", "\u{2028}", "\u{85}", "×", "²",
                      "π", "−", "θ", "é", "e\u{301}", "\u{915}\u{94D}\u{937}", "\u{FEFF}", "\u{1B}", "\u{0}"]
        let source = (0..<60).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined()
        let characters = Array(source)
        let lexer = Lexer.tokenize(source, diagnosticLimit: 1000, nodeLimit: Parser.maxNodes)
        let ranges = lexer.tokens.map(\.range) + lexer.diagnostics.diagnostics.map(\.range)
        for range in ranges {
            for location in [range.start, range.end] {
                #expect(location == Self.expectedLocation(offset: location.offset, in: characters),
                        "\(source.unicodeScalars.map { String($0.value, radix: 16) })")
            }
        }
        // A name's or number's text is exactly the Characters its range covers.
        for token in lexer.tokens where token.kind == .identifier || token.kind == .number {
            let covered = String(characters[token.range.start.offset..<token.range.end.offset])
            #expect(covered == token.text || ["π", "²", "³"].contains(covered))
        }
    }
}
