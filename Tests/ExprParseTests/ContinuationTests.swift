import Testing
@testable import ExprParse

/// A line that starts with an operator continues the statement before it (`*`, `/`, `^`, `**`,
/// `+`), or, for `-`, starts a new statement whose predecessor is then warned about if its value
/// goes unread. grammar.md section 2 states the rule; section 5 the unused-value warnings.
@Suite("Continuation lines and unused values")
struct ContinuationTests {
    @Test("the issue's example: a '+' line continues the assignment above it")
    func plusLineContinues() {
        let source = "f = x^2\n    + y^2\n"
        let result = Parser.parse(source)
        #expect(result.diagnostics.isEmpty, "\(rendered(source))")
        #expect(result.program.printed() == "f = x^2 + y^2")
    }

    @Test("a line starting with an operator that cannot start a statement continues", arguments: [
        ("a = x\n  * y", "a = x*y"),
        ("a = x\n  / y", "a = x/y"),
        ("a = x\n  ^ 2", "a = x^2"),
        ("a = x\n  ** 2", "a = x^2"),
        ("a = x\n  + y", "a = x + y"),
        ("a = x\r\n  + y", "a = x + y"),
        ("x^2\n+ 2x\n+ 1", "x^2 + 2*x + 1"),
        // Comment lines and blank lines in between change nothing.
        ("f = x^2\n  # the y part\n\n  + y^2", "f = x^2 + y^2"),
        // The next `name =` line is still a statement of its own.
        ("a = x\n  + 1\nb = a\n  * 2", "a = x + 1\nb = a*2"),
        // Inside parentheses the line breaks were already skipped.
        ("f = (x\n  + y)\n  * z", "f = (x + y)*z"),
    ])
    func operatorLineContinues(source: String, printed: String) {
        let result = Parser.parse(source)
        #expect(result.diagnostics.isEmpty, "\(rendered(source))")
        #expect(result.program.printed() == printed)
    }

    @Test("after ';' the statement has ended: a line starting with '*' is an error")
    func semicolonEndsTheStatement() {
        #expect(rendered("a = x;\n* 2") == """
            input:2:1: error: expected an expression before '*'
            * 2
            ^
            """)
    }

    @Test("a '-' line is a new statement; the unread assignment above it is warned about")
    func minusLineWarnsOnUnusedAssignment() {
        let source = "f = x^2\n    - y^2\n"
        let result = Parser.parse(source)
        #expect(!result.hasErrors)
        #expect(result.program.printed() == "f = x^2\n-y^2")
        #expect(rendered(source) == """
            input:1:1: warning: 'f' is assigned but never used
            f = x^2
            ^~~~~~~
            note: line 2 starts with '-', so it is a new statement; to continue this one, end this line with the '-' or wrap the expression in parentheses
            """)
    }

    @Test("a '-' line after an unnamed expression: the unused-expression warning says the same")
    func minusLineWarnsOnUnusedExpression() {
        #expect(rendered("x^2\n  -y^2") == """
            input:1:1: warning: expression result is unused
            x^2
            ^~~
            note: line 2 starts with '-', so it is a new statement; to continue this one, end this line with the '-' or wrap the expression in parentheses
            """)
    }

    @Test("a '-' line after a statement whose value is read is fine (a loss such as -ln(p))")
    func minusLineAfterReadValue() {
        let source = "p = sigmoid(x)\n-ln(p)"
        #expect(Parser.parse(source).diagnostics.isEmpty, "\(rendered(source))")
    }

    @Test("an assignment nothing reads is a warning")
    func unusedAssignment() {
        let source = "a = x^2\nb = y^2\nf = a + 1"
        let result = Parser.parse(source)
        #expect(!result.hasErrors)
        #expect(rendered(source) == """
            input:2:1: warning: 'b' is assigned but never used
            b = y^2
            ^~~~~~~
            """)
        // The output itself is read by whoever runs the program.
        #expect(diagnosticIDs("a = x; b = a") == [])
        // Reading a name counts wherever it is read, even in an assignment that is itself unused.
        #expect(diagnosticIDs("a = x; b = a; c = y") == ["unused-assignment"])
    }

    @Test("no unused-assignment guesses after a parse error")
    func noUnusedAssignmentAfterErrors() {
        #expect(diagnosticIDs("a = x\nb = 2 3") == ["adjacent-numbers"])
    }

    @Test("after nesting-too-deep, the statement's continuation lines are skipped with it")
    func recoveryAfterTooDeepSkipsContinuation() {
        let source = String(repeating: "(", count: Parser.maxNestingDepth + 44) + "x\n  * 2\ny = 2 3"
        #expect(diagnosticIDs(source) == ["nesting-too-deep", "adjacent-numbers"])
    }

    @Test("printing parenthesizes a bare statement that would start a line with '+'")
    func printingKeepsPlusStatementsApart() {
        let program = Parser.parse("a = x; +y").program
        #expect(program.printed() == "a = x\n(+y)")
        let again = Parser.parse(program.printed())
        #expect(again.program.structurallyEqual(program))
        #expect(Parser.parse("+y").program.printed() == "+y")
    }

    @Test("the rule is one table entry per token")
    func lineStartTable() {
        let continuing: [TokenKind] = [.plus, .star, .slash, .caret, .starStar]
        for kind in continuing { #expect(kind.lineStart == .continuesStatement) }
        #expect(TokenKind.minus.lineStart == .mayContinue)
        for kind: TokenKind in [.number, .identifier, .leftParen, .rightParen, .comma, .equals] {
            #expect(kind.lineStart == .startsStatement)
        }
    }

    @Test("many unused values are warnings with one summary, never 'too many errors'")
    func manyUnusedValuesStayWarnings() {
        // A listing of named temporaries of which the last line reads only one is valid.
        let source = (0..<60).map { "t\($0) = x*\($0 + 1)" }.joined(separator: "\n") + "\nt59 + 1"
        let result = Parser.parse(source)
        #expect(!result.hasErrors)
        #expect(result.diagnostics.count == 11)
        #expect(result.diagnostics.allSatisfy { $0.severity == .warning && $0.id == "unused-assignment" })
        #expect(result.diagnostics.last?.message == "49 more values are computed but never used")
        #expect(result.program.statements.count == 61)
    }
}
