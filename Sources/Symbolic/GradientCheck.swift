/// The symbolic gradient against central finite differences, the math behind `symdiff check`.
///
/// Points are checked one at a time and nothing is kept per point, so the memory a check needs
/// does not grow with the number of points; the evaluation orders are computed once.
public struct GradientCheck {
    public let gradient: Gradient
    /// Nodes the backward pass needs, and the smaller set the output's value alone needs.
    private let evaluationOrder: [NodeID]
    private let valueOrder: [NodeID]

    public init(_ gradient: Gradient) {
        self.gradient = gradient
        evaluationOrder = gradient.evaluationOrder
        valueOrder = gradient.graph.reachable(from: [gradient.staged.output])
    }

    /// One comparison of a symbolic partial with its finite-difference estimate.
    public struct Comparison: Sendable {
        public let symbolic: Double
        /// The estimate the verdict rests on: at h/2 of the first step, or of the step that decided.
        public let numeric: Double
        /// What the estimate itself cannot resolve: truncation and rounding, judged by how much
        /// the estimate moves when the step halves, plus a relative floor.
        public let tolerance: Double
        /// Agrees, disagrees (the gradient is wrong), or inconclusive: see `DifferenceRule`.
        public let verdict: DifferenceRule.Verdict
        public var absoluteError: Double { Swift.abs(symbolic - numeric) }
        public var relativeError: Double { absoluteError / Swift.max(1, Swift.abs(numeric)) }
        public var agrees: Bool { verdict == .agrees }
        /// Finite differences resolve the derivative and it is not the symbolic value.
        public var disagrees: Bool { verdict == .disagrees }
        /// The figures when finite differences could not resolve the derivative.
        public var unresolved: DifferenceRule.Unresolved? {
            guard case .inconclusive(let figures) = verdict else { return nil }
            return figures
        }
    }

    /// Central differences of `f` in one coordinate, judged by `DifferenceRule`.
    public static func compare(symbolic: Double, at x: Double, _ f: (Double) -> Double) -> Comparison {
        let judged = DifferenceRule.judge(symbolic: [symbolic], firstStep: DifferenceRule.firstStep(at: x)) { h in
            [(f(x + h) - f(x - h)) / (2 * h)]
        }
        return judged[0]
    }

    /// How often `compare` halves a step that left the domain: down to about 1e-14 relative.
    static let maxStepHalvings = 30

    /// The forward and backward pass at `point` (input order).
    public func evaluate(at point: [Double]) -> PointEvaluation {
        gradient.evaluate(at: point, order: evaluationOrder)
    }

    /// The output's value at `point`, optionally with one stage's value replaced.
    public func value(at point: [Double], overriding node: NodeID? = nil, with replacement: Double = 0) -> Double {
        gradient.forwardValues(point, order: valueOrder, override: node.map { ($0, replacement) })[gradient.staged.output.int]
    }

    /// Each partial of `evaluation` (the evaluation at `point`) against its finite difference,
    /// in input order.
    public func comparisons(at point: [Double], _ evaluation: PointEvaluation) -> [Comparison] {
        var moved = point
        return point.indices.map { i in
            defer { moved[i] = point[i] }
            return Self.compare(symbolic: evaluation.gradient[i], at: point[i]) { value in
                moved[i] = value
                return self.value(at: moved)
            }
        }
    }

    /// Walks the staged equations from the output back and checks each adjoint d out/d stage
    /// against a finite difference that perturbs that stage's value alone; the index of the
    /// first that disagrees, or nil.
    public func firstWrongStage(at point: [Double]) -> Int? {
        let result = evaluate(at: point)
        for index in gradient.staged.equations.indices.reversed() {
            let node = gradient.staged.equations[index].node
            let comparison = Self.compare(symbolic: result.adjoints[index], at: result.forward[index]) {
                self.value(at: point, overriding: node, with: $0)
            }
            if comparison.disagrees { return index }
        }
        return nil
    }

    /// Seeded random points where the value and every partial are finite, drawn uniformly from
    /// [-3, 3] per coordinate, each with its evaluation. A generator, not a list: a check of a
    /// million points holds one at a time.
    public struct RandomPoints: IteratorProtocol {
        private let check: GradientCheck
        private var random: CheckRandom
        /// Draws allowed in all: 1000 per point wanted, as an expression defined on a thin
        /// slice of the cube needs many draws per point, but not unboundedly many.
        private let maxDraws: Int
        public private(set) var draws = 0
        public private(set) var found = 0

        /// Draws with nothing finite after which an expression is taken to have no finite
        /// point in the cube at all (`ln(-x^2 - 1)`), rather than drawing `maxDraws` times.
        public static let hopelessDraws = 10_000

        public init(_ check: GradientCheck, wanted: Int, seed: UInt64) {
            self.check = check
            random = CheckRandom(seed)
            let (product, overflow) = wanted.multipliedReportingOverflow(by: 1000)
            maxDraws = overflow ? Int.max : product
        }

        public mutating func next() -> (point: [Double], evaluation: PointEvaluation)? {
            let inputs = check.gradient.staged.inputs.count
            while draws < maxDraws && (found > 0 || draws < Self.hopelessDraws) {
                draws += 1
                var point: [Double] = []
                point.reserveCapacity(inputs)
                for _ in 0..<inputs { point.append(uniform()) }
                let result = check.evaluate(at: point)
                if result.value.isFinite && result.gradient.allSatisfy(\.isFinite) {
                    found += 1
                    return (point, result)
                }
            }
            return nil
        }

        /// Uniform in [-3, 3).
        private mutating func uniform() -> Double { random.uniform(from: -3, to: 3) }
    }
}
