import ExprParse
import Foundation
import Symbolic
import Testing

/// Second derivatives (reverse over reverse) against closed forms derived by hand and against
/// central differences of the symbolic gradient.
@Suite struct HessianTests {
    /// The Hessian of `source` over every input (or `wrt`, by name).
    private func hessian(_ source: String, wrt: [String]? = nil) throws -> Hessian {
        let g = try gradient(source)
        let indices = wrt.map { names in names.compactMap { g.staged.inputs.firstIndex(of: $0) } } ?? Array(g.staged.inputs.indices)
        return try Hessian(g, wrt: indices)
    }

    private func text(_ h: Hessian, _ node: NodeID?) -> String {
        guard let node else { return "nil" }
        var simplifier = Simplifier(h.graph)
        return Printer(h.graph, InputLanguage()).render(simplifier.simplify(node))
    }

    private func tensor(_ shape: [Int], _ values: [Double]) throws -> Tensor { try Tensor(shape: shape, scalars: values) }

    @Test func scalarEntriesInClosedForm() throws {
        let h = try hessian("x^2*y")
        #expect(text(h, h.entry(0, 0)) == "2*y")
        #expect(text(h, h.entry(0, 1)) == "2*x")
        #expect(text(h, h.entry(1, 0)) == "2*x")
        #expect(text(h, h.entry(1, 1)) == "0")
        let values = h.evaluate(scalars: [3, 2])
        #expect(values.value == 18)
        #expect(values.matrix == [[4, 6], [6, 0]])
    }

    @Test func wrtChoosesAndOrdersRowsAndColumns() throws {
        let h = try hessian("x^2*y + y^3*z", wrt: ["z", "y"])
        #expect(text(h, h.entry(0, 0)) == "0")
        #expect(text(h, h.entry(0, 1)) == "3*y^2")
        #expect(text(h, h.entry(1, 1)) == "6*y*z")
    }

    @Test func sigmoidSecondDerivativeIsTheClosedForm() throws {
        let h = try hessian("sigmoid(x)")
        #expect(text(h, h.entry(0, 0)) == "sigmoid(x)*(1 - 2*sigmoid(x))*(1 - sigmoid(x))")
        for x in stride(from: -6.0, through: 6.0, by: 0.75) {
            let s = 1 / (1 + exp(-x))
            #expect(close(h.evaluate(scalars: [x]).matrix[0][0], s * (1 - s) * (1 - 2 * s), 1e-14))
        }
    }

    @Test func quadraticFormIsAPlusATranspose() throws {
        let h = try hessian("A: (2,2); x: (2,); x @ A @ x", wrt: ["x"])
        #expect(text(h, h.block(0, 0)) == "A + A.T")
        let a = try tensor([2, 2], [1, 2, -3, 4])
        let values = try h.evaluate(tensors: [a, try tensor([2], [0.5, -1])])
        #expect(values.matrix == [[2, -1], [-1, 8]])
    }

    /// A block that is a multiple of the identity prints with `eye(n)` (it printed as the
    /// product `Hv[x] = 2*v` before `eye` existed), alone or beside a matrix.
    @Test func identityMultiplesPrintWithEye() throws {
        let squares = try hessian("x: (3,); sum(x^2)", wrt: ["x"])
        #expect(text(squares, squares.block(0, 0)) == "2*eye(3)")
        let values = try squares.evaluate(tensors: [try tensor([3], [0.5, -1, 2])])
        #expect(values.matrix == [[2, 0, 0], [0, 2, 0], [0, 0, 2]])
        let named = try hessian("x: (N,); 0.5*sum(x^2)", wrt: ["x"])
        #expect(text(named, named.block(0, 0)) == "eye(N)")
        let mixed = try hessian("x: (3,); y: (3,); x @ y", wrt: ["x", "y"])
        #expect(text(mixed, mixed.block(0, 1)) == "eye(3)")
        #expect(text(mixed, mixed.block(1, 0)) == "eye(3)")
        let plus = try hessian("A: (2,2); x: (2,); x @ A @ x + sum(x^2)", wrt: ["x"])
        #expect(text(plus, plus.block(0, 0)) == "A + 2*eye(2) + A.T")
        let a = try tensor([2, 2], [1, 2, -3, 4])
        #expect(try plus.evaluate(tensors: [a, try tensor([2], [0.5, -1])]).matrix == [[4, -1], [-1, 10]])
        // A diagonal that is not a multiple of the identity is still the product.
        let sines = try hessian("x: (3,); sum(sin(x))", wrt: ["x"])
        #expect(sines.block(0, 0) == nil)
    }

    @Test func normOfWxSquaredIsTwoWTransposeW() throws {
        for source in ["W: (2,3); x: (3,); sum((W @ x)^2)", "W: (2,3); x: (3,); ||W @ x||^2"] {
            let h = try hessian(source, wrt: ["x"])
            #expect(text(h, h.block(0, 0)) == "2*(W.T @ W)", "\(source)")
            let w: [Double] = [1, 2, 0.5, -1, 3, 2]
            let values = try h.evaluate(tensors: [try tensor([2, 3], w), try tensor([3], [0.3, -0.7, 1.1])])
            for i in 0..<3 { for j in 0..<3 {
                let expected = 2 * (w[i] * w[j] + w[3 + i] * w[3 + j])
                #expect(close(values.matrix[i][j], expected, 1e-12), "\(source) [\(i)][\(j)]")
            } }
        }
    }

