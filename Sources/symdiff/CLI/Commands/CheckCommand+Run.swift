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
        var count = 0

        // One point at a time, keeping only the worst comparisons and the first failure, so
        // memory does not depend on --points.
        func visit(_ point: [Double], _ result: PointEvaluation) {
            count += 1
            for kink in result.kinks {
                io.printError("warning: stage '\(kink.equation)' is exactly at a kink (\(kink.convention)); finite differences cannot check it there")
            }
            for (i, comparison) in check.comparisons(at: point, result).enumerated() {
                if worst[i].map({ comparison.relativeError > $0.relativeError }) ?? true { worst[i] = comparison }
                // At a kink the derivative is a convention, not a limit: finite differences
                // cannot confirm it, so such points are reported but do not fail the check.
                if !comparison.agrees && failure == nil && result.kinks.isEmpty { failure = (point, i, comparison) }
            }
        }

        if let given {
            let result = check.evaluate(at: given)
            // Outside the domain there is no derivative to check, only nan on both sides.
            try Pipeline.refuseNaN(result, gradient.staged.forwardLines(InputLanguage(spaced: true)))
            visit(given, result)
        } else {
            let wanted = try arguments.integer("--points") ?? 10
            let seed = UInt64(truncatingIfNeeded: try arguments.integer("--seed") ?? 1)
            var points = GradientCheck.RandomPoints(check, wanted: wanted, seed: seed)
            while count < wanted, let (point, result) = points.next() { visit(point, result) }
            guard count > 0 else {
                throw CLIError.input("could not find a point in [-3, 3] where the expression and its gradient are finite; give one with --at")
            }
            if count < wanted {
                io.printError("note: only \(count) of \(points.draws) random points in [-3, 3] had a finite value and gradient; checked those")
            }
        }

        var rows = [["variable", "symbolic", "finite difference", "abs error", "rel error"]]
        for (i, name) in inputs.enumerated() {
            guard let c = worst[i] else { continue }
            rows.append([name, NumberText.format(c.symbolic), NumberText.format(c.numeric),
                         String(format: "%.2e", c.absoluteError), String(format: "%.2e", c.relativeError)])
        }
        io.print("worst case per variable over \(count) point\(count == 1 ? "" : "s"):")
        for line in alignedTable(rows) { io.print(line) }
        guard let failure else {
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
}
