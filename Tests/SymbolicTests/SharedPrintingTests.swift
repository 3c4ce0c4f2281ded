import ExprParse
import Foundation
import Symbolic
import Testing

/// Closed forms printed with shared subexpressions named once (`Printer.renderShared`), and
/// the cost of wide programs' closed forms counted in linear time.
@Suite struct SharedPrintingTests {
    /// The network written out as scalars: `hidden` units `hk = tanh(0.1*wk_1 + ... +
    /// bk)` over `inputs` decimal constants, `o = v1*h1 + ... + c`, `loss = (o - 0.5)^2`.
    static func network(hidden: Int, inputs: Int) -> String {
        var text = ""
        for k in 1...hidden {
            text += "h\(k) = tanh(" + (1...inputs).map { "0.\($0 % 9 + 1)*w\(k)_\($0)" }.joined(separator: " + ") + " + b\(k))\n"
        }
        text += "o = " + (1...hidden).map { "v\($0)*h\($0)" }.joined(separator: " + ") + " + c\n"
        return text + "loss = (o - 0.5)^2\n"
    }

    /// Every partial's program (the definitions, then the partial) parses back and evaluates to
    /// the staged gradient at `point`.
    static func expectRoundTrip(_ g: Gradient, _ shared: SharedText, at point: [Double],
                                sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let expected = g.evaluate(at: point).gradient
        for index in shared.roots.indices {
            let program = shared.program(for: index)
            let value = try Gradient(source: program, variables: g.staged.inputs).evaluate(at: point).value
            #expect(close(value, expected[index], 1e-9), "partial \(index): \(value) vs \(expected[index])\n\(program)",
                    sourceLocation: sourceLocation)
        }
    }

    @Test func sharedSubexpressionsAreNamedOnceBeforeThePartials() throws {
        let g = try gradient("sin(x*y)*cos(x*y)")
        let shared = Printer(g.graph, InputLanguage()).renderShared(g.closedForm(), reserved: ["x", "y"])
        #expect(shared.definitions == [SharedText.Definition(name: "t0", text: "x*y"),
                                       SharedText.Definition(name: "t1", text: "cos(t0)^2 - sin(t0)^2")])
        #expect(shared.roots == ["y*t1", "x*t1"])
        #expect(shared.program(for: 1) == "t0 = x*y\nt1 = cos(t0)^2 - sin(t0)^2\nx*t1\n")
        try Self.expectRoundTrip(g, shared, at: [0.3, -0.7])
    }

    @Test func temporariesSkipReservedNames() throws {
        let g = try gradient("t0*t1*sin(t0*t1) + exp(t0*t1)")
        let shared = Printer(g.graph, InputLanguage()).renderShared(g.closedForm(), reserved: Set(g.staged.inputs))
        #expect(shared.definitions.first?.name == "t2")
        #expect(!shared.definitions.contains { g.staged.inputs.contains($0.name) })
        try Self.expectRoundTrip(g, shared, at: [0.4, 1.1])
    }

    @Test func aNameTheDialectSpellsIsReadAsSpelled() throws {
        let g = try gradient("sin(x*y)*cos(x*y)")
        let shared = Printer(g.graph, InputLanguage()).renderShared(g.closedForm(), reserved: ["x", "y"], spelling: { "<\($0)>" })
        #expect(shared.definitions.map(\.name) == ["t0", "t1"])
        #expect(shared.definitions.map(\.text) == ["x*y", "cos(<t0>)^2 - sin(<t0>)^2"])
        #expect(shared.roots == ["y*<t1>", "x*<t1>"])
    }

    @Test(arguments: 0..<40) func randomProgramsRoundTrip(seed: Int) throws {
        var random = RandomExpressions(seed: UInt64(seed) &* 7_919 &+ 17)
        let source = "u = \(random.expression(depth: 3)); v = u*\(random.expression(depth: 2)) + sin(u); v*u + \(random.expression(depth: 2))"
        let g = try gradient(source, variables: ["x", "y", "z"])
        let forms = g.closedForm()
        // A small inline size names most operations, so definitions read definitions a lot.
        for maxInlineSize in [16, 2_000] {
            let shared = Printer(g.graph, InputLanguage()).renderShared(forms, reserved: ["x", "y", "z"], maxInlineSize: maxInlineSize)
            let point = random.point()
            let values = g.evaluate(at: point)
            guard values.value.isFinite, values.gradient.allSatisfy(\.isFinite) else { continue }
            try Self.expectRoundTrip(g, shared, at: point)
        }
    }

    @Test func aWideNetworkPrintsLinearlyAndRoundTrips() throws {
        let g = try gradient(Self.network(hidden: 8, inputs: 8))
        let forms = g.closedForm()
        let printer = Printer(g.graph, InputLanguage())
        let shared = printer.renderShared(forms, reserved: Set(g.staged.inputs))
        let sharedSize = shared.definitions.reduce(0) { $0 + $1.name.count + $1.text.count } + shared.roots.reduce(0) { $0 + $1.count }
        let treeSize = forms.reduce(0) { $0 + printer.render($1).count }
        #expect(sharedSize * 10 < treeSize, "\(sharedSize) characters shared, \(treeSize) as trees")
        // The estimate the CLI chooses by is within a small factor of the real trees.
        let estimate = printer.treeSizes(forms).reduce(0, +)
        #expect(estimate > treeSize / 2 && estimate < treeSize * 2, "estimated \(estimate), printed \(treeSize)")
        let point = g.staged.inputs.indices.map { 0.1 + 0.8 * Double(($0 * 7_919) % 1_000) / 1_000 }
        try Self.expectRoundTrip(g, shared, at: point)
    }

    @Test func closedFormCostOfAWideNetworkIsOnePass() throws {
        // 64 hidden units over 64 inputs: 4,000 partials that each reach the whole output.
        // Walking each partial afresh took 12 s here in a debug build; one pass takes well
        // under a second.
        let g = try gradient(Self.network(hidden: 64, inputs: 64))
        var simplifier = Simplifier(g.graph)
        let forms = g.staged.inputNodes.indices.map { simplifier.simplify(g.derivative($0)) }
        let start = Date()
        let cost = g.closedFormCost(forms)
        let seconds = Date().timeIntervalSince(start)
        #expect(seconds < 3, "closedFormCost took \(seconds) s")
        // Same totals as walking every partial on its own (checked on a sample).
        let sample = Array(forms.prefix(50))
        #expect(g.closedFormCost(sample).tree == sample.reduce(0) { $0 + g.graph.treeOps($1, stoppingAt: []) })
        #expect(cost.shared == g.graph.reachable(from: forms).reduce(0) { $0 + g.graph.opCount(of: $1) })
        #expect(cost.tree > 100 * cost.shared)
    }

    @Test func aSpentBudgetStopsBeforeWalkingAgain() throws {
        // (x1 + ... + xK)^2: canonical form of the left-nested sum is quadratic, so the budget
        // is spent on the first partial; each of the K partials reaches the whole sum, and a
        // walk per partial after that made the rest quadratic (seconds instead of milliseconds).
        let k = 2_000
        let g = try gradient("(" + (1...k).map { "x\($0)" }.joined(separator: " + ") + ")^2")
        var simplifier = Simplifier(g.graph)
        _ = simplifier.simplify(g.derivative(0))
        #expect(simplifier.stopReason != .done)
        let start = Date()
        let forms = (1..<k).map { simplifier.simplify(g.derivative($0)) }
        let seconds = Date().timeIntervalSince(start)
        #expect(seconds < 1, "\(k - 1) simplify calls after the budget was spent took \(seconds) s")
        #expect(forms == (1..<k).map { g.derivative($0) })
    }
}
