import Testing
@testable import ExprParse

@Suite("Precedence and associativity")
struct PrecedenceTests {
    @Test("binds as the precedence table says", arguments: [
        ("1 + 2 * 3", "(1 + (2*3))"),
        ("1 * 2 + 3", "((1*2) + 3)"),
        ("a - b - c", "((a - b) - c)"),
        ("a - b + c", "((a - b) + c)"),
        ("a / b / c", "((a/b)/c)"),
        ("a / b * c", "((a/b)*c)"),
        ("a * b / c", "((a*b)/c)"),
        ("x ^ y ^ z", "(x^(y^z))"),
        ("x ** y ** z", "(x^(y^z))"),
        ("x ** 2 * 3", "((x^2)*3)"),
        ("-x^2", "(-(x^2))"),
        ("-2^2", "(-(2^2))"),
        ("2^-x", "(2^(-x))"),
        ("2^-x^2", "(2^(-(x^2)))"),
        ("2^-x*3", "((2^(-x))*3)"),
        ("-x*y", "((-x)*y)"),
        ("-x + y", "((-x) + y)"),
        ("--x", "(-(-x))"),
        ("-+x", "(-(+x))"),
        ("x - -y", "(x - (-y))"),
        ("x*-2", "(x*(-2))"),
        ("a + b*c^d", "(a + (b*(c^d)))"),
        ("a^b*c + d", "(((a^b)*c) + d)"),
        ("(a + b)*c", "((a + b)*c)"),
        ("(x^y)^z", "((x^y)^z)"),
        ("(-x)^2", "((-x)^2)"),
        ("x^(-1)", "(x^(-1))"),
        ("e^-x", "(e^(-x))"),
        ("sin(x)^2", "(sin(x)^2)"),
        ("-sin(x)", "(-sin(x))"),
    ])
    func binding(input: String, expected: String) {
        #expect(parenthesized(input) == expected)
    }

    @Test("the table in BinaryOperator matches the grammar")
    func operatorTable() {
        #expect(BinaryOperator.add.precedence == 1)
        #expect(BinaryOperator.subtract.precedence == 1)
        #expect(BinaryOperator.multiply.precedence == 2)
        #expect(BinaryOperator.divide.precedence == 2)
        #expect(BinaryOperator.unaryPrecedence == 3)
        #expect(BinaryOperator.power.precedence == 4)
        #expect(BinaryOperator.allCases.filter(\.isRightAssociative) == [.power])
    }

    @Test("number literals are never negative: minus is a unary node")
    func negativeLiteral() {
        let program = Parser.parse("-3").program
        guard let output = program.output else {
            Issue.record("no output")
            return
        }
        guard case .unary(.negate, let operand) = program[output.value].kind,
              case .number(let literal) = program[operand].kind else {
            Issue.record("expected unary minus over a literal")
            return
        }
        #expect(literal == NumberLiteral(text: "3", value: 3))
    }
}
