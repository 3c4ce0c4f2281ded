// symdiff-bench hvp / hessian: the in-process half of scripts/bench_hessian.
#if canImport(Glibc)
import Glibc
#endif
import ExprParse
import Symbolic

/// The fastest of repeated runs of `body`, repeated for at least `minTime` seconds (and at
/// least 3 times).
func fastest(minTime: Double, _ body: () -> Void) -> (best: Double, reps: Int) {
    var best = Double.infinity
    var reps = 0
    let start = now()
    while reps < 3 || now() - start < minTime {
        let t0 = now()
        body()
        best = min(best, now() - t0)
        reps += 1
    }
    return (best, reps)
}

/// `hvp FAMILY N [--min-time S]`: one gradient against one Hessian-vector product of a scalar
/// family, both by symdiff's evaluator (the staged program interpreted in Double), and the
/// staged programs' sizes (equations + backward contributions). The direction is all ones.
func hvpCommand(_ args: [String]) {
    guard args.count >= 2 else { fail("usage: hvp FAMILY N [--min-time S]") }
    let fam = family(args[0]), n = size(args[1])
    let minTime = Double(option(args, "--min-time") ?? "0.5") ?? 0.5
    let text = fam.program(n)
    let variables = fam.variables(n)
    do {
        var start = now()
        let g = try Gradient(source: text, variables: variables)
        let gradientBuild = now() - start
        start = now()
        let h = try Hessian(g, wrt: Array(g.staged.inputs.indices), products: true)
        let productBuild = now() - start
        guard let product = h.product else { fail("no product program") }
        let point = variables.indices.map(Family.pointValue)
        let direction = [Double](repeating: 1, count: variables.count)
        var sink = 0.0
        let gradientTime = fastest(minTime: minTime) { sink += g.evaluate(at: point).gradient[0] }
        let productTime = fastest(minTime: minTime) { sink += product.evaluate(at: point + direction).gradient[0] }
        let fields = [
            "\"family\": \"\(fam.rawValue)\"", "\"n\": \(n)", "\"inputs\": \(variables.count)",
            "\"gradient_ops\": \(g.staged.equations.count + g.contributions.count)",
            "\"hvp_ops\": \(product.staged.equations.count + product.contributions.count)",
            "\"gradient_build_s\": \(json(gradientBuild))", "\"hvp_build_s\": \(json(productBuild))",
            "\"gradient_eval_s\": \(json(gradientTime.best))", "\"hvp_eval_s\": \(json(productTime.best))",
            "\"sink\": \(json(sink.isFinite ? 0 : 1))",
        ]
        print("{" + fields.joined(separator: ", ") + "}")
    } catch {
        fail("hvp: \(error)")
    }
}

/// `hvp-tensor SOURCE [--min-time S]`: the same for a program with arrays (fixed shapes), by
/// the tensor evaluator, at a seeded point with a seeded direction, every real input differentiated.
func hvpTensorCommand(_ args: [String]) {
    guard let source = args.first else { fail("usage: hvp-tensor SOURCE [--min-time S]") }
    let minTime = Double(option(args, "--min-time") ?? "0.5") ?? 0.5
    do {
        var start = now()
        let g = try Gradient(source: source)
        let gradientBuild = now() - start
        let wrt = g.staged.inputs.indices.filter { !g.isLabel($0) }
        start = now()
        let h = try Hessian(g, wrt: wrt)
        let productBuild = now() - start
        guard let product = h.product else { fail("no product program") }
        let point = g.samplePoint(seed: 7)
        let direction = g.samplePoint(seed: 8)
        let directions = wrt.map { direction[$0] }
        var sink = 0.0
        let gradientTime = fastest(minTime: minTime) {
            sink += (try? g.evaluate(tensors: point))?.value.scalars.first ?? .nan
        }
        let productTime = fastest(minTime: minTime) {
            sink += (try? product.evaluate(tensors: point + directions))?.value.scalars.first ?? .nan
        }
        let sizes = wrt.map { point[$0].count }.reduce(0, +)
        let fields = [
            "\"inputs\": \(wrt.count)", "\"elements\": \(sizes)",
            "\"gradient_ops\": \(g.staged.equations.count + g.contributions.count)",
            "\"hvp_ops\": \(product.staged.equations.count + product.contributions.count)",
            "\"gradient_build_s\": \(json(gradientBuild))", "\"hvp_build_s\": \(json(productBuild))",
            "\"gradient_eval_s\": \(json(gradientTime.best))", "\"hvp_eval_s\": \(json(productTime.best))",
            "\"finite\": \(sink.isFinite)",
        ]
        print("{" + fields.joined(separator: ", ") + "}")
    } catch {
        fail("hvp-tensor: \(error)")
    }
}

/// `hessian SOURCE --at v1,v2,... [--min-time S]`: a full Hessian of a small scalar program:
/// building it symbolically (parse, stage, both reverse passes, simplify every entry) and
/// evaluating it at a point (value, gradient, every entry), each the fastest repetition.
func hessianCommand(_ args: [String]) {
    guard let source = args.first, let at = option(args, "--at") else { fail("usage: hessian SOURCE --at v1,v2,... [--min-time S]") }
    let minTime = Double(option(args, "--min-time") ?? "0.5") ?? 0.5
    let point = at.split(separator: ",").compactMap { Double($0) }
    var entriesText: [String] = []
    let build = fastest(minTime: minTime) {
        guard let g = try? Gradient(source: source), let h = try? Hessian(g, wrt: Array(g.staged.inputs.indices)) else { return }
        var simplifier = Simplifier(h.graph)
        let printer = Printer(h.graph, InputLanguage())
        entriesText = h.wrt.indices.flatMap { i in h.wrt.indices.map { j in printer.render(simplifier.simplify(h.entry(i, j))) } }
    }
    guard let g = try? Gradient(source: source), let h = try? Hessian(g, wrt: Array(g.staged.inputs.indices)) else { fail("hessian: cannot build") }
    var matrix: [[Double]] = []
    let evaluate = fastest(minTime: minTime) { matrix = h.evaluate(scalars: point).matrix }
    let fields = [
        "\"inputs\": \(g.staged.inputs.count)", "\"build_s\": \(json(build.best))", "\"eval_s\": \(json(evaluate.best))",
        "\"entry_chars\": \(entriesText.reduce(0) { $0 + $1.count })",
        "\"matrix\": [" + matrix.map { "[" + $0.map(json).joined(separator: ", ") + "]" }.joined(separator: ", ") + "]",
    ]
    print("{" + fields.joined(separator: ", ") + "}")
}
