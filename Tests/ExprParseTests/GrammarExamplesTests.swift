import Testing
@testable import ExprParse

/// The worked examples of grammar.md section 9, so the document cannot drift from the parser.
@Suite("grammar.md worked examples")
struct GrammarExamplesTests {
    @Test("parsed as documented", arguments: [
        ("(x + y)z", "((x + y)*z)"),
        ("(x^2 + 2y)z^3", "(((x^2) + (2*y))*(z^3))"),
        ("(ln(x) + sin(y))^2 + 4x", "(((ln(x) + sin(y))^2) + (4*x))"),
        ("1/(1 + e^-x)", "(1/(1 + (e^(-x))))"),
        ("x = 3a + 2b; y = 4a - b; z = 3x^2 - 2x y + y^2", "(((3*(x^2)) - ((2*x)*y)) + (y^2))"),
        ("sin(theta*x1 + x2) + theta*x2^2", "(sin(((theta*x1) + x2)) + (theta*(x2^2)))"),
        ("-2^2", "(-(2^2))"),
        ("1/2x", "((1/2)*x)"),
        ("2e-3x", "(2e-3*x)"),
        ("e^-x^2", "(e^(-(x^2)))"),
        ("pi(r)", "(pi*r)"),
    ])
    func example(input: String, expected: String) {
        #expect(parenthesized(input) == expected)
    }

    @Test("documented errors", arguments: [
        ("x + sigmod(x)", "unknown-function"), ("2 3", "adjacent-numbers"), ("e = x + y", "assign-to-constant"),
        ("sin x", "function-without-call"), ("x 2", "missing-operator"),
    ])
    func error(input: String, id: String) {
        #expect(diagnosticIDs(input) == [id])
    }
}
