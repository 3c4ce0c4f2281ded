import Symbolic
import Testing

/// `GradientCheck`, the math of `symdiff check`: streamed random points and the comparison.
@Suite struct GradientCheckTests {
    @Test func randomPointsAreFiniteSeededAndInTheCube() throws {
        let check = GradientCheck(try gradient("ln(x)*sigmoid(sqrt(y))/sigmoid((x+y)^2)"))
        var first = GradientCheck.RandomPoints(check, wanted: 50, seed: 42)
        var again = GradientCheck.RandomPoints(check, wanted: 50, seed: 42)
        for _ in 0..<50 {
            let drawn = first.next(), repeated = again.next()
            let (point, evaluation) = try #require(drawn)
            #expect(repeated?.point == point)
            #expect(point.allSatisfy { $0 >= -3 && $0 < 3 })
            // ln(x) and sqrt(y) need positive coordinates for a finite value and gradient.
            #expect(point[0] > 0 && point[1] > 0)
            #expect(evaluation.value == check.evaluate(at: point).value)
            #expect(evaluation.value.isFinite && evaluation.gradient.allSatisfy { $0.isFinite })
        }
        #expect(first.found == 50)
        #expect(first.draws > 50, "about three quarters of the cube has x <= 0 or y <= 0")
    }

    /// `check 'ln(-x^2-1)' --points 1000000` would otherwise draw 10^9 times before giving up.
    @Test func nowhereFiniteGivesUpAfterAFixedNumberOfDraws() throws {
        var points = GradientCheck.RandomPoints(GradientCheck(try gradient("ln(-x^2 - 1)")), wanted: 1_000_000, seed: 1)
        let none = points.next()
        #expect(none == nil)
        #expect(points.draws == GradientCheck.RandomPoints.hopelessDraws)
    }

    @Test func rareFinitePointsStopAtAThousandDrawsEach() throws {
        var points = GradientCheck.RandomPoints(GradientCheck(try gradient("sqrt(x - 2.999)")), wanted: 20, seed: 1)
        var found = 0
        while points.next() != nil { found += 1 }
        #expect(found == 3)
        #expect(points.draws == 20_000)
    }

    @Test func comparisonsAgreeWithACorrectGradient() throws {
        let check = GradientCheck(try gradient("sin(theta*x1 + x2) + theta*x2^2"))
        let point = [1.0, 2.0, 0.5]
        let comparisons = check.comparisons(at: point, check.evaluate(at: point))
        #expect(comparisons.count == 3)
        #expect(comparisons.allSatisfy { $0.agrees })
        #expect(comparisons.allSatisfy { $0.relativeError < 1e-8 })
        #expect(check.firstWrongStage(at: point) == nil)
    }

    /// A step of 1e-5 from y = 1e-7 leaves sqrt's domain; the estimate was nan and the correct
    /// gradient was reported wrong.
    @Test func stepsShrinkToStayInTheDomain() {
        let y = 1e-7
        let comparison = GradientCheck.compare(symbolic: 0.5 / y.squareRoot(), at: y) { $0.squareRoot() }
        #expect(comparison.numeric.isFinite)
        #expect(comparison.agrees)
        // So close to the edge the estimate is rough and the tolerance wide, but not blind.
        #expect(!GradientCheck.compare(symbolic: -0.5 / y.squareRoot(), at: y) { $0.squareRoot() }.agrees)
    }

    @Test func comparisonCatchesAWrongDerivative() {
        let wrong = GradientCheck.compare(symbolic: 2, at: 1) { $0 * $0 * $0 }
        #expect(!wrong.agrees)
        #expect(Swift.abs(wrong.numeric - 3) < 1e-8)
        #expect(GradientCheck.compare(symbolic: 3, at: 1) { $0 * $0 * $0 }.agrees)
    }
}
