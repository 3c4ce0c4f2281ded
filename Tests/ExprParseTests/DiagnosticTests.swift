import Testing
@testable import ExprParse

/// Golden renderings: the exact message, the caret column and the underline of every error.
@Suite("Diagnostics")
struct DiagnosticTests {
    @Test("unknown function with a suggestion")
    func unknownFunction() {
        #expect(rendered("x + sigmod(x)") == """
            input:1:5: error: unknown function 'sigmod'; did you mean 'sigmoid'?
            x + sigmod(x)
                ^~~~~~
            note: to multiply, write 'sigmod*(...)'
            """)
    }

    @Test("unknown function without a suggestion")
    func unknownFunctionNoSuggestion() {
        #expect(rendered("theta(x + 1)") == """
            input:1:1: error: unknown function 'theta'
            theta(x + 1)
            ^~~~~
            note: to multiply, write 'theta*(...)'
            """)
    }

    @Test("suggestions", arguments: [
        ("sigmod", "sigmoid"), ("sgimoid", "sigmoid"), ("Sin", "sin"), ("sqr", "sqrt"), ("tanhh", "tanh"),
        ("sn", "sin"), ("expp", "exp"), ("lg", "ln"),
    ])
    func suggestion(name: String, expected: String) {
        #expect(Suggestions.nearestFunction(to: name) == expected)
    }

    @Test("no suggestion beyond two edits", arguments: ["theta", "velocity", "qwerty"])
    func noSuggestion(name: String) {
        #expect(Suggestions.nearestFunction(to: name) == nil)
    }

    @Test("wrong arity points at the whole call")
    func wrongArity() {
        #expect(rendered("1 + pow(x)") == """
            input:1:5: error: 'pow' takes 2 arguments, got 1
            1 + pow(x)
                ^~~~~~
            """)
        #expect(rendered("log(x, y)") == """
            input:1:1: error: 'log' takes 1 argument, got 2
            log(x, y)
            ^~~~~~~~~
            """)
        #expect(rendered("sin()") == """
            input:1:1: error: 'sin' takes 1 argument, got 0
            sin()
            ^~~~~
            """)
    }

    @Test("two numbers side by side")
    func adjacentNumbers() {
        #expect(rendered("2 3") == """
            input:1:1: error: two numbers side by side
            2 3
            ^~~
            note: write '2*3' to multiply
            """)
    }

    @Test("a number after a name or ')'", arguments: [("x 2", 3), ("(x)2", 4), ("x^2 y 3", 7)])
    func missingOperator(input: String, column: Int) {
        let diagnostics = Parser.parse(input).diagnostics
        #expect(diagnostics.map(\.id) == ["missing-operator"])
        #expect(diagnostics.first?.range.start.column == column)
        #expect(diagnostics.first?.message == "expected an operator before '\(input.last.map(String.init) ?? "")'")
    }

    @Test("non-ASCII characters: the caret counts characters")
    func unexpectedCharacter() {
        #expect(rendered("x × y") == """
            input:1:3: error: unexpected character '×'
            x × y
              ^
            note: write '*' to multiply
            """)
        #expect(rendered("θ + sigmod(x)") == """
            input:1:1: error: unexpected character 'θ'
            θ + sigmod(x)
            ^

            input:1:5: error: unknown function 'sigmod'; did you mean 'sigmoid'?
            θ + sigmod(x)
                ^~~~~~
            note: to multiply, write 'sigmod*(...)'
            """)
    }

    @Test("hints for pasted symbols", arguments: [
        ("a·b", "note: write '*' to multiply", "a*b"),
        ("a⋅b", "note: write '*' to multiply", "a*b"),
        ("a∗b", "note: write '*' to multiply", "a*b"),
        ("a÷b", "note: write '/' to divide", "a/b"),
        ("a−b", "note: write '-' (the ASCII minus sign)", "a - b"),
        ("a–b", "note: write '-' (the ASCII minus sign)", "a - b"),
        ("√x", "note: write 'sqrt(...)' for a square root", "x"),
        ("2π", "note: write 'pi'", "2*pi"),
        ("x²", "note: write '^2'", "x^2"),
        ("x³", "note: write '^3'", "x^3"),
    ])
    func characterHints(input: String, note: String, recovered: String) {
        let result = Parser.parse(input)
        #expect(result.diagnostics.map(\.id) == ["unexpected-character"])
        #expect(result.diagnostics.first?.notes == [note])
        #expect(result.program.printed() == recovered)
    }

    @Test("symbols without an obvious replacement get no hint", arguments: ["a ≤ b", "a ≥ b", "a != b", "a & b"])
    func noHint(input: String) {
        let diagnostics = Parser.parse(input).diagnostics
        #expect(diagnostics.first?.id == "unexpected-character")
        #expect(diagnostics.first?.notes == [])
    }

    @Test("unclosed parenthesis points at the '(' that is never closed")
    func unclosedParenthesis() {
        #expect(rendered("2*(x + (y - 1)") == """
            input:1:3: error: '(' is never closed
            2*(x + (y - 1)
              ^
            note: expected ')' before end of input
            """)
        #expect(rendered("x = (a + 1\ny = 2") == """
            input:1:5: error: '(' is never closed
            x = (a + 1
                ^
            note: expected ')' before end of line
            """)
    }

    @Test("unmatched ')'")
    func strayParenthesis() {
        #expect(rendered("x + 1) * 2") == """
            input:1:6: error: unmatched ')'
            x + 1) * 2
                 ^
            """)
    }

    @Test("a missing operand points at the operator that wants it", arguments: [
        ("x +", "input:1:3: error: expected an expression after '+'\nx +\n  ^"),
        ("x * * y", "input:1:3: error: expected an expression after '*'\nx * * y\n  ^"),
        ("x +* y", "input:1:3: error: expected an expression after '+'\nx +* y\n  ^"),
        ("()", "input:1:1: error: expected an expression after '('\n()\n^"),
        ("max(a, )", "input:1:6: error: expected an expression after ','\nmax(a, )\n     ^"),
        ("y =", "input:1:3: error: expected an expression after '='\ny =\n  ^"),
        ("* x", "input:1:1: error: expected an expression before '*'\n* x\n^"),
        ("x ^", "input:1:3: error: expected an expression after '^'\nx ^\n  ^"),
        ("x **", "input:1:3: error: expected an expression after '**'\nx **\n  ^~"),
    ])
    func missingOperand(input: String, expected: String) {
        #expect(rendered(input) == expected)
    }

    @Test("names: reserved, assigned twice, used before assignment")
    func names() {
        #expect(rendered("pi = 3") == """
            input:1:1: error: cannot assign to 'pi': it is the constant pi (π, 3.14159...)
            pi = 3
            ^~
            note: 'pi' is reserved; use another name, such as 'pi1', here and where the value is read
            """)
        #expect(rendered("sin = 2") == "input:1:1: error: cannot assign to 'sin': it is a function\nsin = 2\n^~~")
        #expect(rendered("x = 1\nx = 2") == """
            input:2:1: error: 'x' is assigned twice
            x = 2
            ^
            note: 'x' is first assigned at 1:1
            """)
        #expect(rendered("y = x + 1; x = 2") == """
            input:1:5: error: 'x' is used before it is assigned
            y = x + 1; x = 2
                ^
            note: 'x' is assigned at 1:12
            """)
        #expect(diagnosticIDs("x = x + 1") == ["use-before-assignment"])
        #expect(rendered("sin + 1") == """
            input:1:1: error: 'sin' is a function; call it as 'sin(...)'
            sin + 1
            ^~~
            """)
    }

    @Test("the TA's staging written as a program: 'e' is Euler's number, and the note offers a free name")
    func reservedStageName() {
        let source = "a = ln(x); b = sqrt(y); c = sigmoid(b); d = a*c; e = x + y; g = e^2; h = sigmoid(g); f = d/h"
        #expect(rendered(source) == """
            input:1:50: error: cannot assign to 'e': it is the constant e (Euler's number, 2.71828...)
            a = ln(x); b = sqrt(y); c = sigmoid(b); d = a*c; e = x + y; g = e^2; h = sigmoid(g); f = d/h
                                                             ^
            note: 'e' is reserved; use another name, such as 'e1', here and where the value is read
            """)
        // The suggestion is a name the program does not use.
        let taken = Parser.parse("e1 = x; e = e1 + 1; e2 = e; e2").diagnostics
        #expect(taken.map(\.id) == ["assign-to-constant"])
        #expect(taken.first?.notes == ["note: 'e' is reserved; use another name, such as 'e3', here and where the value is read"])
    }

    @Test("an unused bare expression is a warning, not an error")
    func unusedExpression() {
        let result = Parser.parse("x + 1; y = 2")
        #expect(!result.hasErrors)
        #expect(rendered("x + 1; y = 2") == """
            input:1:1: warning: expression result is unused
            x + 1; y = 2
            ^~~~~
            note: only the last statement is the output; name this one, as in 'y = ...'
            """)
    }

    @Test("empty input", arguments: ["", "   ", "\n\n", "# only a comment", ";;"])
    func emptyInput(input: String) {
        let diagnostics = Parser.parse(input).diagnostics
        #expect(diagnostics.map(\.id) == ["empty-input"])
        #expect(diagnostics.first?.message == "empty input: expected an expression")
    }

    @Test("number out of range")
    func numberOutOfRange() {
        #expect(rendered("2*1e400") == """
            input:1:3: error: number out of range
            2*1e400
              ^~~~~
            note: the largest number is about 1.8e308
            """)
    }

    @Test("misplaced '=' and ','")
    func unexpectedTokens() {
        #expect(rendered("f(x) = 3") == """
            input:1:6: error: unexpected '='
            f(x) = 3
                 ^
            note: only a single name can be assigned, as in 'y = 2*x'
            """)
        #expect(diagnosticIDs("(a, b)") == ["unexpected-token"])
        #expect(diagnosticIDs("a, b") == ["unexpected-token"])
        #expect(diagnosticIDs("3.x") == ["malformed-number"])
    }

    @Test("several problems are all reported, in source order")
    func collectsErrors() {
        let source = "a = 2 3\nb = sigmod(a) +\nc = pow(a)\nc"
        #expect(diagnosticIDs(source) == ["adjacent-numbers", "unknown-function", "expected-expression", "wrong-arity"])
    }

    @Test("rendering: tabs become one space, multi-line ranges end at the line end, no trailing spaces")
    func renderingDetails() {
        #expect(rendered("\tx + sigmod(y)   ") == """
            input:1:6: error: unknown function 'sigmod'; did you mean 'sigmoid'?
             x + sigmod(y)
                 ^~~~~~
            note: to multiply, write 'sigmod*(...)'
            """)
        let start = SourceLocation(line: 1, column: 3, offset: 2)
        let end = SourceLocation(line: 2, column: 2, offset: 7)
        let diagnostic = Diagnostic(.error, id: "test", "spans lines", at: SourceRange(start: start, end: end))
        #expect(diagnostic.render(source: "a (bc\nd)", fileName: "f.sd") == "f.sd:1:3: error: spans lines\na (bc\n  ^~~")
        let atEnd = Diagnostic(.warning, id: "test", "at end", at: SourceRange(start: end, end: end))
        #expect(atEnd.render(source: "a (bc\nd)") == "input:2:2: warning: at end\nd)\n ^")
    }

    @Test("a long line is shown as a window around the range, '...' marking what is left out")
    func longLineWindow() {
        // Range near the end of a 207-column line: the last 120 columns, cut on the left.
        let end = String(repeating: "x+", count: 100) + "x + y×z"
        #expect(rendered(end) == """
            input:1:206: error: unexpected character '×'
            ...\(end.dropFirst(87))
            \(String(repeating: " ", count: 3 + 206 - 88))^
            note: write '*' to multiply
            """)
        // Range in the middle: 40 columns before it, 120 in all, cut on both sides.
        let middle = String(repeating: "x+", count: 100) + "y×z+" + String(repeating: "x+", count: 100) + "x"
        #expect(rendered(middle) == """
            input:1:202: error: unexpected character '×'
            ...\(middle.dropFirst(161).prefix(120))...
            \(String(repeating: " ", count: 43))^
            note: write '*' to multiply
            """)
        // A range running past the window is underlined to its edge.
        let long = "a = 1; " + String(repeating: "x + ", count: 100) + "x; a"
        let lines = rendered(long).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "input:1:8: warning: expression result is unused")
        #expect(lines[1] == "a = 1; " + String(repeating: "x + ", count: 28) + "x...")
        #expect(lines[2] == "       ^" + String(repeating: "~", count: 112))
    }

    @Test("a bad character at the end of a 1 MB line gives a short diagnostic, caret aligned")
    func megabyteLine() {
        let source = String(repeating: "x+", count: 500_000) + "x + y×z"
        let text = rendered(source)
        #expect(text.utf8.count < 400)
        let lines = text.split(separator: "\n").map(Array.init)
        #expect(lines.count == 4)
        #expect(lines[1].count == 123)
        #expect(lines[2].count == 122 && lines[2].last == "^")
        #expect(lines[1][121] == "×")
    }

    @Test("control characters are escaped in the message and the echoed line")
    func controlCharacters() {
        #expect(rendered("x + \u{1B}[31m") == """
            input:1:5: error: unexpected character '\\u{1B}'
            x + \\u{1B}[31m
                ^~~~~~

            input:1:6: error: '[' is never closed
            x + \\u{1B}[31m
                      ^
            note: expected ']' before end of input
            """)
        #expect(rendered("x\u{0}") == """
            input:1:2: error: unexpected character '\\u{0}'
            x\\u{0}
             ^~~~~
            """)
        // A right-to-left override would reorder the echoed text: shown as its code point.
        #expect(Parser.parse("x\u{202E}").diagnostics.first?.message == "unexpected character '\\u{202E}'")
    }

    @Test("a UTF-8 byte-order mark at the start is skipped, and columns do not count it")
    func byteOrderMark() {
        let result = Parser.parse("\u{FEFF}x^2 + 1")
        #expect(result.diagnostics.isEmpty)
        #expect(result.program.printed() == "x^2 + 1")
        #expect(rendered("\u{FEFF}x + sigmod(x)") == """
            input:1:5: error: unknown function 'sigmod'; did you mean 'sigmoid'?
            x + sigmod(x)
                ^~~~~~
            note: to multiply, write 'sigmod*(...)'
            """)
        // Anywhere else it is an unexpected (and invisible, so escaped) character.
        #expect(rendered("x\u{FEFF}") == "input:1:2: error: unexpected character '\\u{FEFF}'\nx\\u{FEFF}\n ^~~~~~~~")
    }

    @Test("too many errors stops with a final diagnostic")
    func tooManyErrors() {
        let source = String(repeating: "x * * ", count: 500) + "x"
        let diagnostics = Parser.parse(source).diagnostics
        #expect(diagnostics.count == Parser.maxDiagnostics + 1)
        #expect(diagnostics.last?.id == "too-many-errors")
        let garbage = String(repeating: "≤", count: 100_000)
        #expect(Parser.parse(garbage).diagnostics.count == Parser.maxDiagnostics + 1)
    }
}
