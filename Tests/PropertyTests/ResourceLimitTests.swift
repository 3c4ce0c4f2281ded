import Codegen
import ExprParse
import Foundation
import Symbolic
import Testing

/// Inputs that explode in naive implementations finish quickly or fail clearly. Sizes here are
/// the debug-build versions; Fuzz/README.md records the full-size release measurements.
@Suite struct ResourceLimitTests {
    /// Runs the whole pipeline on `source` and returns the gradient, timing it against `limit`
    /// seconds (generous: debug build, shared machine).
    @discardableResult
    static func pipeline(_ source: String, within limit: Double = 10, printClosedForms: Bool = true,
                         sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Gradient {
        let started = Date()
        let g = try Gradient(source: source)
        if printClosedForms { _ = g.closedFormText() }
        _ = g.staged.forwardLines(InputLanguage(spaced: true))
        _ = g.backwardLines(InputLanguage(spaced: true))
        for language in Language.allCases {
            for closedForm in [false, true] {
                _ = try emit(g, source: source, options: EmitOptions(language: language, closedForm: closedForm))
            }
        }
        _ = g.evaluate(at: g.staged.inputs.map { _ in 0.75 })
        let elapsed = Date().timeIntervalSince(started)
        #expect(elapsed < limit, "\(elapsed) s for \(source.prefix(60))", sourceLocation: sourceLocation)
        return g
    }

    @Test func hugeIntegerExponentStaysSymbolic() throws {
        let g = try Self.pipeline("x^1000000000")
        #expect(g.closedFormText() == ["1000000000*x^999999999"])
        #expect(g.evaluate(at: [1.0000000001]).value.isFinite)
    }

    @Test func towerOfPowersIsNotExpanded() throws {
        // 2^2^2^2^2^2 = 2^65536: exact arithmetic must give up, not build a 65536-bit number.
        let g = try Self.pipeline("x*2^2^2^2^2^2")
        #expect(g.closedFormText() == ["2^2^65536"])
        #expect(g.evaluate(at: [1]).value == .infinity)
        let python = try emit(g, source: "x*2^2^2^2^2^2", options: EmitOptions(language: .numpy))
        #expect(python.text.contains("np.inf"), "Python's own int arithmetic must never see 2**65536")
        try Self.pipeline("2^2^2^2^2^2")
        try Self.pipeline("x*9^9^9 + 1/(9^9^9)*x")
    }

    @Test func factorialGrowthFallsBackToDouble() throws {
        let twenty = (1...20).map(String.init).joined(separator: "*")
        #expect(try Self.pipeline(twenty + "*x").closedFormText() == ["2432902008176640000"])
        let forty = (1...40).map(String.init).joined(separator: "*")
        let g = try Self.pipeline(forty + "*x")
        let value = try #require(Double(g.closedFormText()[0]))
        #expect(Numbers.close(value, 8.159152832478977e47, 1e-15))
        // Products and powers of large rationals.
        let rationals = "(123456789/987654321)^7 * (987654321/123456789)^5 * 99999999999/7 * x"
            + " + (999999937/999999929)^40*x + (2^62 + 1)*(2^62 + 3)*x/(3^39)"
        let r = try Self.pipeline(rationals)
        #expect(r.evaluate(at: [1]).gradient[0].isFinite)
    }

    @Test func exactRationalsDoNotOverflow() {
        let big = Rational(Int64.max - 1, 1)!
        #expect(big.adding(big) == nil)
        #expect(big.multiplied(by: big) == nil)
        #expect(Rational(2, 1)!.power(64) == nil)
        #expect(Rational(2, 1)!.power(1_000_000_000) == nil)
        #expect((Number.rational(big) * Number.rational(big)).rational == nil)
        #expect(Number.rational(Rational(3, 1)!).exactPower(Number.rational(Rational(1_000_000_000, 1)!)) == nil)
    }

    @Test func longSumIsLinear() throws {
        // 2*10^4 terms here (10^6 in the release measurement).
        let terms = 20_000
        let sum = (0..<terms).map { ["x", "y*x", "sin(y)", "x^2"][$0 % 4] }.joined(separator: " + ")
        let g = try Self.pipeline(sum, within: 60)
        #expect(g.staged.equations.count >= terms - 1)
        #expect(g.graph.count < 12 * terms)

    }

    /// Found by measuring: the closed form of this chain is quadratic in canonical form, and
    /// took minutes and gigabytes (grad, stats, emit --closed-form) before simplification got
    /// a work budget and closed-form code a bound on the length of inline expressions.
    @Test func chainWhoseCanonicalFormIsQuadraticStopsAtTheWorkLimit() throws {
        var chain = "a0 = x\n"
        for k in 0..<5_000 { chain += "a\(k + 1) = a\(k)*y + x\n" }
        // Printed as trees the closed forms are about 250 MB; `grad` prints them with shared
        // subexpressions named once instead (`Printer.renderShared`), and printing trees is
        // checked at a smaller size below.
        let c = try Self.pipeline(chain, within: 90, printClosedForms: false)
        #expect(c.graph.count < 12 * 5_000)
        var simplifier = Simplifier(c.graph)
        let forms = c.staged.inputNodes.indices.map { simplifier.simplify(c.derivative($0)) }
        #expect(simplifier.stopReason == .workLimit(steps: simplifier.stopReason.steps))
        let point = [0.3, 0.9]
        let staged = c.evaluate(at: point)
        for (form, expected) in zip(forms, staged.gradient) {
            #expect(Numbers.close(c.nodeValue(form, at: point), expected, 1e-9))
        }
        let code = try emit(c, source: chain, options: EmitOptions(language: .numpy, closedForm: true))
        let longest = code.text.split(separator: "\n").map(\.count).max() ?? 0
        // One line sums the 5,000 terms by name; nothing is inlined into it.
        #expect(longest < 30 * 5_000, "a closed-form line of \(longest) characters")

        // The printer keeps only the texts still to be read: a 500-statement chain's closed
        // forms (about a megabyte of text) print completely; a 50-statement one's parse back (a
        // longer one nests deeper than the parser's limit) to the staged gradient's values.
        for (statements, reparse) in [(500, false), (50, true)] {
            var small = "a0 = x\n"
            for k in 0..<statements { small += "a\(k + 1) = a\(k)*y + x\n" }
            let s = try Gradient(source: small)
            let texts = s.closedFormText()
            #expect(texts.allSatisfy { !$0.contains("?") } && texts.map(\.count).reduce(0, +) > 10 * statements)
            guard reparse else { continue }
            let reparsed = try texts.map { try Gradient(source: $0, variables: ["x", "y"]).evaluate(at: point).value }
            #expect(zip(reparsed, s.evaluate(at: point).gradient).allSatisfy { Numbers.close($0, $1, 1e-9) })
        }
    }

    @Test func limitsAreDocumentedValues() {
        #expect(Limits.maxNodes == 20_000_000)
        #expect(Limits.maxSimplifyNodes == 200_000)
        #expect(SymbolicError.tooLarge(nodes: 20_000_001, limit: 20_000_000).description
                == "the program is too large: 20000001 operations (the limit is 20000000)")
    }
}

extension StopReason {
    /// The steps of a `.workLimit` stop (0 otherwise).
    var steps: Int {
        if case .workLimit(let steps) = self { return steps }
        return 0
    }
}
