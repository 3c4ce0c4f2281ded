import Symbolic
import Testing

/// `DifferenceRule`: a correct gradient that finite differences cannot resolve is inconclusive,
/// never wrong, and a wrong one is still caught wherever some step resolves the function.
@Suite struct CheckVerdictTests {
    /// a0 = x; a(k+1) = sin(a(k))*a(k) + y, 40 times: steep and oscillating.
    static let chain: String = {
        var lines = ["a0 = x"]
        for k in 0..<40 { lines.append("a\(k + 1) = sin(a\(k))*a\(k) + y") }
        return lines.joined(separator: "; ")
    }()

    /// Where the old rule called the correct d/dx wrong (symbolic -1.7e6, estimate -6.8e3).
    static let reported = [0.39936945103368515, 1.474690543576207]

    @Test func theFortyStageChainIsNeverReportedWrong() throws {
        let check = GradientCheck(try gradient(Self.chain))
        var points = GradientCheck.RandomPoints(check, wanted: 100, seed: 1)
        var judged = 0, inconclusive = 0
        while judged + inconclusive < 200, let (point, evaluation) = points.next() {
            for comparison in check.comparisons(at: point, evaluation) {
                #expect(!comparison.disagrees, "at \(point): symbolic \(comparison.symbolic), estimate \(comparison.numeric)")
                if comparison.unresolved != nil { inconclusive += 1 } else { judged += 1 }
            }
        }
        #expect(judged > 150, "smaller steps resolve most partials: \(judged) judged, \(inconclusive) inconclusive")
        let point = Self.reported
        let comparisons = check.comparisons(at: point, check.evaluate(at: point))
        #expect(comparisons.allSatisfy { $0.agrees })
    }

    /// The correct partial times 2 or 1/2 is caught on the steep chain where it was reported
    /// (smaller steps resolve it) and on sin(40 x) cos(30 y).
    @Test func aPlantedFactorOfTwoIsStillCaughtOnSteepPrograms() throws {
        for (source, point) in [(Self.chain, Self.reported), ("sin(40x)*cos(30y)*exp(x*y)", [0.3, -0.7])] {
            let check = GradientCheck(try gradient(source))
            let evaluation = check.evaluate(at: point)
            for i in point.indices {
                var moved = point
                let f: (Double) -> Double = { value in moved[i] = value; return check.value(at: moved) }
                for factor in [2.0, 0.5] {
                    let wrong = GradientCheck.compare(symbolic: factor * evaluation.gradient[i], at: point[i], f)
                    #expect(wrong.disagrees, "\(source) d/d\(i) x \(factor): estimate \(wrong.numeric), verdict \(wrong.verdict)")
                }
                #expect(GradientCheck.compare(symbolic: evaluation.gradient[i], at: point[i], f).agrees)
            }
        }
    }

    /// The chain's d/dy at (1.98, 2.5059): no step from 3e-12 to 4e-4 settles; the old rule
    /// called the correct value wrong.
    @Test func unresolvedIsInconclusiveWithItsFigures() throws {
        let check = GradientCheck(try gradient(Self.chain))
        let point = [1.9800567209295918, 2.505915670704706]
        let comparison = check.comparisons(at: point, check.evaluate(at: point))[1]
        let figures = try #require(comparison.unresolved)
        #expect(figures.estimates.count == 3)
        #expect(figures.stepsTried == 25)
        #expect(!comparison.agrees && !comparison.disagrees)
    }

    /// check --hessian takes the same rule: a wrong entry on a smooth program still disagrees.
    @Test func theRuleIsSharedWithTheHessianCheck() throws {
        let wrong = DifferenceRule.judge(symbolic: [6, 12], firstStep: DifferenceRule.firstStep(at: 1)) { h in
            [((1 + h) * (1 + h) * (1 + h) - (1 - h) * (1 - h) * (1 - h)) / (2 * h), 2 * 3.0]
        }
        #expect(wrong[0].disagrees)
        #expect(wrong[1].disagrees)
        #expect(DifferenceRule.tolerance(coarse: 1, fine: 1.5) == 1e-6 * 1.5 + 2)
    }
}