    @Test func softmaxCrossEntropyWithRespectToLogitsIsDiagPMinusPPT() throws {
        let h = try hessian("z: (4,); y: int; cross_entropy(z, y)", wrt: ["z"])
        var rng = SplitMix64(seed: 16)
        for label in 0..<4 {
            let z = (0..<4).map { _ in Double.random(in: -3...3, using: &rng) }
            let m = z.max() ?? 0
            let e = z.map { exp($0 - m) }
            let p = e.map { $0 / e.reduce(0, +) }
            let values = try h.evaluate(tensors: [try tensor([4], z), Tensor(scalar: Double(label))])
            for i in 0..<4 { for j in 0..<4 {
                let expected = (i == j ? p[i] : 0) - p[i] * p[j]
                #expect(close(values.matrix[i][j], expected, 1e-14), "z \(z) [\(i)][\(j)]")
            } }
        }
        // The naive spelling is rewritten to the same thing.
        let naive = try hessian("z: (3,); y: int; -log(softmax(z)[y])", wrt: ["z"])
        #expect(try naive.evaluate(tensors: [try tensor([3], [1, 2, 3]), Tensor(scalar: 0)]).matrix[0][0] > 0)
    }

    @Test func productIsTheHessianTimesTheDirection() throws {
        let h = try hessian("W: (2,2); b: (2,); x: (2,); sum(tanh(W @ x + b)^2) + sum(x^3)")
        let point = [try tensor([2, 2], [0.3, -0.2, 0.5, 0.9]), try tensor([2], [0.1, -0.4]), try tensor([2], [0.7, -1.2])]
        let full = try h.evaluate(tensors: point)
        #expect(full.matrix.count == 8)
        let direction = [try tensor([2, 2], [1, -2, 0.5, 3]), try tensor([2], [0.25, -1]), try tensor([2], [2, 1])]
        let flat = direction.flatMap(\.scalars)
        let product = try h.productValues(at: point, directions: direction).flatMap(\.scalars)
        for i in 0..<8 {
            let expected = zip(full.matrix[i], flat).reduce(0) { $0 + $1.0 * $1.1 }
            #expect(close(product[i], expected, 1e-12))
        }
        // Symmetric.
        for i in 0..<8 { for j in 0..<8 { #expect(close(full.matrix[i][j], full.matrix[j][i], 1e-12)) } }
    }

    @Test(arguments: [
        "x^2*y + sin(x*y)", "exp(x)/(1 + y^2)", "ln(x^2 + 1)*tanh(y)", "sigmoid(x*y - 1) + softplus(x)",
        "W: (2,3); x: (3,); b: (2,); sum(sigmoid(W @ x + b))",
        "X: (3,2); w: (2,); y: (3,); mean((X @ w - y)^2)",
        "z: (3,); logsumexp(z) + sum(z^2)/2",
    ])
    func hessianAgreesWithDifferencesOfTheGradient(_ source: String) throws {
        let g = try gradient(source)
        let h = try Hessian(g, wrt: Array(g.staged.inputs.indices).filter { !g.isLabel($0) })
        for seed in 1...3 as ClosedRange<UInt64> {
            let point = g.samplePoint(seed: seed)
            guard let comparisons = try h.comparisons(at: point) else { continue }
            #expect(!comparisons.isEmpty)
            for c in comparisons { #expect(c.agrees, "\(source) seed \(seed) entry (\(c.row), \(c.column)): \(c.symbolic) vs \(c.numeric)") }
        }
    }

    @Test func arrayOutputIsRefused() throws {
        let g = try gradient("x: (2,); x^2")
        #expect(throws: Hessian.Failure.arrayOutput([2])) { try Hessian(g, wrt: [0]) }
    }

    @Test func largeInputsAreRefusedWithTheSizeAndTheWayOut() throws {
        let h = try hessian("x: (200,); sum(x^2)")
        let point = [try tensor([200], Array(repeating: 1, count: 200))]
        #expect(throws: HessianPointError.tooLarge(size: 200, limit: 128)) { try h.evaluate(tensors: point) }
        let description = HessianPointError.tooLarge(size: 200, limit: 128).description
        #expect(description.contains("200 x 200") && description.contains("--direction"))
        // The product still works, at the cost of about one gradient.
        let v = try tensor([200], (0..<200).map(Double.init))
        #expect(try h.productValues(at: point, directions: [v])[0].scalars == (0..<200).map { 2 * Double($0) })
    }

    @Test func wrongDirectionShapeIsAnError() throws {
        let h = try hessian("x: (2,); sum(x^3)")
        #expect(throws: HessianPointError.directionShape(name: "x", expected: [2], got: [3])) {
            try h.productValues(at: [try tensor([2], [1, 2])], directions: [try tensor([3], [1, 2, 3])])
        }
    }
}
