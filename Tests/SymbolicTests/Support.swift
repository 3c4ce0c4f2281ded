import ExprParse
import Foundation
import Symbolic
import Testing

/// |a - b| <= tolerance * max(1, |b|), the relative check used across the suite.
func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-12) -> Bool {
    if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
    return Swift.abs(a - b) <= tolerance * Swift.max(1, Swift.abs(b))
}

/// Parses, stages and differentiates, failing the test on a parse error.
func gradient(_ source: String, variables: [String]? = nil, expand: Bool = false) throws -> Gradient {
    try Gradient(source: source, expand: expand, variables: variables)
}

/// Canonical simplification of the graph of `source`, printed.
func simplified(_ source: String) throws -> String {
    let g = try gradient(source)
    var simplifier = Simplifier(g.graph)
    return Printer(g.graph, InputLanguage()).render(simplifier.simplify(g.staged.output))
}

/// SplitMix64: a tiny seeded generator so every random test is reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}
