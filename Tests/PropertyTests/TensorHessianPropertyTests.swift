import TestSupport
import ExprParse
import Symbolic
import Testing

/// Second derivatives of random tensor programs (scalar outputs; broadcasting, matmul,
/// reductions, softmax family, labels): the full Hessian, built from one Hessian-vector product
/// per column, is symmetric, agrees with central differences of the symbolic gradient, and a
/// product with a random direction equals the matrix times it.
@Suite struct TensorHessianPropertyTests {
    @Test(arguments: Array<UInt64>(1610...1613)) func tensorHessiansAreSymmetricAndMatchDifferences(seed: UInt64) throws {
        var random = RandomTensorPrograms(seed: seed)
        var checked = 0
        for index in 0..<60 {
            let program = random.program(arrayOutput: 0)
            let context = "seed \(seed) case \(index):\n\(program.text)"
            let parsed = Parser.parse(program.text)
            guard !parsed.hasErrors, let g = try? Gradient(program: parsed.program),
                  g.graph.shapes[g.staged.output.int].rank == 0 else { continue }
            let wrt = g.staged.inputs.indices.filter { !g.isLabel($0) }
            guard !wrt.isEmpty else { continue }
            let h = try Hessian(g, wrt: wrt)
            let values = random.values(program)
            let point = g.staged.inputs.map { values[$0] ?? Tensor(scalar: .nan) }
            guard let full = try? h.evaluate(tensors: point, dims: program.bindings), full.kinks.isEmpty,
                  full.value.isFinite, Swift.abs(full.value) < 1e6,
                  full.matrix.allSatisfy({ $0.allSatisfy { $0.isFinite && Swift.abs($0) < 1e6 } }) else { continue }
            let n = full.matrix.count
            for i in 0..<n { for j in i..<n {
                #expect(Numbers.close(full.matrix[i][j], full.matrix[j][i], 1e-9), "\(context)\nH[\(i)][\(j)] \(full.matrix[i][j]) vs \(full.matrix[j][i])")
            } }
            if let comparisons = try h.comparisons(at: point, dims: program.bindings) {
                for c in comparisons {
                    #expect(c.relativeError <= 1e-5, "\(context)\nentry (\(c.row), \(c.column)): \(c.symbolic) vs \(c.numeric)")
                }
            }
            let direction = wrt.map { index in
                let t = point[index]
                return (try? Tensor(shape: t.sizes, scalars: t.scalars.map { _ in random.uniform() })) ?? t
            }
            let product = try h.productValues(at: point, directions: direction, dims: program.bindings).flatMap(\.scalars)
            let v = direction.flatMap(\.scalars)
            for i in 0..<n {
                let expected = zip(full.matrix[i], v).reduce(0) { $0 + $1.0 * $1.1 }
                #expect(Numbers.close(product[i], expected, 1e-9), "\(context)\n(H v)[\(i)] \(product[i]) vs \(expected)")
            }
            checked += 1
        }
        #expect(checked > 20, "too few comparable programs: \(checked)")
    }
}
