/// The one rule by which `check`, `check` on arrays and `check --hessian` judge a symbolic
/// derivative against central differences D(h) = (F(x + h) - F(x - h)) / 2h.
///
/// A finite difference is evidence only where it resolves the function: on a program so steep
/// or oscillating that F changes many times within a step (a 40-stage `a = sin(a)*a + y` chain),
/// the estimates at h and h/2 are noise of size range/h, and a correct gradient was reported
/// wrong. So there are three verdicts, not two:
///
/// - agrees: at the first step, |s - D(h/2)| <= 1e-6 max(1, |D(h/2)|) + 4 |D(h) - D(h/2)| (the
///   relative floor plus what the estimate moves when the step halves, the rule `check --hessian`
///   took) when that move is at most a tenth of the estimate, or at a later step the settled
///   estimate below is within its tolerance;
/// - disagrees (the gradient is wrong): at some step the estimates settle, D(h), D(h/2), D(h/4),
///   D(h/8) each moving between a sixteenth and a half of the one before (central differences
///   converge like h^2, a quarter per halving) or by no more than the 1e-6 floor, the
///   first move is at most a tenth of the estimate, and the symbolic value is outside the first
///   step's tolerance taken at this step (around D(h/2), with this step's move);
/// - inconclusive: neither, at any of the steps tried. The steps are h0 = 1e-5 max(1, |x|), then
///   halvings down to h0 / 2^20, then h0 * 2, h0 * 4, ..., h0 * 2^4 (at most 28 differences, 56 evaluations of
///   F per derivative, and only where the first step did not agree: a correct smooth gradient costs
///   the four evaluations it always did). The first step with a verdict decides.
public enum DifferenceRule {
    /// What one comparison found.
    public enum Verdict: Sendable, Equatable {
        case agrees
        case disagrees
        /// Finite differences could not resolve the derivative: neither confirmed nor refuted.
        case inconclusive(Unresolved)
    }

    /// The figures of an inconclusive comparison, for the message that says why.
    public struct Unresolved: Sendable, Equatable {
        /// The first step h0, and the estimates D(h0), D(h0/2), D(h0/4) there.
        public let step: Double
        public let estimates: [Double]
        /// How many steps were tried, and the smallest and largest.
        public let stepsTried: Int
        public let smallestStep: Double
        public let largestStep: Double
    }

    /// The relative floor of every tolerance.
    public static let relativeFloor = 1e-6
    /// Halvings of the first step tried after it disagrees, and doublings after those.
    static let smallerSteps = 20
    static let largerSteps = 4

    /// The tolerance of an estimate `fine` at h/2 whose estimate at h was `coarse`.
    public static func tolerance(coarse: Double, fine: Double) -> Double {
        relativeFloor * Swift.max(1, Swift.abs(fine)) + 4 * Swift.abs(coarse - fine)
    }

    /// The first step for a coordinate at `x`: 1e-5 relative, at least 1e-5.
    public static func firstStep(at x: Double) -> Double { 1e-5 * Swift.max(1, Swift.abs(x)) }

