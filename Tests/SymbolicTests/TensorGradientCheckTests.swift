@testable import Symbolic
import Testing

/// `TensorGradientCheck`, the math of `symdiff check` on arrays: directional derivatives first,
/// then elements and stages. A wrong backward pass is planted by replacing one contribution of
/// a correct gradient, as a wrong rule in the op table would produce it, and the check must
/// name the input, the element and the stage.
@Suite struct TensorGradientCheckTests {
    static let normSquared = "W: (2, 2); x: (2,); sum((W @ x)^2)"
    /// The worksheet's point.
    static var point: TensorGradientCheck.Point {
        TensorGradientCheck.Point(values: [Tensor(vector: [0.1, 0.5, -0.3, 0.8]), Tensor(vector: [0.2, 0.4])].map { t in
            t.count == 4 ? ((try? t.reshaped([2, 2])) ?? t) : t
        })
    }

    /// The gradient of `source` with the contribution into `target` from `source` replaced.
    static func planted(_ source: String, into target: String, _ wrong: (Contribution, Graph) throws -> Contribution) throws -> Gradient {
        var g = try gradient(source)
        let index = try #require(g.contributions.firstIndex { c in
            (g.staged.names[c.target] ?? "") == target
        })
        g.contributions[index] = try wrong(g.contributions[index], g.graph)
        return g
    }

    @Test func aCorrectGradientAgreesEverywhere() throws {
        let check = TensorGradientCheck(try gradient(Self.normSquared))
        let evaluation = try check.evaluate(Self.point)
        let directional = check.directionalComparisons(at: Self.point, evaluation, seed: 1)
        #expect(directional.count == 2)
        #expect(directional.allSatisfy { $0?.agrees == true })
        #expect(directional.allSatisfy { ($0?.relativeError ?? 1) < 1e-9 })
        let elements = check.elementComparisons(0, at: Self.point, evaluation)
        #expect(elements.map(\.index) == [[0, 0], [0, 1], [1, 0], [1, 1]])
        #expect(elements.allSatisfy { $0.comparison.agrees })
        // df/dW = 2 outer(W x, x) with W x = (0.22, 0.26).
        #expect(zip(elements.map(\.comparison.symbolic), [0.088, 0.176, 0.104, 0.208]).allSatisfy { close($0, $1, 1e-12) })
        #expect(check.firstWrongStage(at: Self.point, evaluation, seed: 1) == nil)
    }

    /// `b = a^2` given the partial 3a instead of 2a: every gradient is 1.5 times too large, and
    /// the first stage whose adjoint is wrong is `a` (the adjoint of `b` is still right).
    @Test func aWrongPartialIsCaughtAndLocated() throws {
        let wrong = try Self.planted(Self.normSquared, into: "a") { c, graph in
            #expect(c.vjp == nil, "b = a^2 is element-wise: a partial, not a VJP")
            let a = c.target
            return Contribution(target: a, source: c.source, argument: c.argument,
                                partial: graph.mul(graph.integer(3), a), accumulates: c.accumulates)
        }
        let check = TensorGradientCheck(wrong)
        let evaluation = try check.evaluate(Self.point)
        #expect(check.directionalComparisons(at: Self.point, evaluation, seed: 1).allSatisfy { $0?.agrees == false })
        let elements = check.elementComparisons(0, at: Self.point, evaluation)
        #expect(elements.allSatisfy { !$0.comparison.agrees && close($0.comparison.symbolic, 1.5 * $0.comparison.numeric, 1e-8) })
        let stage = try #require(check.firstWrongStage(at: Self.point, evaluation, seed: 1))
        #expect(wrong.staged.equations[stage].name == "a")
    }

    /// `dW = 2 * outer(da, x)`: W's gradient is wrong, x's is right, and so is every stage's
    /// adjoint, so no stage is named.
    @Test func aWrongVJPIsCaughtForItsInputOnly() throws {
        let wrong = try Self.planted(Self.normSquared, into: "W") { c, graph in
            let vjp = try #require(c.vjp)
            let doubled = graph.mul(graph.integer(2), vjp)
            return Contribution(target: c.target, source: c.source, argument: c.argument, partial: doubled, vjp: doubled,
                                accumulates: c.accumulates)
        }
        let check = TensorGradientCheck(wrong)
        let evaluation = try check.evaluate(Self.point)
        let directional = check.directionalComparisons(at: Self.point, evaluation, seed: 1)
        #expect(directional.map { $0?.agrees } == [false, true])
        #expect(check.elementComparisons(1, at: Self.point, evaluation).allSatisfy { $0.comparison.agrees })
        #expect(check.firstWrongStage(at: Self.point, evaluation, seed: 1) == nil)
    }

    /// An array output is checked through sum(out * u).
    @Test func anArrayOutputIsCheckedThroughItsUpstream() throws {
        let check = TensorGradientCheck(try gradient("W: (2, 2); x: (2,); W @ x"))
        var point = Self.point
        point.upstream = TensorGradientCheck.randomUpstream([2], seed: 5)
        let u = try #require(point.upstream)
        #expect(u.scalars.allSatisfy { $0 >= -1 && $0 < 1 })
        let evaluation = try check.evaluate(point)
        #expect(close(check.value(point.values, bindings: [:], upstream: u), 0.22 * u.scalars[0] + 0.26 * u.scalars[1]))
        #expect(check.directionalComparisons(at: point, evaluation, seed: 2).allSatisfy { $0?.agrees == true })
    }

    @Test func randomPointsAreSeededWithLabelsInRange() throws {
        let check = TensorGradientCheck(try gradient("X: (N, 3); W: (3, 4); b: (4,); y: int (N,); cross_entropy(X @ W + b, y)"))
        #expect(check.labelClasses(3, bindings: [:]) == 4)
        var first = try TensorGradientCheck.RandomPoints(check, wanted: 5, seed: 9, dimensions: [:], upstream: nil)
        var again = try TensorGradientCheck.RandomPoints(check, wanted: 5, seed: 9, dimensions: [:], upstream: nil)
        #expect(first.defaulted == ["N"])
        #expect(first.bindings == ["N": TensorGradientCheck.RandomPoints.defaultDimension])
        for _ in 0..<5 {
            let (point, evaluation) = try #require(try first.next())
            #expect(try again.next()?.point.values == point.values)
            #expect(point.values.map(\.sizes) == [[3, 3], [3, 4], [4], [3]])
            #expect(point.values[0].scalars.allSatisfy { $0 >= -3 && $0 < 3 })
            #expect(try point.values[3].labels().allSatisfy { (0..<4).contains($0) })
            #expect(point.upstream == nil)
            #expect(evaluation.value.scalarValue?.isFinite == true)
        }
        let sized = try TensorGradientCheck.RandomPoints(check, wanted: 1, seed: 9, dimensions: ["N": 5], upstream: nil)
        #expect(sized.defaulted.isEmpty)
    }

    /// Labels only in arithmetic (a hand-written binary cross-entropy): no class count, so 0 or 1.
    @Test func labelsInArithmeticAreZeroOrOne() throws {
        let check = TensorGradientCheck(try gradient("p: (6,); y: int (6,); -sum(y * ln(sigmoid(p)) + (1 - y) * ln(1 - sigmoid(p)))"))
        #expect(check.labelClasses(1, bindings: [:]) == nil)
        var points = try TensorGradientCheck.RandomPoints(check, wanted: 3, seed: 3, dimensions: [:], upstream: nil)
        for _ in 0..<3 {
            let (point, _) = try #require(try points.next())
            #expect(try point.values[1].labels().allSatisfy { $0 == 0 || $0 == 1 })
        }
        #expect(TensorGradientCheck(try gradient("z: (5,); y: int; onehot(y, 3) * z[y]")).labelClasses(1, bindings: [:]) == 3)
    }

    @Test func elementIndicesAreRowMajor() {
        #expect(TensorGradientCheck.index(5, sizes: [2, 3]) == [1, 2])
        #expect(TensorGradientCheck.index(0, sizes: []) == [])
        #expect(TensorGradientCheck.index(7, sizes: [2, 2, 2]) == [1, 1, 1])
    }
}
