import Testing
@testable import ExprParse

@Suite("Printer and dump")
struct PrinterTests {
    @Test("minimal parentheses and spacing", arguments: [
        ("x^2+2*y", "x^2 + 2*y"),
        ("(x+y)*z", "(x + y)*z"),
        ("-x^2", "-x^2"),
        ("(-x)^2", "(-x)^2"),
        ("2^-x", "2^-x"),
        ("2^(-x)", "2^-x"),
        ("x^y^z", "x^y^z"),
        ("x^(y^z)", "x^y^z"),
        ("(x^y)^z", "(x^y)^z"),
        ("a-(b-c)", "a - (b - c)"),
        ("(a-b)-c", "a - b - c"),
        ("a+(b+c)", "a + (b + c)"),
        ("a/(b*c)", "a/(b*c)"),
        ("(a/b)*c", "a/b*c"),
        ("a*(b/c)", "a*(b/c)"),
        ("x*(-2)", "x*-2"),
        ("-(x*y)", "-(x*y)"),
        ("(-x)*y", "-x*y"),
        ("-(x+y)", "-(x + y)"),
        ("-(-x)", "--x"),
        ("+x", "+x"),
        ("x - (-y)", "x - -y"),
        ("sigmoid(x)*(1-sigmoid(x))", "sigmoid(x)*(1 - sigmoid(x))"),
        ("max(a,b)", "max(a, b)"),
        ("pow(x + 1, 2)", "pow(x + 1, 2)"),
        ("2.50e+3 * x", "2.50e+3*x"),
        ("((((x))))", "x"),
        ("2^(x*y)", "2^(x*y)"),
        ("(2^x)*y", "2^x*y"),
        ("a^(-b*c)", "a^(-b*c)"),
        ("(-a)^-b", "(-a)^-b"),
    ])
    func golden(input: String, expected: String) {
        #expect(reprinted(input) == expected)
    }

    @Test("printing one expression by id")
    func printOne() {
        let program = Parser.parse("y = 2x + 1; z = y^2").program
        #expect(program.printed(program.statements[0].value) == "2*x + 1")
        #expect(program.printed(program.statements[1].value) == "y^2")
    }

    @Test("dump shows every node with its range; parentheses widen the operand's span")
    func dump() {
        let program = Parser.parse("z = (x + y)z\n-sin(x)").program
        #expect(program.dump() == """
            program
              statement z @1:1-1:13
                binary * @1:5-1:13
                  binary + @1:6-1:11
                    variable x @1:6-1:7
                    variable y @1:10-1:11
                  variable z @1:12-1:13
              statement @2:1-2:8
                unary - @2:1-2:8
                  call sin @2:2-2:8
                    variable x @2:6-2:7
            """)
    }

    @Test("structural equality ignores ranges but not shape or spelling")
    func structuralEquality() {
        let a = Parser.parse("y = (x + 1)*2").program
        #expect(a.structurallyEqual(Parser.parse("y=(x+1)  *  2").program))
        #expect(a.structurallyEqual(Parser.parse("y = (x + 1)2").program))
        #expect(!a.structurallyEqual(Parser.parse("y = x + 1*2").program))
        #expect(!a.structurallyEqual(Parser.parse("w = (x + 1)*2").program))
        #expect(!a.structurallyEqual(Parser.parse("y = (x + 1)*2.0").program))
        #expect(!a.structurallyEqual(Parser.parse("y = (x + 1)*2; y").program))
    }
}
