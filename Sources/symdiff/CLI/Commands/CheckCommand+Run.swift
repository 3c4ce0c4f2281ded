import Symbolic

extension CheckCommand {
    static func run(_ arguments: ParsedArguments, _ input: ExpressionInput, _ io: IO) throws {
        let (gradient, values) = try Pipeline.gradientAndValues(arguments, input, io)
        if arguments.flag("--hessian") { return try runHessian(arguments, gradient, values, io) }
        let given: [Double]?
        switch values {
        case .tensors(let tensors, let dimensions, let upstream):
            let point = TensorGradientCheck.Point(values: tensors, dimensions: dimensions, upstream: upstream)
            return try runTensors(arguments, gradient, given: point, io)
        case .scalars(let point): given = point
        case .none:
            if gradient.isTensorProgram { return try runTensors(arguments, gradient, given: nil, io) }
            given = nil
        }
        let check = GradientCheck(gradient)
        let inputs = gradient.staged.inputs
        var worst = [GradientCheck.Comparison?](repeating: nil, count: inputs.count)
        var failure: (point: [Double], variable: Int, comparison: GradientCheck.Comparison)?
        var unresolved: (point: [Double], variable: Int, comparison: GradientCheck.Comparison)?
        var count = 0, inconclusive = 0

        // One point at a time, keeping only the worst comparisons and the first failure, so
        // memory does not depend on --points.
        func visit(_ point: [Double], _ result: PointEvaluation) {
            count += 1
            for kink in result.kinks {
                io.printError("warning: stage '\(kink.equation)' is exactly at a kink (\(kink.convention)); finite differences cannot check it there")
            }
            var resolved = true
            for (i, comparison) in check.comparisons(at: point, result).enumerated() {
                // A derivative finite differences cannot resolve is neither confirmed nor refuted:
                // it is left out of the worst case and reported apart (DifferenceRule).
                if comparison.unresolved != nil {
                    resolved = false
                    if unresolved == nil { unresolved = (point, i, comparison) }
                    continue
                }
                if worst[i].map({ comparison.relativeError > $0.relativeError }) ?? true { worst[i] = comparison }
                // At a kink the derivative is a convention, not a limit: finite differences
                // cannot confirm it, so such points are reported but do not fail the check.
                if comparison.disagrees && failure == nil && result.kinks.isEmpty { failure = (point, i, comparison) }
            }
            if !resolved { inconclusive += 1 }
        }

        if let given {
            let result = check.evaluate(at: given)
            // Outside the domain there is no derivative to check, only nan on both sides.
            try Pipeline.refuseNaN(result, gradient.staged.forwardLines(InputLanguage(spaced: true)))
            visit(given, result)
        } else {
            let wanted = try arguments.integer("--points") ?? 10
            let seed = UInt64(truncatingIfNeeded: try arguments.integer("--seed") ?? 1)
            // A point where finite differences cannot resolve a partial is replaced by another
            // random point, at most `wanted` of them, so that N points are judged when they can be.
            let (bound, overflow) = wanted.multipliedReportingOverflow(by: 2)
            var points = GradientCheck.RandomPoints(check, wanted: wanted, seed: seed)
            while count - inconclusive < wanted && count < (overflow ? wanted : bound) && failure == nil,
                  let (point, result) = points.next() { visit(point, result) }
            guard count > 0 else {
                throw CLIError.input("could not find a point in [-3, 3] where the expression and its gradient are finite; give one with --at")
            }
            if count - inconclusive < wanted && count < wanted {
                io.printError("note: only \(count) of \(points.draws) random points in [-3, 3] had a finite value and gradient; checked those")
            }
        }

        var rows = [["variable", "symbolic", "finite difference", "abs error", "rel error"]]
        for (i, name) in inputs.enumerated() {
            guard let c = worst[i] else {
                rows.append([name, "-", "-", "inconclusive", "-"])
                continue
            }
            rows.append([name, NumberText.format(c.symbolic), NumberText.format(c.numeric),
                         CFormat.string("%.2e", c.absoluteError), CFormat.string("%.2e", c.relativeError)])
        }
        io.print("worst case per variable over \(count) point\(count == 1 ? "" : "s"):")
        for line in alignedTable(rows) { io.print(line) }
        guard let failure else {
            if let unresolved {
                let why = inconclusiveReason(inputs, unresolved.point, unresolved.variable, unresolved.comparison)
                if inconclusive == count {
                    io.print("inconclusive: finite differences cannot resolve the gradient at \(count == 1 ? "this point" : "any of the \(count) points"), "
                             + "so they neither confirm nor refute it; \(why)")
                    return
                }
                io.printError("note: at \(inconclusive) of the \(count) points finite differences could not resolve a partial; \(why)")
                io.print("ok: the symbolic gradient agrees with central finite differences at the \(count - inconclusive) "
                         + "point\(count - inconclusive == 1 ? "" : "s") where they resolve it (inconclusive at \(inconclusive))")
                return
            }
            io.print("ok: the symbolic gradient agrees with central finite differences")
            return
        }
        let at = zip(inputs, failure.point).map { "\($0)=\(NumberText.format($1))" }.joined(separator: ",")
        var message = "d/d\(inputs[failure.variable]) disagrees at \(at): symbolic \(NumberText.format(failure.comparison.symbolic)), "
            + "finite difference \(NumberText.format(failure.comparison.numeric))"
        if let index = check.firstWrongStage(at: failure.point) {
            let line = gradient.staged.forwardLines(InputLanguage(spaced: true))[index]
            message += "; the first stage whose adjoint is wrong is '\(line.name) = \(line.expression)'"
        }
        throw CLIError.input(message)
    }

    /// Why finite differences could not judge d/d`variable` at `point`, with the figures.
    static func inconclusiveReason(_ inputs: [String], _ point: [Double], _ variable: Int, _ comparison: GradientCheck.Comparison) -> String {
        let at = zip(inputs, point).map { "\($0)=\(NumberText.format($1))" }.joined(separator: ",")
        return "d/d\(inputs[variable]) at \(at): " + unresolvedText(comparison)
    }

    /// The figures of an inconclusive comparison, the same words for scalars, arrays and Hessians.
    static func unresolvedText(_ comparison: GradientCheck.Comparison) -> String {
        guard let figures = comparison.unresolved else { return "" }
        let e = figures.estimates.map { CFormat.string("%.3g", $0) }
        return "symbolic \(CFormat.string("%.6g", comparison.symbolic)), central differences at h, h/2, h/4 "
            + "(h = \(CFormat.string("%.3g", figures.step))) \(e.joined(separator: ", ")); at none of \(figures.stepsTried) steps from "
            + "\(CFormat.string("%.3g", figures.smallestStep)) to \(CFormat.string("%.3g", figures.largestStep)) did four successive "
            + "estimates settle (the function is not smooth at the scale of the step)"
    }
}
