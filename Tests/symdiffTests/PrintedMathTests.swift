import Foundation
import Testing

/// Answers a hostile test found wrong, through the built binary: each printed form must mean,
/// by the grammar, what the evaluator computes.
@Suite struct PrintedMathTests {
    /// A negated product or quotient in an exponent keeps its parentheses: `e^-k*t` would read
    /// as `(e^-k)*t`.
    @Test(arguments: [
        ("e^(-k*t)", "k", "df/dk = -e^(-k*t)*t"),
        ("e^(-x^2/2)", "x", "df/dx = -e^(-x^2/2)*x"),
        ("x^(-2*y)", "y", "df/dy = -2*xlogy(x^(-2*y), x)"),
        ("x^(-y/z)", "x", "df/dx = -x^(-y/z - 1)*y/z"),
        ("2^(-x*y)", "x", "df/dx = -2^(-x*y)*y*ln(2)"),
    ]) func negatedExponentsKeepTheirParentheses(_ source: String, _ variable: String, _ expected: String) {
        let run = runSymdiff(["grad", source, "--wrt", variable])
        #expect(run.stdout == expected + "\n")
        #expect(run.status == 0)
    }

    @Test func negatedExponentInJSON() {
        let run = runSymdiff(["grad", "e^(-k*t)", "--wrt", "k", "--format", "json"])
        #expect(run.stdout == "{\"gradient\": {\"k\": \"-e^(-k*t)*t\"}}\n")
    }

    /// The printed derivative of `e^(-k*t)` evaluates, parsed back, to the true derivative
    /// -t*e^(-k*t) = -0.2706705664732254 at k = 1, t = 2 (the old text gave -1.47).
    @Test func printedDerivativeEvaluatesToTheDerivative() {
        let printed = runSymdiff(["grad", "e^(-k*t)", "--wrt", "k", "--format", "json"]).stdout
        let formula = printed.components(separatedBy: "\"k\": \"").last?.components(separatedBy: "\"").first ?? ""
        let run = runSymdiff(["eval", "(\(formula))", "--at", "k=1,t=2"])
        #expect(run.stdout.hasPrefix("f = -0.2706705664732254\n"), "\(formula): \(run.stdout)")
    }

    /// d(0^x)/dx and d(x^y)/dy at x = 0 are the one-sided limit 0, not 0 * ln(0) = NaN.
    @Test func powersOfZeroHaveTheLimitAsDerivative() {
        #expect(runSymdiff(["eval", "0^x", "--at", "x=1"]).stdout == "f = 0\ndf/dx = 0\n")
        #expect(runSymdiff(["eval", "pow(x, y)", "--at", "x=0,y=2"]).stdout == "f = 0\ndf/dx = 0\ndf/dy = 0\n")
        let check = runSymdiff(["check", "pow(x, y)", "--at", "x=0,y=2"])
        #expect(check.status == 0)
        #expect(check.stdout.hasSuffix("ok: the symbolic gradient agrees with central finite differences\n"))
        #expect(runSymdiff(["grad", "x^y", "--wrt", "y"]).stdout == "df/dy = xlogy(x^y, x)\n")
    }

    /// `ln(e)` folds to 1 in backward lines, as the simplifier already folded it in closed forms.
    @Test func lnOfEFolds() {
        let run = runSymdiff(["stage", "e^(2x)", "--backward"])
        #expect(run.stdout == """
            # forward pass
            a = 2 * x
            out = e^a
            # backward pass (d<name> is dout/d<name>)
            da = out
            dx = da * 2

            """)
        #expect(!runSymdiff(["emit", "e^(x*y)", "--lang", "swift"]).stdout.contains("log(exp(1.0))"))
    }

    /// Like factors sort by their contents and numbered names in numeric order.
    @Test func termsAndFactorsReadInOrder() {
        #expect(runSymdiff(["grad", "(x+1)(x+2)(x+3)"]).stdout == "df/dx = (x + 1)*(x + 2) + (x + 1)*(x + 3) + (x + 2)*(x + 3)\n")
        #expect(runSymdiff(["grad", "x10*x2*x1", "--wrt", "x10"]).stdout == "df/dx10 = x1*x2\n")
        #expect(runSymdiff(["grad", "(x10 + x2 + x1)^2", "--wrt", "x1"]).stdout == "df/dx1 = 2*(x1 + x2 + x10)\n")
    }
}
