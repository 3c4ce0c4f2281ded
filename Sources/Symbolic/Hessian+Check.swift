/// The Hessian against central differences of the symbolic gradient: column j of H is
/// compared with (∇f(x + h e_j) - ∇f(x - h e_j)) / 2h, element by element, at steps h and h/2. The gradient is the
/// one `grad` prints (itself checked by `check`), so a disagreement is in the second pass.
public struct HessianComparison: Sendable {
    /// Positions in `wrt` of the block's row and column inputs.
    public let rowInput: Int
    public let columnInput: Int
    /// The element of the flattened matrix.
    public let row: Int
    public let column: Int
    public let symbolic: Double
    public let numeric: Double
    /// What the estimate itself cannot resolve, as `GradientCheck.compare` judges it: how much
    /// the difference moves when the step halves (truncation and rounding; large where the
    /// third derivatives are), plus a relative floor of 1e-6.
    public let tolerance: Double
    public var absoluteError: Double { Swift.abs(symbolic - numeric) }
    public var relativeError: Double { absoluteError / Swift.max(1, Swift.abs(numeric)) }
    public var agrees: Bool { absoluteError <= tolerance }
}

extension Hessian {
    /// Every entry of the Hessian at `point` against central differences of the gradient;
    /// nil when the value, gradient or Hessian is not finite there (no derivative to check).
    public func comparisons(at point: [Tensor], dims: [String: Int] = [:]) throws(HessianPointError) -> [HessianComparison]? {
        let values = try evaluate(tensors: point, dims: dims)
        guard values.value.isFinite, values.matrix.allSatisfy({ $0.allSatisfy(\.isFinite) }),
              values.gradient.allSatisfy({ $0.scalars.allSatisfy(\.isFinite) }) else { return nil }
        // Which input and element each flattened index is.
        var owner: [(input: Int, element: Int)] = []
        for (position, g) in values.gradient.enumerated() { for element in 0..<g.count { owner.append((position, element)) } }
        func gradientAt(_ p: [Tensor]) throws(HessianPointError) -> [Double] {
            if product == nil {
                let result = gradient.evaluate(at: p.map { $0.scalars.first ?? .nan })
                return wrt.map { result.gradient[$0] }
            }
            do {
                let result = try gradient.evaluate(tensors: p, dims: dims)
                return wrt.flatMap { result.gradient[$0]?.scalars ?? [.nan] }
            } catch { throw .point(error) }
        }
        var found: [HessianComparison] = []
        for (column, (position, element)) in owner.enumerated() {
            let index = wrt[position]
            let x = point[index].scalars[element]
            func gradientMoved(to value: Double) throws(HessianPointError) -> [Double] {
                var moved = point
                moved[index].scalars[element] = value
                return try gradientAt(moved)
            }
            // Steps as GradientCheck takes them: 1e-5, halved while a step leaves the domain.
            var h = 1e-5 * Swift.max(1, Swift.abs(x))
            var samples = [try gradientMoved(to: x + h), try gradientMoved(to: x - h),
                          try gradientMoved(to: x + h / 2), try gradientMoved(to: x - h / 2)]
            var halvings = 0
            while halvings < GradientCheck.maxStepHalvings && !samples.allSatisfy({ $0.allSatisfy(\.isFinite) }) {
                h /= 2
                halvings += 1
                samples = [try gradientMoved(to: x + h), try gradientMoved(to: x - h),
                          try gradientMoved(to: x + h / 2), try gradientMoved(to: x - h / 2)]
            }
            for row in 0..<owner.count {
                let coarse = (samples[0][row] - samples[1][row]) / (2 * h)
                let fine = (samples[2][row] - samples[3][row]) / h
                let tolerance = 1e-6 * Swift.max(1, Swift.abs(fine)) + 4 * Swift.abs(coarse - fine)
                found.append(HessianComparison(rowInput: owner[row].input, columnInput: position, row: row, column: column,
                                               symbolic: values.matrix[row][column], numeric: fine,
                                               tolerance: tolerance))
            }
        }
        return found
    }
}
