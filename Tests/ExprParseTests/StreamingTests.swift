import Testing
@testable import ExprParse

/// The parser pulls tokens from the lexer as it goes and drops those behind the current
/// statement, and the AST stores its ranges packed. These tests check that nothing a message
/// needs was dropped: a statement's diagnostics after thousands of lines (many dropped batches
/// of tokens) are the same as when it stands alone, only lines later.
@Suite("Streaming parse")
struct StreamingTests {
    /// 3,000 lines of chain statements (about 40,000 tokens, ten times `Session.dropBatch`),
    /// the first of which reads `e1`.
    static let prefix = "a0 = sin(e1)*e1 + y\n"
        + (1..<3000).map { "a\($0) = sin(a\($0 - 1))*a\($0 - 1) + y\n" }.joined()
    static let prefixLines = 3000

    /// The diagnostics of `statement` after `prefix`, moved back by its lines, against those of
    /// `statement` alone.
    static func expectSameDiagnostics(_ statement: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let alone = Parser.parse(statement).diagnostics
        let late = Parser.parse(prefix + statement).diagnostics
        #expect(!alone.isEmpty, sourceLocation: sourceLocation)
        func shown(_ diagnostic: Diagnostic, lines: Int) -> String {
            let range = diagnostic.range
            return "\(diagnostic.id) \(range.start.line - lines):\(range.start.column)-\(range.end.line - lines):"
                + "\(range.end.column) \(diagnostic.message) \(diagnostic.notes)"
        }
        #expect(late.map { shown($0, lines: prefixLines) } == alone.map { shown($0, lines: 0) },
                sourceLocation: sourceLocation)
    }

    @Test("look-backs over a line break and into a tuple item find their tokens after many dropped batches")
    func lateDiagnostics() {
        // "expected an expression after '+'": looks back over the line break to the `+`.
        Self.expectSameDiagnostics("z = a2999 +\n\n")
        // The keyword value's text is read back from its first token.
        Self.expectSameDiagnostics("z = sum(a2999, axis=1.5)\n")
        // The tuple item's text is read ahead of the cursor, past the lookahead.
        Self.expectSameDiagnostics("z = reshape(a2999, (2, 2*N*N*N*N))\n")
        Self.expectSameDiagnostics("z = a2999 2 3\n")
    }

    @Test("a suggested free name avoids names used in tokens already dropped")
    func unusedNameSeesTheWholeInput() {
        let diagnostics = Parser.parse(Self.prefix + "e = a2999\n").diagnostics
        #expect(diagnostics.map(\.id) == ["assign-to-constant"])
        #expect(diagnostics.first?.range.start.line == Self.prefixLines + 1)
        // `e1` is read on the first line only.
        #expect(diagnostics.first?.notes == ["note: 'e' is reserved; use another name, such as 'e2', here and where the value is read"])
    }

    @Test("the parser keeps a bounded window of tokens, not the whole input")
    func tokensAreDropped() {
        let source = Self.prefix + "z = a2999\n"
        var session = Parser.Session(lexer: Lexer.start(source, diagnosticLimit: Parser.maxDiagnostics, nodeLimit: Parser.maxNodes),
                                     diagnosticLimit: Parser.maxDiagnostics, nodeLimit: Parser.maxNodes)
        session.parseProgram()
        #expect(session.lexer.finished && session.current.kind == .end && session.peek(2).kind == .end)
        #expect(session.lexer.firstIndex > 8 * Parser.Session.dropBatch)
        #expect(session.lexer.tokens.count <= Parser.Session.dropBatch + Parser.Session.lexBatch + 100)
        // The same program and the same work as when the whole input was lexed first.
        let all = Lexer.tokenize(source, diagnosticLimit: Parser.maxDiagnostics, nodeLimit: Parser.maxNodes)
        #expect(session.position + 1 == all.tokens.count)
        #expect(Parser.parse(source).program.statements.count == Self.prefixLines + 1)
    }

    @Test("AST ranges are packed and round-trip, negative and placeholder positions included")
    func packedRanges() {
        func location(_ line: Int, _ column: Int, _ offset: Int) -> ExprParse.SourceLocation {
            ExprParse.SourceLocation(line: line, column: column, offset: offset)
        }
        let ranges = [
            SourceRange(start: location(3, 7, 40), end: location(4, 12, 45)),
            SourceRange(start: location(1, 1, 0), end: location(1, 1, 0)),
            SourceRange(start: location(0, -1, -1), end: location(1 << 20, 1 << 30, (1 << 31) - 1)),
        ]
        for range in ranges {
            #expect(ASTNode(kind: .error, range: range).range == range)
            let statement = Statement(name: "z", nameRange: range, value: ASTNodeID(0), range: range)
            #expect(statement.range == range && statement.nameRange == range)
        }
        #expect(Statement(name: nil, nameRange: nil, value: ASTNodeID(0), range: ranges[0]).nameRange == nil)
        var node = ASTNode(kind: .error, range: ranges[0])
        node.range = ranges[1]
        #expect(node.range == ranges[1] && node == ASTNode(kind: .error, range: ranges[1]))
        let far = SourceRange(start: location(2, 1, 1 << 40), end: location(2, 2, (1 << 40) + 1))
        #expect(ASTNode(kind: .error, range: far).range.start.offset == Int(Int32.max))
        // The point of packing: millions of nodes for a large input.
        #expect(MemoryLayout<ASTNode>.stride <= 56)
        #expect(MemoryLayout<Statement>.stride <= 80)
    }

    @Test("inputs are in order of first appearance in the text, not of the nodes")
    func inputsInSourceOrder() {
        // Names assigned are not inputs; each input once, at its first read.
        let program = Parser.parse("z = c + b\nw = a * b + c * d\nw + z").program
        #expect(program.inputs == ["c", "b", "a", "d"])
    }
}
