import Codegen
import ExprParse
import Symbolic
import Testing

/// The LaTeX dialect: worksheet answers as a TA would typeset them, every function, names,
/// numbers, and well-formedness over the whole corpus. No TeX installation is needed.
@Suite struct LaTeXTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let source: String
        var variables: [String]? = nil
        var expand = false
        let latex: [String]
        var testDescription: String { source }
    }

    static let worksheets: [Case] = [
        Case(source: "(x + y)z", latex: ["z", "z", "x + y"]),
        Case(source: "(x^2 + 2y)z^3", latex: ["2 x z^{3}", "2 z^{3}", "3 z^{2} \\left(x^{2} + 2 y\\right)"]),
        Case(source: "(ln(x) + sin(y))^2 + 4x", variables: ["x", "y", "z"],
             latex: ["\\frac{2 \\left(\\ln(x) + \\sin(y)\\right)}{x} + 4", "2 \\cos(y) \\left(\\ln(x) + \\sin(y)\\right)", "0"]),
        Case(source: "sigmoid(x)", latex: ["\\sigma(x) \\left(1 - \\sigma(x)\\right)"]),
        Case(source: "sigmoid(x)", expand: true, latex: ["\\frac{e^{-x}}{\\left(e^{-x} + 1\\right)^{2}}"]),
        Case(source: "ln(x)*sigmoid(sqrt(y))/sigmoid((x+y)^2)", latex: [
            "\\frac{\\sigma(\\sqrt{y})}{x \\sigma(\\left(x + y\\right)^{2})} - \\frac{2 \\ln(x) \\sigma(\\sqrt{y}) "
                + "\\left(x + y\\right) \\left(1 - \\sigma(\\left(x + y\\right)^{2})\\right)}{\\sigma(\\left(x + y\\right)^{2})}",
            "\\frac{\\ln(x) \\sigma(\\sqrt{y}) \\left(1 - \\sigma(\\sqrt{y})\\right)}{2 \\sqrt{y} \\sigma(\\left(x + y\\right)^{2})} - "
                + "\\frac{2 \\ln(x) \\sigma(\\sqrt{y}) \\left(x + y\\right) \\left(1 - \\sigma(\\left(x + y\\right)^{2})\\right)}"
                + "{\\sigma(\\left(x + y\\right)^{2})}",
        ]),
        Case(source: "x = ln(t); y = t^3/3; z = 2x + y", latex: ["t^{2} + \\frac{2}{t}"]),
        Case(source: "x = t^2; y = 2t; z = x^2 y - y^2", latex: ["10 t^{4} - 8 t"]),
        Case(source: "x = 3a + 2b; y = 4a - b; z = 3x^2 - 2x y + y^2", latex: ["38 a + 18 b", "18 a + 34 b"]),
        Case(source: "sin(theta*x1 + x2) + theta*x2^2", variables: ["x1", "x2", "theta"],
             latex: ["\\theta \\cos(\\theta x_{1} + x_{2})", "2 \\theta x_{2} + \\cos(\\theta x_{1} + x_{2})",
                     "x_{1} \\cos(\\theta x_{1} + x_{2}) + x_{2}^{2}"]),
    ]

    static func latex(_ gradient: Gradient) -> [String] {
        let printer = Printer(gradient.graph, LaTeXDialect())
        return gradient.closedForm().map { printer.render($0) }
    }

    @Test(arguments: worksheets) func worksheetClosedForms(_ c: Case) throws {
        let gradient = try Gradient(source: c.source, expand: c.expand, variables: c.variables)
        #expect(Self.latex(gradient) == c.latex)
    }

    /// Each function's spelling, on `x` (and `y`).
    static let spellings: [Function: String] = [
        .ln: "\\ln(x)", .log2: "\\log_{2}(x)", .log10: "\\log_{10}(x)", .exp: "e^{x}", .sqrt: "\\sqrt{x}",
        .sin: "\\sin(x)", .cos: "\\cos(x)", .tan: "\\tan(x)", .asin: "\\arcsin(x)", .acos: "\\arccos(x)",
        .atan: "\\arctan(x)", .sinh: "\\sinh(x)", .cosh: "\\cosh(x)", .tanh: "\\tanh(x)", .sigmoid: "\\sigma(x)",
        .relu: "\\operatorname{relu}(x)", .abs: "\\left|x\\right|", .softplus: "\\operatorname{softplus}(x)",
        .sign: "\\operatorname{sign}(x)", .step: "\\operatorname{step}(x)", .max: "\\max(x, y)", .min: "\\min(x, y)",
        .pow: "x^{y}", .xlogy: "\\operatorname{xlogy}(x, y)",
        .stopGradient: "\\operatorname{sg}(x)",
    ]

    /// Every function renders, through the printer where the graph can hold it (`Function.pow`
    /// never appears in a graph: it becomes `Op.pow`, which prints the same).
    @Test(arguments: Function.allCases) func everyFunctionRenders(function: Function) {
        let graph = Graph()
        let arguments = [graph.variable("x"), graph.variable("y")].prefix(function.arity)
        let node = function == .pow ? graph.intern(.pow, Children(arguments)) : graph.intern(.function(function), Children(arguments))
        #expect(Printer(graph, LaTeXDialect()).render(node, literalRoot: true) == Self.spellings[function], "\(function)")
        #expect(LaTeXDialect().call(function, ["x", "y"].prefix(function.arity).map { $0 }).text == Self.spellings[function])
    }

    @Test func aTallArgumentGetsGrowingParentheses() {
        let graph = Graph()
        let x = graph.variable("x"), y = graph.variable("y")
        let sine = graph.intern(.function(.sin), [graph.intern(.div, [x, y])])
        let maximum = graph.intern(.function(.max), [graph.intern(.div, [graph.integer(1), x]), y])
        let text = Printer(graph, LaTeXDialect()).render(graph.intern(.add, [sine, maximum]))
        #expect(text == "\\sin\\left(\\frac{x}{y}\\right) + \\max\\left(\\frac{1}{x}, y\\right)")
    }

    @Test func powersAndFractions() throws {
        let literal = try Gradient(source: "x^-x")
        #expect(Printer(literal.graph, LaTeXDialect()).render(literal.staged.output, literalRoot: true) == "x^{-x}")
        let graph = Graph()
        let x = graph.variable("x"), y = graph.variable("y")
        let printer = Printer(graph, LaTeXDialect())
        #expect(printer.render(graph.rational(1, 2)) == "\\frac{1}{2}")
        #expect(printer.render(graph.rational(-1, 2)) == "-\\frac{1}{2}")
        #expect(printer.render(graph.intern(.pow, [graph.rational(1, 2), x])) == "\\left(\\frac{1}{2}\\right)^{x}")
        #expect(printer.render(graph.intern(.pow, [graph.intern(.add, [x, y]), graph.intern(.add, [x, y])]))
                == "\\left(x + y\\right)^{x + y}")
        #expect(printer.render(graph.intern(.pow, [x, graph.rational(1, 2)])) == "\\sqrt{x}")
        #expect(printer.render(graph.intern(.pow, [x, graph.integer(-2)])) == "\\frac{1}{x^{2}}")
        #expect(printer.render(graph.intern(.pow, [graph.integer(-2), x])) == "\\left(-2\\right)^{x}")
        #expect(printer.render(graph.intern(.pow, [graph.intern(.function(.exp), [x]), y])) == "\\left(e^{x}\\right)^{y}")
        #expect(printer.render(graph.intern(.div, [graph.intern(.add, [x, y]), graph.intern(.sub, [x, y])])) == "\\frac{x + y}{x - y}")
        #expect(printer.render(graph.intern(.neg, [graph.intern(.div, [x, y])])) == "-\\frac{x}{y}")
        #expect(printer.render(graph.intern(.mul, [graph.rational(2, 3), x])) == "\\frac{2 x}{3}")
    }

    @Test func productsNeverRunNumbersTogether() {
        let graph = Graph()
        let x = graph.variable("x"), z = graph.variable("z")
        let printer = Printer(graph, LaTeXDialect())
        #expect(printer.render(graph.intern(.mul, [graph.integer(2), graph.integer(3)])) == "2 \\cdot 3")
        #expect(printer.render(graph.intern(.mul, [graph.integer(2), x, graph.intern(.pow, [z, graph.integer(3)])])) == "2 x z^{3}")
        #expect(printer.render(graph.intern(.mul, [graph.integer(3), graph.intern(.pow, [graph.integer(2), x])])) == "3 \\cdot 2^{x}")
        #expect(printer.render(graph.intern(.mul, [graph.integer(2), graph.intern(.div, [graph.integer(1), x])])) == "2 \\cdot \\frac{1}{x}")
        #expect(printer.render(graph.intern(.mul, [x, graph.intern(.div, [graph.integer(1), z])])) == "x \\frac{1}{z}")
        #expect(printer.render(graph.intern(.mul, [graph.integer(-1), x, z])) == "-x z")
        #expect(printer.render(graph.intern(.mul, [x, graph.intern(.neg, [z])])) == "x \\cdot -z")
        #expect(printer.render(graph.intern(.mul, [x, graph.integer(-3)])) == "x \\cdot -3")
        #expect(printer.render(graph.intern(.mul, [graph.constant(.pi), x])) == "\\pi x")
        #expect(printer.render(graph.intern(.mul, [graph.intern(.add, [x, z]), graph.intern(.sub, [x, z])]))
                == "\\left(x + z\\right) \\left(x - z\\right)")
    }

    @Test func numbers() {
        let dialect = LaTeXDialect()
        #expect(dialect.number(Number(12)).text == "12")
        #expect(dialect.number(.real(0.1)).text == "0.1")
        #expect(dialect.number(.real(1.5e-300)).text == "1.5 \\cdot 10^{-300}")
        #expect(dialect.number(.real(1e300)).text == "10^{300}")
        #expect(dialect.number(.real(.infinity)).text == "\\infty")
        #expect(dialect.number(.real(.nan)).text == "\\mathrm{NaN}")
        #expect(dialect.constant(.pi).text == "\\pi")
        #expect(dialect.constant(.e).text == "e")
    }

    @Test func names() {
        let expected: [String: String] = [
            "x": "x", "X": "X", "x1": "x_{1}", "x12": "x_{12}", "theta": "\\theta", "theta2": "\\theta_{2}",
            "Omega": "\\Omega", "Alpha": "\\mathrm{A}", "omega": "\\omega", "rate": "\\mathit{rate}",
            "x_1": "\\mathit{x\\_1}", "foo_bar": "\\mathit{foo\\_bar}", "_": "\\mathit{\\_}", "sigma": "\\mathit{sigma}",
            "omicron": "\\mathit{omicron}", "xy1": "\\mathit{xy1}", "a{b}\\c": "\\mathit{a\\{b\\}\\backslash{}c}",
        ]
        for (name, latex) in expected { #expect(LaTeXDialect.identifier(name) == latex, "\(name)") }
        #expect(LaTeXDialect().variable("theta").text == "\\theta")
    }

    @Test func partialLine() {
        #expect(latexPartialLine(output: "f", variable: "x", body: "2 x") == "\\frac{\\partial f}{\\partial x} = 2 x")
        #expect(latexPartialLine(output: "out", variable: "theta", body: "x_{1}")
                == "\\frac{\\partial \\mathit{out}}{\\partial \\theta} = x_{1}")
    }

    /// Braces and `\left`/`\right` balance, and nothing of the input language leaks through,
    /// for every closed form of the execution corpus (hostile names included).
    @Test func everyCorpusClosedFormIsWellFormed() throws {
        for c in Corpus.all {
            let gradient = try c.gradient()
            for text in Self.latex(gradient) + [Printer(gradient.graph, LaTeXDialect()).render(gradient.staged.output)] {
                #expect(Self.isBalanced(text), "\(c.source): \(text)")
                #expect(!text.contains("*") && !text.contains("/") && !text.contains("^("), "\(c.source): \(text)")
            }
        }
    }

    static func isBalanced(_ text: String) -> Bool {
        var depth = 0
        var previous: Character = " "
        for character in text {
            if previous != "\\" {
                if character == "{" { depth += 1 }
                if character == "}" { depth -= 1 }
            }
            if depth < 0 { return false }
            previous = previous == "\\" && character == "\\" ? " " : character
        }
        return depth == 0 && text.components(separatedBy: "\\left").count == text.components(separatedBy: "\\right").count
    }
}
