/// SplitMix64: seeded, fast, and the same sequence on every platform. The one generator of
/// Symbolic's random points (`GradientCheck`, `TensorGradientCheck`, `Gradient.samplePoint`).
struct CheckRandom {
    private var state: UInt64

    init(_ seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }

    /// Uniform in [low, high).
    mutating func uniform(from low: Double, to high: Double) -> Double {
        low + (high - low) * Double(next() >> 11) / Double(1 << 53)
    }

    mutating func tensor(_ sizes: [Int], from low: Double, to high: Double) -> Tensor {
        let count = sizes.reduce(1, *)
        var scalars: [Double] = []
        scalars.reserveCapacity(count)
        for _ in 0..<count { scalars.append(uniform(from: low, to: high)) }
        return Tensor(unchecked: sizes, scalars)
    }

    /// Integers uniform in [0, n) as doubles, the way label values are held.
    mutating func labels(_ sizes: [Int], below n: Int) -> Tensor {
        let count = sizes.reduce(1, *)
        var scalars: [Double] = []
        scalars.reserveCapacity(count)
        for _ in 0..<count { scalars.append(Double(next() % UInt64(Swift.max(n, 1)))) }
        return Tensor(unchecked: sizes, scalars)
    }
}
