/// The Hessian against central differences of the symbolic gradient: column j of H is
/// compared with (∇f(x + h e_j) - ∇f(x - h e_j)) / 2h, element by element. The gradient is the
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
    public var absoluteError: Double { Swift.abs(symbolic - numeric) }
    public var relativeError: Double { absoluteError / Swift.max(1, Swift.abs(numeric)) }
    /// Central differences of a gradient in double precision are good to about 1e-9 relative
    /// at the step chosen; 1e-6 leaves room for curvature and cancellation.
    public var agrees: Bool { relativeError <= HessianComparison.tolerance }
    public static let tolerance = 1e-6
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
            // The step that balances truncation (h^2) against rounding (eps/h) for a first
            // difference of a gradient: about eps^(1/3), scaled by the coordinate.
            let h = 6e-6 * Swift.max(1, Swift.abs(x))
            var plus = point
            var minus = point
            plus[index].scalars[element] = x + h
            minus[index].scalars[element] = x - h
            let up = try gradientAt(plus)
            let down = try gradientAt(minus)
            for row in 0..<owner.count {
                let numeric = (up[row] - down[row]) / ((x + h) - (x - h))
                found.append(HessianComparison(rowInput: owner[row].input, columnInput: position, row: row, column: column,
                                               symbolic: values.matrix[row][column], numeric: numeric))
            }
        }
        return found
    }
}
