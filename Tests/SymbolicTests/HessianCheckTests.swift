@testable import Symbolic
import Testing

/// `Hessian.comparisons` catches a wrong second derivative: one edge of a row's second backward
/// pass is planted with twice its partial, and the entries it feeds disagree with the
/// differences of the (correct) gradient while the others still agree.
@Suite struct HessianCheckTests {
    @Test func aPlantedWrongSecondDerivativeIsCaught() throws {
        let g = try Gradient(source: "x^2*y + sin(x*y)")
        var h = try Hessian(g, wrt: [0, 1])
        let point = [Tensor(scalar: 0.7), Tensor(scalar: -1.3)]
        let clean = try #require(try h.comparisons(at: point))
        #expect(clean.allSatisfy { $0.agrees })

        var row = h.rows[0]
        let index = try #require(row.contributions.firstIndex { $0.target == row.staged.inputNodes[0] })
        let c = row.contributions[index]
        let doubled = row.graph.mul(c.partial, row.graph.integer(2))
        row.contributions[index] = Contribution(target: c.target, source: c.source, argument: c.argument,
                                                partial: doubled, accumulates: c.accumulates)
        h.rows[0] = row
        let planted = try #require(try h.comparisons(at: point))
        let wrong = planted.filter { !$0.agrees }
        #expect(!wrong.isEmpty)
        // Only row 0 is wrong: the entries of row 1 still agree.
        #expect(wrong.allSatisfy { $0.row == 0 })
        #expect(planted.filter { $0.row == 1 }.allSatisfy { $0.agrees })
    }
}
