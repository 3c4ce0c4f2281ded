import ExprParse
import Symbolic
import Testing

/// Simplification of random programs and of their gradients: idempotent (simplifying the
/// result again gives the very same node) and value-preserving at random points.
@Suite struct SimplifierPropertyTests {
    @Test(arguments: Array<UInt64>(100...107)) func simplificationIsIdempotentAndKeepsValues(seed: UInt64) throws {
        var random = RandomPrograms(seed: seed, tame: seed % 2 == 0)
        var compared = 0
        for index in 0..<125 {
            let generated = random.program(maxStatements: 4, depth: 4)
            let g = try Gradient(program: Parser.parse(generated.text).program)
            let context = "seed \(seed) case \(index):\n\(generated.text)"
            var simplifier = Simplifier(g.graph)
            let once = simplifier.simplify(g.staged.output)
            var fresh = Simplifier(g.graph)
            let twice = fresh.simplify(once)
            #expect(once == twice, "\(context)\nnot idempotent: \(Printer(g.graph, InputLanguage()).render(once)) became \(Printer(g.graph, InputLanguage()).render(twice))")

            let forms = g.closedForm()
            var again = Simplifier(g.graph)
            for form in forms { #expect(again.simplify(form) == form, "\(context)\nclosed form not idempotent") }

            for _ in 0..<2 {
                let point = random.point(g.staged.inputs.count)
                let evaluation = g.evaluate(at: point)
                guard evaluation.value.isFinite, Swift.abs(evaluation.value) < 1e8 else { continue }
                let simplified = g.nodeValue(once, at: point)
                #expect(Numbers.close(simplified, evaluation.value, 1e-9),
                        "\(context)\nsimplified \(Printer(g.graph, InputLanguage()).render(once)) is \(simplified) at \(point), the program \(evaluation.value)")
                compared += 1
                for (i, form) in forms.enumerated() where evaluation.gradient[i].isFinite && Swift.abs(evaluation.gradient[i]) < 1e8 {
                    let value = g.nodeValue(form, at: point)
                    #expect(Numbers.close(value, evaluation.gradient[i], 1e-8),
                            "\(context)\nclosed form d/d\(g.staged.inputs[i]) is \(value) at \(point), the staged gradient \(evaluation.gradient[i])")
                }
            }
        }
        #expect(compared > 100)
    }
}
