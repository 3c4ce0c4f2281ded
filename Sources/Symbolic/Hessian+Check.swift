/// The Hessian against central differences of the symbolic gradient: column j of H is
/// compared with (∇f(x + h e_j) - ∇f(x - h e_j)) / 2h, element by element, at steps h and h/2. The gradient is the
/// one `grad` prints (itself checked by `check`), so a disagreement is in the second pass.
@dynamicMemberLookup
public struct HessianComparison: Sendable {
    /// Positions in `wrt` of the block's row and column inputs.
    public let rowInput: Int
    public let columnInput: Int
    /// The element of the flattened matrix.
    public let row: Int
    public let column: Int
    /// The entry against its estimate, judged as `check` judges a partial (`DifferenceRule`):
    /// `symbolic`, `numeric`, `tolerance`, `verdict`, `agrees`, `disagrees` read through.
    public let comparison: GradientCheck.Comparison
    public subscript<T>(dynamicMember keyPath: KeyPath<GradientCheck.Comparison, T>) -> T { comparison[keyPath: keyPath] }
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
            // Steps and verdicts as GradientCheck takes them (`DifferenceRule`), one column at a time.
            let symbolic = owner.indices.map { values.matrix[$0][column] }
            let judged = try DifferenceRule.judge(symbolic: symbolic, firstStep: DifferenceRule.firstStep(at: x)) { (h: Double) throws(HessianPointError) -> [Double] in
                let plus = try gradientMoved(to: x + h), minus = try gradientMoved(to: x - h)
                return zip(plus, minus).map { ($0 - $1) / (2 * h) }
            }
            for (row, c) in judged.enumerated() {
                found.append(HessianComparison(rowInput: owner[row].input, columnInput: position, row: row, column: column, comparison: c))
            }
        }
        return found
    }
}
