import TestSupport
import ExprParse
import Foundation
import Symbolic
import Testing

/// The symbolic gradient of random expressions against central finite differences, and the
/// simplified closed forms against the staged values.
@Suite struct GradientPropertyTests {

    @Test(arguments: 0..<6) func gradientMatchesFiniteDifferences(_ batch: Int) throws {
        var random = RandomExpressions(seed: UInt64(1000 + batch))
        var checked = 0
        for _ in 0..<60 {
            let source = random.expression(depth: 1 + random.int(4))
            let g = try gradient(source, variables: ["x", "y", "z"])
            let point = random.point()
            let result = g.evaluate(at: point)
            guard result.value.isFinite, Swift.abs(result.value) < 1e6 else { continue }
            for i in 0..<3 {
                guard let fd = FiniteDifference.central(g, at: point, i) else { continue }
                #expect(close(result.gradient[i], fd, 1e-5), "d/d\(g.staged.inputs[i]) of \(source) at \(point): \(result.gradient[i]) vs \(fd)")
                checked += 1
            }
        }
        #expect(checked > 120, "too few comparable cases: \(checked)")
    }

    @Test(arguments: 0..<4) func closedFormsMatchStagedGradient(_ batch: Int) throws {
        var random = RandomExpressions(seed: UInt64(5000 + batch))
        for _ in 0..<50 {
            let source = random.expression(depth: 1 + random.int(4))
            let g = try gradient(source, variables: ["x", "y", "z"])
            let point = random.point()
            let staged = g.evaluate(at: point)
            guard staged.value.isFinite, staged.gradient.allSatisfy({ $0.isFinite && Swift.abs($0) < 1e6 }) else { continue }
            let forms = g.closedForm()
            for (i, form) in forms.enumerated() {
                let value = g.nodeValue(form, at: point)
                #expect(close(value, staged.gradient[i], 1e-8), "\(source): closed form d/d\(g.staged.inputs[i]) = \(value) vs \(staged.gradient[i])")
            }
        }
    }

    @Test(arguments: 0..<4) func printedClosedFormsParseBackToTheSameValues(_ batch: Int) throws {
        var random = RandomExpressions(seed: UInt64(9000 + batch))
        for _ in 0..<40 {
            let source = random.expression(depth: 1 + random.int(3))
            let g = try gradient(source, variables: ["x", "y", "z"])
            let point = random.point()
            let staged = g.evaluate(at: point)
            guard staged.gradient.allSatisfy({ $0.isFinite && Swift.abs($0) < 1e6 }) else { continue }
            for (i, text) in g.closedFormText().enumerated() {
                let reparsed = try gradient(text, variables: ["x", "y", "z"])
                #expect(close(reparsed.evaluate(at: point).value, staged.gradient[i], 1e-8), "\(text) from \(source)")
            }
        }
    }
}