    /// Each of `symbolic` judged against the matching entry of `central(h)`, the central
    /// differences of a vector-valued F (one entry for a scalar check, a Hessian column for
    /// `check --hessian`), starting at step `h0` and halving it while a step leaves the domain
    /// (sqrt(y) at y = 1e-7), at most `GradientCheck.maxStepHalvings` times.
    public static func judge<E: Error>(symbolic: [Double], firstStep h0: Double,
                                       central: (Double) throws(E) -> [Double]) throws(E) -> [GradientCheck.Comparison] {
        var h = h0
        var first = [try central(h), try central(h / 2)]
        var halvings = 0
        while halvings < GradientCheck.maxStepHalvings && !first.allSatisfy({ $0.allSatisfy(\.isFinite) }) {
            h /= 2
            halvings += 1
            first = [try central(h), try central(h / 2)]
        }
        let base = h
        // Estimates by step, h * 2^-j for j in 0... (smaller) and h * 2^k (larger), computed
        // only when a row still needs them.
        var smaller: [[Double]] = first
        var larger: [[Double]] = []
        func estimate(_ j: Int) throws(E) -> [Double] {
            if j >= 0 {
                while smaller.count <= j { smaller.append(try central(base / Double(1 << smaller.count))) }
                return smaller[j]
            }
            while larger.count < -j { larger.append(try central(base * Double(1 << (larger.count + 1)))) }
            return larger[-j - 1]
        }
        func at(_ j: Int, _ row: Int) throws(E) -> Double {
            let values = try estimate(j)
            return row < values.count ? values[row] : .nan
        }
        // The windows tried in order: the first step, smaller steps, then larger ones.
        let windows = Array(0...smallerSteps) + (1...largerSteps).map { -$0 }
        var found: [GradientCheck.Comparison] = []
        for (row, s) in symbolic.enumerated() {
            let coarse = try at(0, row), fine = try at(1, row)
            let tolerance = Self.tolerance(coarse: coarse, fine: fine)
            var verdict: Verdict?
            var judged = (numeric: fine, tolerance: tolerance)
            var tried = 0
            for j in windows {
                tried += 1
                let d = [try at(j, row), try at(j + 1, row)]
                // The first step keeps the rule it always had: agreement within what the
                // estimate moves when the step halves, however much that is.
                // Only when that is a tenth of the estimate or less: wider, the estimates are noise
                // and agree with anything, so smaller steps are tried as for a disagreement.
                let spread = Swift.abs(d[0] - d[1])
                if j == 0 && Swift.abs(s - d[1]) <= Self.tolerance(coarse: d[0], fine: d[1])
                    && spread <= 0.1 * Swift.abs(d[1]) + relativeFloor * Swift.max(1, Swift.abs(d[1])) {
                    verdict = .agrees
                    break
                }
                guard d.allSatisfy(\.isFinite) else { continue }
                // Any other verdict, either way, needs estimates that have settled: a step
                // tried because the first did not agree would otherwise agree by chance where
                // the estimates are noise (wide tolerance) as easily as disagree.
                guard let settled = settled(d + [try at(j + 2, row), try at(j + 3, row)]) else { continue }
                verdict = Swift.abs(s - settled.estimate) > settled.tolerance ? .disagrees : .agrees
                judged = (settled.estimate, settled.tolerance)
                break
            }
            let figures = Unresolved(step: base, estimates: [coarse, fine, (try? at(2, row)) ?? .nan], stepsTried: tried,
                                     smallestStep: base / Double(1 << (smallerSteps + 3)), largestStep: base * Double(1 << largerSteps))
            found.append(GradientCheck.Comparison(symbolic: s, numeric: judged.numeric, tolerance: judged.tolerance,
                                                  verdict: verdict ?? .inconclusive(figures)))
        }
        return found
    }

    /// The estimate of a window D(h), D(h/2), D(h/4), D(h/8) that has settled, with its
    /// tolerance; nil when the window does not show a resolved derivative.
    static func settled(_ d: [Double]) -> (estimate: Double, tolerance: Double)? {
        guard d.count == 4, d.allSatisfy(\.isFinite) else { return nil }
        let floor = relativeFloor * Swift.max(1, Swift.abs(d[1]))
        let moves = [Swift.abs(d[0] - d[1]), Swift.abs(d[1] - d[2]), Swift.abs(d[2] - d[3])]
        // Each move a quarter of the one before, as h^2 truncation makes it (between a sixteenth
        // and a half), or within the floor (rounding): noise of size range/h, where the function
        // is not smooth at the scale of the step, seldom shrinks like that twice.
        func shrinks(_ before: Double, _ after: Double) -> Bool {
            after <= floor || (after <= before / 2 && after >= before / 16)
        }
        guard moves[0] <= 0.1 * Swift.abs(d[1]) + floor, shrinks(moves[0], moves[1]), shrinks(moves[1], moves[2]) else { return nil }
        // The estimate and tolerance of the first step's rule at this step: a failure is that rule
        // failing where the estimates are seen to converge.
        return (d[1], tolerance(coarse: d[0], fine: d[1]))
    }
}
