import ExprParse
import Foundation
import Symbolic
import Testing

/// How the backward pass writes its signs (`Gradient.backwardSteps`): never a leading negation
/// that another contribution could absorb, no `dk = -dl` feeding a constant partial, and op
/// counts that follow the lines (the gradient-cost target counts them against CasADi's).
@Suite struct BackwardStepsTests {
    static func listing(_ source: String) throws -> String {
        try gradient(source).backwardLines(InputLanguage(spaced: true)).listing
    }

    /// wide's term: `dx = -dd` then `dx += ...` cost a negation and an addition; the negated
    /// term now joins the next contribution, `dx = ... - dd`, one subtraction.
    @Test func aNegatedFirstTermJoinsTheNextContribution() throws {
        #expect(try Self.listing("x^2*exp(-x)") == """
            da = c
            dc = a
            db = dc * c
            dx = da * (2 * x) - db
            """)
        // Followed by a contribution that subtracts as well: `-db - dd`, one line.
        #expect(try Self.listing("exp(-x) - sin(x)") == "da = b\ndx = -cos(x) - da")
    }

    /// The seed through a negation into a constant partial of an array: the sign goes into
    /// the stretched constant (it was dropped: `sum(1 - x/0.3)` printed, and emitted NumPy
    /// returned, dx = +10/3; found by the tensor property tests on other seeds).
    @Test func aNegatedSeedIntoAStretchedConstantKeepsItsSign() throws {
        #expect(try Self.listing("x: (1, 4); sum(1 - x / 0.3)") == "dx = broadcast_to(-10/3, (1, 4))")
        #expect(try Self.listing("s: (3, 2); sum(s - -s)") == "ds = broadcast_to(1, (3, 2))\nds += broadcast_to(1, (3, 2))")
    }

    /// A negated term that nothing follows stays a negation (the only place it can go).
    @Test func aLoneNegatedTermIsANegation() throws {
        #expect(try Self.listing("exp(-x)") == "da = out\ndx = -da")
    }

    /// The issue's mlp: `di = -dj; dw = di * c` is one multiplication by -c.
    @Test func aNegationFoldsIntoAConstantPartial() throws {
        let text = try Self.listing("tanh(0.109*w1 - 0.231*w2 + b)")
        #expect(text == """
            dg = 1 - out * out
            dd = dg
            db = dg
            da = dd
            dw2 = dd * (-231/1000)
            dw1 = da * (109/1000)
            """)
        // The same fold as code prints the coefficient as one decimal constant.
        let g = try gradient("tanh(0.109*w1 - 0.231*w2 + b)")
        let code = g.backwardLines(DecimalLanguage()).listing
        #expect(code.contains("dw2 = dd * -0.231"), "\(code)")
    }

    /// A negated adjoint read by two lines that would each need their own negation is written
    /// once (`dd = -dg`), not folded into both.
    @Test func aNegationReadTwiceIsWrittenOnce() throws {
        #expect(try Self.listing("sin(a - b*c)") == """
            dg = cos(g)
            da = dg
            dd = -dg
            db = dd * c
            dc = dd * b
            """)
    }

    /// Counts follow the lines: the wide family's term costs 9 backward ops (CasADi's count),
    /// not 10, and the issue's mlp pays nothing for its negative coefficients.
    @Test func opCountsFollowTheLines() throws {
        let n = 8
        var wide = "s1 = sin(x1*x2) + x1^2*exp(-x1)\n"
        for i in 2...n { wide += "\(i == n ? "f" : "s\(i)") = s\(i - 1) + sin(x\(i)*x\(i % n + 1)) + x\(i)^2*exp(-x\(i))\n" }
        let wideCounts = try gradient(wide).opCounts()
        #expect(wideCounts.forward == 8 * n - 1)
        #expect(wideCounts.backward == 9 * n)

        // d = 3 hidden units of 3 weights: forward 3*(2*3 + 1) + 2*3 + 2, backward 3*(3 + 5) + 1.
        var mlp = ""
        for j in 1...3 { mlp += "h\(j) = tanh(0.819*w\(j)_1 + 0.638*w\(j)_2 - 0.457*w\(j)_3 + b\(j))\n" }
        mlp += "o = v1*h1 + v2*h2 + v3*h3 + c\nloss = (o - 0.5)^2\n"
        let mlpCounts = try gradient(mlp).opCounts()
        #expect(mlpCounts.forward == 29)
        #expect(mlpCounts.backward == 25)
    }

    /// The lines still compute the evaluator's gradient, whatever the folding did.
    @Test(arguments: ["x^2*exp(-x) + sin(x*y)", "exp(-x) - sin(x)", "sin(x) - exp(-x)", "exp(-x)*y - x", "tanh(0.109*w1 - 0.231*w2 + b)",
                      "sin(a - b*c) + cos(a - b*c)*exp(b)", "-(-x*y) - x", "x - (y - (z - x*y))"])
    func linesAgreeWithTheEvaluator(_ source: String) throws {
        let g = try gradient(source)
        let point = g.staged.inputs.indices.map { 0.3 + 0.17 * Double($0) }
        let expected = g.evaluate(at: point)
        var environment = Dictionary(uniqueKeysWithValues: zip(g.staged.inputs, point))
        for line in g.staged.forwardLines(InputLanguage(spaced: true)) + g.backwardLines(InputLanguage(spaced: true)) {
            let parsed = try Gradient(source: line.expression)
            let value = parsed.value(at: parsed.staged.inputs.map { environment[$0] ?? .nan })
            environment[line.name] = line.accumulates ? (environment[line.name] ?? .nan) + (line.subtracts ? -value : value) : value
        }
        for (index, input) in g.staged.inputs.enumerated() {
            let got = g.adjointNames[g.staged.inputNodes[index]].flatMap { environment[$0] } ?? .nan
            #expect(close(got, expected.gradient[index]), "\(source): d\(input) = \(got), the evaluator says \(expected.gradient[index])")
        }
    }
}

/// The input language with coefficients as one decimal constant, as code prints them.
private struct DecimalLanguage: Dialect {
    let base = InputLanguage(spaced: true)
    func number(_ value: Number) -> Printed {
        if case .rational(let r) = value, let decimal = r.decimalText { return Printed(decimal, Printed.Level.atom) }
        return base.number(value)
    }
    func constant(_ constant: NamedConstant) -> Printed { base.constant(constant) }
    func variable(_ name: String) -> Printed { base.variable(name) }
    func call(_ function: Function, _ arguments: [String]) -> Printed { base.call(function, arguments) }
    func power(_ base: Printed, _ exponent: Printed) -> Printed { self.base.power(base, exponent) }
    var times: String { base.times }
    var over: String { base.over }
    var splitsCoefficients: Bool { false }
}

/// `forEachBackwardStep` hands out the steps `backwardSteps` lists, in order, without the array
/// (code generation writes each as it comes; the array was 30 MB at 10^6 ops).
@Suite struct BackwardStepVisitorTests {
    @Test(arguments: ["x^2*exp(-x)", "exp(-x) - sin(x)", "tanh(0.109*w1 - 0.231*w2 + b)",
                      "a = sin(x)*x + y\nb = sin(a)*a + y\nc = -b + a*b\nc", "(x + y)z", "x - y - z + -x*y"])
    func theVisitorSeesTheListedSteps(source: String) throws {
        let g = try gradient(source)
        var visited: [BackwardStep] = []
        g.forEachBackwardStep { visited.append($0) }
        #expect(!visited.isEmpty)
        #expect(visited == g.backwardSteps)
    }
}

/// `StagedProgram.equationIndex(of:)` finds each equation by its node (the emitter's `from:`
/// comments look the forward line up this way) and nothing else.
@Suite struct EquationIndexTests {
    @Test(arguments: ["a = sin(x)*x + y\nb = sin(a)*a + y\nb", "(x + y)z", "x^2*exp(-x) + sin(x*y)", "tanh(0.109*w1 - 0.231*w2 + b)"])
    func everyEquationIsFoundAtItsIndex(source: String) throws {
        let staged = try gradient(source).staged
        #expect(!staged.equations.isEmpty)
        for (index, equation) in staged.equations.enumerated() {
            #expect(staged.equationIndex(of: equation.node) == index)
        }
        for node in staged.inputNodes { #expect(staged.equationIndex(of: node) == nil) }
        #expect(staged.equationIndex(of: NodeID(staged.graph.count + 5)) == nil)
    }
}
