import Testing
@testable import ExprParse

@Suite("Implicit multiplication")
struct ImplicitMultiplicationTests {
    @Test("binds like *", arguments: [
        ("4x", "(4*x)"),
        ("2y", "(2*y)"),
        ("3x^2", "(3*(x^2))"),
        ("1/2x", "((1/2)*x)"),
        ("2(x+y)", "(2*(x + y))"),
        ("(x+1)(x-1)", "((x + 1)*(x - 1))"),
        ("(x^2 + 2y)z^3", "(((x^2) + (2*y))*(z^3))"),
        ("x(y+1)", "(x*(y + 1))"),
        ("2 sin(x)", "(2*sin(x))"),
        ("x y", "(x*y)"),
        ("2x y", "((2*x)*y)"),
        ("x^2 y", "((x^2)*y)"),
        ("2^3x", "((2^3)*x)"),
        ("-2x", "((-2)*x)"),
        ("a/b c", "((a/b)*c)"),
        ("2pi", "(2*pi)"),
        ("2e", "(2*e)"),
        ("pi(x + 1)", "(pi*(x + 1))"),
        ("2 e^x", "(2*(e^x))"),
        ("x sin(x)cos(x)", "((x*sin(x))*cos(x))"),
    ])
    func implicit(input: String, expected: String) {
        #expect(parenthesized(input) == expected)
    }

    @Test("a run of letters is one name")
    func oneIdentifier() {
        let program = Parser.parse("xy").program
        #expect(program.inputs == ["xy"])
        #expect(program.printed() == "xy")
    }

    @Test("a name assigned earlier multiplies a parenthesis")
    func assignedNameBeforeParenthesis() {
        let result = Parser.parse("ab = 2\nab(x + 1)")
        #expect(result.diagnostics.isEmpty)
        #expect(result.program.printed() == "ab = 2\nab*(x + 1)")
    }

    @Test("a longer unknown name before a parenthesis is an unknown function, even with a space")
    func unknownNameBeforeParenthesis() {
        #expect(diagnosticIDs("theta(x + 1)") == ["unknown-function"])
        #expect(diagnosticIDs("theta (x + 1)") == ["unknown-function"])
        #expect(diagnosticIDs("theta*(x + 1)") == [])
        #expect(diagnosticIDs("theta x") == [])
    }
}
