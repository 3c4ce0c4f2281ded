import Symbolic

/// Central finite differences of a gradient's value, the independent oracle of the gradient
/// property tests (shared by SymbolicTests and PropertyTests).
public enum FiniteDifference {
    /// d out / d input `i` at `point` by central differences; nil where steps of 1e-5 and 1e-6
    /// disagree by more than 1e-5 relative (a kink, a pole, or cancellation: no fair judge).
    public static func central(_ g: Gradient, at point: [Double], _ i: Int) -> Double? {
        func fd(_ h: Double) -> Double {
            var plus = point, minus = point
            plus[i] += h
            minus[i] -= h
            return (g.value(at: plus) - g.value(at: minus)) / (2 * h)
        }
        let (a, b) = (fd(1e-5), fd(1e-6))
        guard a.isFinite, b.isFinite, Swift.abs(a - b) <= 1e-5 * Swift.max(1, Swift.abs(b)) else { return nil }
        return a
    }
}
