import Symbolic

extension CheckCommand {
    /// One comparison of a symbolic partial with its finite-difference estimate.
    struct Comparison {
        let symbolic: Double
        let numeric: Double
        /// What the estimate itself cannot resolve: truncation and rounding, judged by how much
        /// the estimate moves when the step halves, plus a relative floor.
        let tolerance: Double
        var absoluteError: Double { Swift.abs(symbolic - numeric) }
        var relativeError: Double { absoluteError / Swift.max(1, Swift.abs(numeric)) }
        var agrees: Bool { absoluteError <= tolerance }
    }

    /// Central difference of `f` in one coordinate, with a conditioning-aware tolerance.
    static func compare(symbolic: Double, at x: Double, _ f: (Double) -> Double) -> Comparison {
        let h = 1e-5 * Swift.max(1, Swift.abs(x))
        let coarse = (f(x + h) - f(x - h)) / (2 * h)
        let fine = (f(x + h / 2) - f(x - h / 2)) / h
        // Richardson: the fine estimate's error is about a quarter of the difference; allow 4x.
        let noise = Swift.abs(coarse - fine)
        let tolerance = 1e-6 * Swift.max(1, Swift.abs(fine)) + 4 * noise
        return Comparison(symbolic: symbolic, numeric: fine, tolerance: tolerance)
    }

    static func run(_ arguments: ParsedArguments, _ input: ExpressionInput, _ io: IO) throws {
        let (gradient, given) = try Pipeline.gradientAndPoint(arguments, input, io)
        let inputs = gradient.staged.inputs
        let points: [[Double]]
        if let given {
            points = [given]
        } else {
            points = try randomPoints(gradient, count: try arguments.integer("--points") ?? 10,
                                      seed: UInt64(truncatingIfNeeded: try arguments.integer("--seed") ?? 1))
        }
        for point in points {
            for kink in gradient.evaluate(at: point).kinks {
                io.printError("warning: stage '\(kink.equation)' is exactly at a kink (\(kink.convention)); finite differences cannot check it there")
            }
        }
        var worst = [Comparison?](repeating: nil, count: inputs.count)
        var failure: (point: [Double], variable: Int, comparison: Comparison)?
        for point in points {
            let result = gradient.evaluate(at: point)
            for i in inputs.indices {
                let comparison = compare(symbolic: result.gradient[i], at: point[i]) { value in
                    var moved = point
                    moved[i] = value
                    return gradient.value(at: moved)
                }
                if worst[i].map({ comparison.relativeError > $0.relativeError }) ?? true { worst[i] = comparison }
                // At a kink the derivative is a convention, not a limit: finite differences
                // cannot confirm it, so such points are reported but do not fail the check.
                if !comparison.agrees && failure == nil && result.kinks.isEmpty { failure = (point, i, comparison) }
            }
        }
        var rows = [["variable", "symbolic", "finite difference", "abs error", "rel error"]]
        for (i, name) in inputs.enumerated() {
            guard let c = worst[i] else { continue }
            rows.append([name, NumberText.format(c.symbolic), NumberText.format(c.numeric),
                         String(format: "%.2e", c.absoluteError), String(format: "%.2e", c.relativeError)])
        }
        io.print("worst case per variable over \(points.count) point\(points.count == 1 ? "" : "s"):")
        for line in alignedTable(rows) { io.print(line) }
        guard let failure else {
            io.print("ok: the symbolic gradient agrees with central finite differences")
            return
        }
        let at = zip(inputs, failure.point).map { "\($0)=\(NumberText.format($1))" }.joined(separator: ",")
        var message = "d/d\(inputs[failure.variable]) disagrees at \(at): symbolic \(NumberText.format(failure.comparison.symbolic)), "
            + "finite difference \(NumberText.format(failure.comparison.numeric))"
        if let stage = firstWrongStage(gradient, at: failure.point) { message += "; the first stage whose adjoint is wrong is '\(stage)'" }
        throw CLIError.input(message)
    }

    /// Walks the staged equations from the output back and checks each adjoint d out/d stage
    /// against a finite difference that perturbs that stage's value alone.
    static func firstWrongStage(_ gradient: Gradient, at point: [Double]) -> String? {
        let result = gradient.evaluate(at: point)
        let lines = gradient.staged.forwardLines(InputLanguage(spaced: true))
        for index in gradient.staged.equations.indices.reversed() {
            let node = gradient.staged.equations[index].node
            let comparison = compare(symbolic: result.adjoints[index], at: result.forward[index]) {
                gradient.value(at: point, overriding: node, with: $0)
            }
            if !comparison.agrees { return "\(lines[index].name) = \(lines[index].expression)" }
        }
        return nil
    }

    /// `count` points where the value and every partial are finite, drawn from [-3, 3] per
    /// coordinate with a seeded generator, so a run can be reproduced with `--seed`.
    static func randomPoints(_ gradient: Gradient, count: Int, seed: UInt64) throws -> [[Double]] {
        var state = seed
        func uniform() -> Double {
            state &+= 0x9E3779B97F4A7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
            z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
            return -3 + 6 * Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
        }
        var points: [[Double]] = []
        var attempts = 0
        while points.count < count && attempts < 1000 * count {
            attempts += 1
            let point = gradient.staged.inputs.map { _ in uniform() }
            let result = gradient.evaluate(at: point)
            if result.value.isFinite && result.gradient.allSatisfy(\.isFinite) { points.append(point) }
        }
        guard !points.isEmpty else {
            throw CLIError.input("could not find a point in [-3, 3] where the expression and its gradient are finite; give one with --at")
        }
        return points
    }
}
