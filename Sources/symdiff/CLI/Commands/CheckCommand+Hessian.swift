import Codegen
import Symbolic

/// `check --hessian`: every second derivative against central differences of the gradient.
extension CheckCommand {
    static func runHessian(_ arguments: ParsedArguments, _ gradient: Gradient, _ values: Pipeline.PointValues?, _ io: IO) throws {
        let wrt = try Pipeline.reported(arguments, gradient)
        let hessian: Hessian
        do { hessian = try Hessian(gradient, wrt: wrt) } catch { throw CLIError.input(error.description) }
        var points: [[Tensor]] = []
        var dimensions: [String: Int] = [:]
        switch values {
        case .scalars(let scalars): points = [scalars.map { Tensor(scalar: $0) }]
        case .tensors(let tensors, let dims, let upstream):
            if upstream != nil { throw CLIError.usage("--upstream is for an array output's gradient; a Hessian needs a scalar output") }
            points = [tensors]
            dimensions = dims
        case .none:
            let wanted = try arguments.integer("--points") ?? 10
            let seed = UInt64(truncatingIfNeeded: try arguments.integer("--seed") ?? 1)
            points = (0..<wanted).map { gradient.samplePoint(seed: seed &+ UInt64($0) &* 0x9E37_79B9_7F4A_7C15) }
        }
        let names = wrt.map { gradient.staged.inputs[$0] }
        let f = Pipeline.functionName(gradient)
        var worst: [[HessianComparison?]] = Array(repeating: Array(repeating: nil, count: names.count), count: names.count)
        var failure: HessianComparison?
        var checked = 0, unresolved = 0
        for point in points {
            let found: [HessianComparison]?
            do { found = try hessian.comparisons(at: point, dims: dimensions) } catch { throw CLIError.input(error.description) }
            guard let found else { continue }
            checked += 1
            // At a kink the derivative is a convention, not a limit: reported, never a failure (as `check`).
            let kinks = (try? hessian.evaluate(tensors: point, dims: dimensions))?.kinks ?? []
            for kink in kinks {
                io.printError("warning: stage '\(kink.equation)' is exactly at a kink (\(kink.convention)); finite differences cannot check it there")
            }
            for c in found {
                // Where finite differences cannot resolve an entry it is neither confirmed nor refuted.
                if c.verdict != .agrees && c.verdict != .disagrees {
                    unresolved += 1
                    continue
                }
                if worst[c.rowInput][c.columnInput].map({ c.relativeError > $0.relativeError }) ?? true { worst[c.rowInput][c.columnInput] = c }
                if c.disagrees && failure == nil && kinks.isEmpty { failure = c }
            }
        }
        guard checked > 0 else {
            throw CLIError.input("the value, gradient or Hessian is not finite at \(points.count == 1 ? "this point" : "any of the points"); give another with --at")
        }
        var rows = [["entry", "symbolic", "finite difference", "abs error", "rel error"]]
        for i in names.indices {
            for j in names.indices {
                guard let c = worst[i][j] else { continue }
                rows.append([HessianText.entryName(output: f, row: names[i], column: names[j]), NumberText.format(c.symbolic),
                             NumberText.format(c.numeric), CFormat.string("%.2e", c.absoluteError), CFormat.string("%.2e", c.relativeError)])
            }
        }
        io.print("worst case per block over \(checked) point\(checked == 1 ? "" : "s"):")
        for line in alignedTable(rows) { io.print(line) }
        guard let failure else {
            if unresolved > 0 && worst.allSatisfy({ $0.allSatisfy { $0 == nil } }) {
                io.print("inconclusive: finite differences cannot resolve any entry of the Hessian at \(checked == 1 ? "this point" : "these points"), "
                         + "so they neither confirm nor refute it (their estimates did not settle at any step tried)")
                return
            }
            if unresolved > 0 {
                io.printError("note: finite differences could not resolve \(unresolved) entr\(unresolved == 1 ? "y" : "ies") (their estimates did not settle at any step tried)")
            }
            io.print("ok: the symbolic Hessian agrees with central finite differences of the symbolic gradient")
            return
        }
        throw CLIError.input("the Hessian disagrees at entry (\(failure.row), \(failure.column)) "
                             + "(\(HessianText.entryName(output: f, row: names[failure.rowInput], column: names[failure.columnInput]))): "
                             + "symbolic \(NumberText.format(failure.symbolic)), finite difference \(NumberText.format(failure.numeric))")
    }
}
