import TestSupport
import ExprParse
import Symbolic
import Testing

/// The evaluator against the generator's own reference evaluation (so the parser read what
/// was meant), and the gradient against central finite differences.
@Suite struct GradientPropertyTests {

    @Test(arguments: Array<UInt64>(200...207)) func gradientMatchesFiniteDifferences(seed: UInt64) throws {
        var random = RandomPrograms(seed: seed, tame: true)
        var checked = 0, skipped = 0
        for index in 0..<125 {
            let generated = random.program(maxStatements: 4, depth: 4)
            let g = try Gradient(program: Parser.parse(generated.text).program, expand: index % 3 == 0)
            let point = random.point(g.staged.inputs.count)
            let evaluation = g.evaluate(at: point)
            let reference = generated.value(at: point)
            let context = "seed \(seed) case \(index) at \(point):\n\(generated.text)"
            if reference.isFinite && Swift.abs(reference) < 1e8 {
                #expect(Numbers.close(evaluation.value, reference, 1e-9), "\(context)\nevaluator \(evaluation.value), reference \(reference)")
            }
            // An infinite stage (a division by an exact 0 such as `t - t`) makes NaN adjoints
            // legitimately, even where the output is locally constant.
            guard evaluation.firstNonFinite == nil, Swift.abs(evaluation.value) < 1e6 else { skipped += 1; continue }
            for i in g.staged.inputs.indices {
                guard let fd = FiniteDifference.central(g, at: point, i) else { skipped += 1; continue }
                #expect(Numbers.close(evaluation.gradient[i], fd, 1e-5),
                        "\(context)\nd/d\(g.staged.inputs[i]) is \(evaluation.gradient[i]), finite difference \(fd)")
                checked += 1
            }
        }
        #expect(checked > 150, "too few comparable partials: \(checked) (skipped \(skipped))")
    }
}
