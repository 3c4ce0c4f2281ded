import Testing
@testable import ExprParse

@Suite("Programs and worksheets")
struct ProgramTests {
    /// Every input in /work/shared/WORKSHEETS.md, as a student would type it.
    static let worksheetInputs = [
        "(x + y)z",
        "(x^2 + 2y)z^3",
        "(ln(x) + sin(y))^2 + 4x",
        "1/(1 + e^-x)",
        "a = -x; b = e^a; c = 1 + b; d = 1/c",
        "sigmoid(x)*(1 - sigmoid(x))",
        "ln(x)*sigmoid(sqrt(y))/sigmoid((x+y)^2)",
        "a = ln(x); b = sqrt(y); c = sigmoid(b); d = a*c; e2 = x+y; g = e2^2; h = sigmoid(g); f = d/h",
        "x = ln(t); y = t^3/3; z = 2x + y",
        "x = t^2; y = 2t; z = x^2 y - y^2",
        "x = 3a + 2b; y = 4a - b; z = 3x^2 - 2x y + y^2",
        "sin(theta*x1 + x2) + theta*x2^2",
        "a = x + y; f = a * z",
    ]

    @Test("every worksheet input parses without diagnostics", arguments: worksheetInputs)
    func worksheet(input: String) {
        let result = Parser.parse(input)
        #expect(result.diagnostics.isEmpty, "\(rendered(input))")
        #expect(!result.program.statements.isEmpty)
    }

    @Test("worksheet inputs print as expected", arguments: [
        ("(x^2 + 2y)z^3", "(x^2 + 2*y)*z^3"),
        ("(ln(x) + sin(y))^2 + 4x", "(ln(x) + sin(y))^2 + 4*x"),
        ("1/(1 + e^-x)", "1/(1 + e^-x)"),
        ("x = 3a + 2b; y = 4a - b; z = 3x^2 - 2x y + y^2",
         "x = 3*a + 2*b\ny = 4*a - b\nz = 3*x^2 - 2*x*y + y^2"),
        ("sin(theta*x1 + x2) + theta*x2^2", "sin(theta*x1 + x2) + theta*x2^2"),
    ])
    func worksheetPrinting(input: String, expected: String) {
        #expect(reprinted(input) == expected)
    }

    @Test("inputs, output and assigned names of a chain-rule program")
    func chainRuleProgram() {
        let program = Parser.parse("x = ln(t); y = t^3/3; z = 2x + y").program
        #expect(program.inputs == ["t"])
        #expect(program.outputName == "z")
        #expect(program.assignedNames == ["x", "y", "z"])
        #expect(program.statements.count == 3)
    }

    @Test("inputs in order of first appearance; constants and functions are not inputs")
    func inputsInOrder() {
        let program = Parser.parse("sin(theta*x1 + x2) + theta*x2^2 + pi*e").program
        #expect(program.inputs == ["theta", "x1", "x2"])
        #expect(program.outputName == nil)
    }

    @Test("separators, blank statements, comments and continuation lines")
    func layout() {
        let source = """
            # a comment line

            a = x + 1   # trailing comment
            b = a *
                2;;
            c = max(a,
                    b);
            """
        let result = Parser.parse(source)
        #expect(result.diagnostics.isEmpty, "\(rendered(source))")
        #expect(result.program.printed() == "a = x + 1\nb = a*2\nc = max(a, b)")
    }

    @Test("CRLF line endings separate statements and count as one line break")
    func crlf() {
        let source = "a = 1\r\nb = a + 2x\r\n"
        let result = Parser.parse(source)
        #expect(result.diagnostics.isEmpty)
        #expect(result.program.statements.map(\.name) == ["a", "b"])
        #expect(result.program.statements[1].range.description == "2:1-2:11")
    }

    @Test("Unicode line separators break lines; Unicode spaces separate tokens")
    func unicodeLayout() {
        let result = Parser.parse("a = 1\u{2028}b = 2\u{00A0}a")
        #expect(result.diagnostics.isEmpty)
        #expect(result.program.printed() == "a = 1\nb = 2*a")
        #expect(result.program.statements[1].range.description == "2:1-2:8")
    }

    @Test("log is the natural logarithm")
    func logAlias() {
        let program = Parser.parse("log(x)").program
        guard let output = program.output, case .call(let function, let arguments) = program[output.value].kind else {
            Issue.record("expected a call")
            return
        }
        #expect(function == .ln)
        #expect(arguments.count == 1)
        #expect(program.printed() == "ln(x)")
    }

    @Test("every function parses with its arity", arguments: Function.allCases)
    func everyFunction(function: Function) {
        for spelling in function.spellings {
            let arguments = (0..<function.arity).map { "x\($0)" }.joined(separator: ", ")
            let source = "\(spelling)(\(arguments))"
            let program = Parser.parse(source).program
            #expect(rendered(source) == "")
            guard let output = program.output, case .call(let parsed, let ids) = program[output.value].kind else {
                Issue.record("\(source) is not a call")
                continue
            }
            #expect(parsed == function)
            #expect(ids.count == function.arity)
        }
    }

    @Test("numbers keep their text", arguments: [
        ("3", 3.0), ("3.14", 3.14), (".5", 0.5), ("1e-3", 0.001), ("2.5E+4", 25000.0), ("1E5", 100000.0),
        ("007", 7.0), ("1e-400", 0.0),
    ])
    func numbers(text: String, value: Double) {
        let program = Parser.parse(text).program
        guard let output = program.output, case .number(let literal) = program[output.value].kind else {
            Issue.record("\(text) is not a number")
            return
        }
        #expect(literal.text == text)
        #expect(literal.value == value)
    }

    @Test("constants are constants")
    func constants() {
        let program = Parser.parse("pi + e").program
        #expect(program.dump() == """
            program
              statement @1:1-1:7
                binary + @1:1-1:7
                  constant pi @1:1-1:3
                  constant e @1:6-1:7
            """)
    }
}
