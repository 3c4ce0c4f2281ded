import Symbolic
import Testing

/// The backward pass's edges: 16 bytes each (a 10^6-op program has 1.5*10^6), and every field
/// reads back as it was recorded, the operand index and both flags sharing one word.
@Suite struct ContributionTests {
    @Test func fieldsReadBackFromThePackedWord() {
        #expect(MemoryLayout<Contribution>.stride == 16)
        for argument in [0, 1, 2, 40_000, (1 << 30) - 1] {
            for accumulates in [false, true] {
                let plain = Contribution(target: NodeID(3), source: NodeID(9), argument: argument, partial: NodeID(7),
                                         accumulates: accumulates)
                #expect(plain.argument == argument && plain.accumulates == accumulates && plain.vjp == nil)
                #expect(plain.target == NodeID(3) && plain.source == NodeID(9) && plain.partial == NodeID(7))
                let vjp = Contribution(target: NodeID(3), source: NodeID(9), argument: argument, partial: NodeID(7),
                                       vjp: NodeID(7), accumulates: accumulates)
                #expect(vjp.argument == argument && vjp.accumulates == accumulates && vjp.vjp == NodeID(7))
                #expect(vjp != plain)
            }
        }
    }

    /// A stage that passes no gradient on (`sign`) gets no edge into it, and the edges kept are
    /// renumbered: the first edge into each target defines it, later ones accumulate.
    @Test func deadEdgesAreDroppedAndTheRestRenumbered() throws {
        let g = try Gradient(source: "s = sign(x); t = s*y + x*y; t*x")
        let names = g.contributions.map { (g.staged.name(of: $0.target) ?? "?", $0.accumulates) }
        #expect(!names.contains { $0.0 == "s" })
        var seen = Set<String>()
        for (target, accumulates) in names {
            #expect(accumulates == seen.contains(target), "\(target)")
            seen.insert(target)
        }
    }
}
