import ExprParse
import Foundation
import Symbolic
import Testing

/// The exercises of shared/WORKSHEETS.md: values, partials, staging and closed forms exactly as
/// a TA's solution gives them.
@Suite struct WorksheetTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let source: String
        let variables: [String]?
        let point: [Double]
        let value: Double
        let gradient: [Double]
        let closedForms: [String]
        var testDescription: String { source }
    }

    static let cases: [Case] = [
        Case(source: "(x + y)z", variables: nil, point: [1, 3, 2], value: 8, gradient: [2, 2, 4],
             closedForms: ["z", "z", "x + y"]),
        Case(source: "(x^2 + 2y)z^3", variables: nil, point: [3, 1, 2], value: 88, gradient: [48, 16, 132],
             closedForms: ["2*x*z^3", "2*z^3", "3*z^2*(x^2 + 2*y)"]),
        Case(source: "(ln(x) + sin(y))^2 + 4x", variables: ["x", "y", "z"], point: [M_E, Double.pi / 2, 2],
             value: 14.873127313836181, gradient: [5.4715177646857693, 0, 0],
             closedForms: ["2*(ln(x) + sin(y))/x + 4", "2*cos(y)*(ln(x) + sin(y))", "0"]),
        Case(source: "sigmoid(x)", variables: nil, point: [2], value: 0.88079707797788244, gradient: [0.10499358540350652],
             closedForms: ["sigmoid(x)*(1 - sigmoid(x))"]),
        Case(source: "ln(x)*sigmoid(sqrt(y))/sigmoid((x+y)^2)", variables: nil, point: [2, 3],
             value: 0.58894952087593247, gradient: [0.42483727646902642, 0.025557593132654144], closedForms: []),
        Case(source: "x = ln(t); y = t^3/3; z = 2x + y", variables: nil, point: [2], value: Foundation.log(2) * 2 + 8.0 / 3,
             gradient: [5], closedForms: ["t^2 + 2/t"]),
        Case(source: "x = t^2; y = 2t; z = x^2 y - y^2", variables: nil, point: [1.5], value: 2 * Foundation.pow(1.5, 5) - 9,
             gradient: [10 * Foundation.pow(1.5, 4) - 12], closedForms: ["10*t^4 - 8*t"]),
        Case(source: "x = 3a + 2b; y = 4a - b; z = 3x^2 - 2x y + y^2", variables: nil, point: [1, 2],
             value: 3 * 49 - 2 * 7 * 2 + 4, gradient: [38 + 36, 18 + 68], closedForms: ["38*a + 18*b", "18*a + 34*b"]),
        Case(source: "sin(theta*x1 + x2) + theta*x2^2", variables: ["x1", "x2", "theta"], point: [1, 2, 0.5],
             value: 2.5984721441039565, gradient: [-0.40057180777346686, 1.1988563844530663, 3.1988563844530663],
             closedForms: ["theta*cos(theta*x1 + x2)", "2*theta*x2 + cos(theta*x1 + x2)", "x1*cos(theta*x1 + x2) + x2^2"]),
    ]

    @Test(arguments: cases) func valuesAndPartials(_ c: Case) throws {
        let g = try gradient(c.source, variables: c.variables)
        let result = g.evaluate(at: c.point)
        #expect(close(result.value, c.value), "value \(result.value) != \(c.value)")
        for (i, expected) in c.gradient.enumerated() {
            // gy of exercise 1c is 0 up to rounding (cos(pi/2) ~ 6e-17).
            #expect(close(result.gradient[i], expected, 1e-12) || Swift.abs(result.gradient[i] - expected) < 1e-15,
                    "d/d\(g.staged.inputs[i]) = \(result.gradient[i]), expected \(expected)")
        }
    }

    @Test(arguments: cases) func closedFormsReadLikeATA(_ c: Case) throws {
        guard !c.closedForms.isEmpty else { return }
        let g = try gradient(c.source, variables: c.variables)
        #expect(g.closedFormText() == c.closedForms)
    }

    @Test(arguments: cases) func closedFormsEvaluateToTheStagedGradient(_ c: Case) throws {
        let g = try gradient(c.source, variables: c.variables)
        let staged = g.evaluate(at: c.point).gradient
        for (i, form) in g.closedFormText().enumerated() {
            let text = zip(g.staged.inputs, c.point).map { "\($0.0) = \($0.1)" }.joined(separator: "; ") + "; \(form)"
            let value = try gradient(text).evaluate(at: []).value
            #expect(close(value, staged[i], 1e-9) || Swift.abs(value - staged[i]) < 1e-12, "\(form) at \(c.point)")
        }
    }

    @Test func gradientDescentStepOnSigmoid() throws {
        let g = try gradient("sigmoid(x)")
        let step = 2 - 0.2 * g.evaluate(at: [2]).gradient[0]
        #expect(close(step, 1.9790012829192987))
    }

    @Test func stagingOfTheFirstExercise() throws {
        let g = try gradient("(x + y)z")
        #expect(g.staged.forwardLines(InputLanguage(spaced: true)).listing == "a = x + y\nout = a * z")
        #expect(g.backwardLines(InputLanguage(spaced: true)).listing == "da = z\ndz = a\ndx = da\ndy = da")
    }

    @Test func complexLayerStagesInEightEquations() throws {
        let g = try gradient("ln(x)*sigmoid(sqrt(y))/sigmoid((x+y)^2)")
        #expect(g.staged.forwardLines(InputLanguage(spaced: true)).listing == """
            a = ln(x)
            b = sqrt(y)
            c = sigmoid(b)
            d = a * c
            g = x + y
            h = g^2
            i = sigmoid(h)
            out = d / i
            """)
    }

    @Test func expandedSigmoidIsTheWorksheetChain() throws {
        let g = try gradient("sigmoid(x)", expand: true)
        #expect(g.staged.forwardLines(InputLanguage(spaced: true)).listing == """
            a = -x
            b = exp(a)
            c = 1 + b
            out = 1 / c
            """)
        #expect(close(g.evaluate(at: [2]).gradient[0], 0.10499358540350652))
    }

    @Test func statementNamesAreKept() throws {
        let g = try gradient("x = ln(t); y = t^3/3; z = 2x + y")
        #expect(g.staged.forwardLines(InputLanguage(spaced: true)).listing == """
            x = ln(t)
            a = t^3
            y = a / 3
            b = 2 * x
            z = b + y
            """)
    }

    @Test func sharedInputAccumulates() throws {
        let g = try gradient("sin(theta*x1 + x2) + theta*x2^2")
        let lines = g.backwardLines(InputLanguage(spaced: true))
        let dx2 = lines.filter { $0.name == "dx2" }
        #expect(dx2.count == 2)
        #expect(dx2.map(\.accumulates) == [false, true])
    }
}
