@testable import ExprParse

/// The output expression of `source` with every operator application parenthesized, or the
/// rendered diagnostics when there are any (so a failing case shows why).
func parenthesized(_ source: String) -> String {
    let result = Parser.parse(source)
    guard result.diagnostics.isEmpty, let output = result.program.output else { return rendered(source) }
    return result.program.fullyParenthesized(output.value)
}

/// `source` parsed and printed back, or its rendered diagnostics.
func reprinted(_ source: String) -> String {
    let result = Parser.parse(source)
    guard result.diagnostics.isEmpty else { return rendered(source) }
    return result.program.printed()
}

/// Every diagnostic of `source`, rendered, separated by blank lines.
func rendered(_ source: String) -> String {
    Parser.parse(source).diagnostics.map { $0.render(source: source) }.joined(separator: "\n\n")
}

/// The ids of the diagnostics of `source`, in order.
func diagnosticIDs(_ source: String, nodeLimit: Int = Parser.maxNodes) -> [String] {
    Parser.parse(source, nodeLimit: nodeLimit).diagnostics.map(\.id)
}

/// A small seeded PRNG (SplitMix64) so generated tests are the same on every run and machine.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
