import TestSupport
import ExprParse
import Symbolic
import Testing

/// Second derivatives of random scalar programs: the Hessian is symmetric (the two orders of
/// differentiation agree, though reverse over reverse computes them by different walks) and
/// agrees with central differences of the symbolic gradient.
@Suite struct HessianPropertyTests {
    @Test(arguments: Array<UInt64>(1600...1603)) func hessianIsSymmetricAndMatchesDifferences(seed: UInt64) throws {
        var random = RandomPrograms(seed: seed, tame: true)
        var symmetric = 0, differenced = 0
        for index in 0..<40 {
            let generated = random.program(maxStatements: 3, depth: 3)
            let g = try Gradient(program: Parser.parse(generated.text).program)
            let h = try Hessian(g, wrt: Array(g.staged.inputs.indices))
            let point = random.point(g.staged.inputs.count)
            let values = h.evaluate(scalars: point)
            let context = "seed \(seed) case \(index) at \(point):\n\(generated.text)"
            guard values.value.isFinite, Swift.abs(values.value) < 1e6,
                  values.matrix.allSatisfy({ $0.allSatisfy { $0.isFinite && Swift.abs($0) < 1e6 } }) else { continue }
            let n = values.matrix.count
            for i in 0..<n { for j in i..<n {
                #expect(Numbers.close(values.matrix[i][j], values.matrix[j][i], 1e-9),
                        "\(context)\nH[\(i)][\(j)] = \(values.matrix[i][j]), H[\(j)][\(i)] = \(values.matrix[j][i])")
                symmetric += 1
            } }
            guard values.kinks.isEmpty, let comparisons = try h.comparisons(at: point.map { Tensor(scalar: $0) }) else { continue }
            for c in comparisons {
                // Relative 1e-5: the random programs reach steep corners.
                #expect(c.relativeError <= 1e-5, "\(context)\nentry (\(c.row), \(c.column)): \(c.symbolic) vs \(c.numeric)")
                differenced += 1
            }
        }
        #expect(symmetric > 60 && differenced > 60, "too few comparable entries: \(symmetric), \(differenced)")
    }
}
