import ExprParse
import Symbolic

/// `check` on a program with arrays: one directional derivative per input and point (see
/// `TensorGradientCheck`), and, when one disagrees, the worst element and the first wrong stage.
extension CheckCommand {
    /// The largest point (in elements, all inputs together) a failure message writes out in
    /// full; a larger one is named by its number and the seed.
    static let maxElementsShown = 24

    static func runTensors(_ arguments: ParsedArguments, _ gradient: Gradient,
                           given: TensorGradientCheck.Point?, _ io: IO) throws {
        let check = TensorGradientCheck(gradient)
        let staged = gradient.staged
        let forward = staged.forwardLines(InputLanguage(spaced: true))
        let seed = UInt64(truncatingIfNeeded: try arguments.integer("--seed") ?? 1)
        let outputShape = gradient.graph.shapes[staged.output.int]
        var worst = [GradientCheck.Comparison?](repeating: nil, count: staged.inputs.count)
        var failure: (point: TensorGradientCheck.Point, evaluation: TensorEvaluation, number: Int, input: Int,
                      comparison: GradientCheck.Comparison)?
        var bindings: [String: Int] = [:]
        var warned = Set<String>()
        var excused = false
        var count = 0, inconclusive = 0
        var unresolved: (input: Int, comparison: GradientCheck.Comparison)?

        func visit(_ point: TensorGradientCheck.Point, _ evaluation: TensorEvaluation) {
            count += 1
            bindings = evaluation.bindings
            for kink in evaluation.kinks where warned.insert(kink.equation).inserted {
                let line = forward.first { $0.equation == kink.equation }.map { "\($0.name) = \($0.expression)" } ?? kink.equation
                io.printError("warning: '\(line)' is exactly at a kink or tie (\(kink.convention)); finite differences cannot check it there")
            }
            for warning in evaluation.matrixWarnings where warned.insert(warning.equation + warning.message).inserted {
                let line = forward.first { $0.equation == warning.equation }.map { "\($0.name) = \($0.expression)" } ?? warning.equation
                io.printError("warning: '\(line)': \(warning.message)")
            }
            // Each point its own directions, reproducible from the seed.
            let comparisons = check.directionalComparisons(at: point, evaluation, seed: seed &+ UInt64(count))
            var resolved = true
            for (i, comparison) in comparisons.enumerated() {
                guard let comparison else { continue }
                // Neither confirmed nor refuted where finite differences cannot resolve it (DifferenceRule).
                if comparison.unresolved != nil {
                    resolved = false
                    if unresolved == nil { unresolved = (i, comparison) }
                    continue
                }
                if worst[i].map({ comparison.relativeError > $0.relativeError }) ?? true { worst[i] = comparison }
                // At a kink or tie the derivative is a convention, not a limit: reported, not failed.
                if comparison.disagrees && failure == nil {
                    if evaluation.kinks.isEmpty && evaluation.matrixWarnings.isEmpty { failure = (point, evaluation, count, i, comparison) } else { excused = true }
                }
            }
            if !resolved { inconclusive += 1 }
        }

        let upstreamGiven: Bool
        if var point = given {
            upstreamGiven = point.upstream != nil
            var evaluation = try evaluate(check, point)
            if outputShape.rank > 0 && point.upstream == nil {
                // The output's sizes are known once it has a value; its gradient needs a seed.
                point.upstream = TensorGradientCheck.randomUpstream(evaluation.value.sizes, seed: seed)
                evaluation = try evaluate(check, point)
            }
            // Outside the domain there is no derivative to check, only nan on both sides.
            if evaluation.value.scalars.contains(where: \.isNaN) {
                let culprit = evaluation.firstNonFinite.map { ": equation '\(forward[$0].name) = \(forward[$0].expression)' is the first to produce it (a domain error?)" } ?? ""
                throw CLIError.input("the value is nan at this point" + culprit)
            }
            visit(point, evaluation)
        } else {
            let given = try TensorPoint.read(arguments, io)
            upstreamGiven = given.upstream != nil
            let wanted = try arguments.integer("--points") ?? 10
            var points: TensorGradientCheck.RandomPoints
            do {
                points = try TensorGradientCheck.RandomPoints(check, wanted: wanted, seed: seed, dimensions: given.dimensions, upstream: given.upstream)
            } catch {
                throw CLIError.input(error.description)
            }
            noteDefaults(points, check, io)
            // A point finite differences cannot resolve is replaced, at most `wanted` times.
            while count - inconclusive < wanted && count < 2 * wanted && failure == nil {
                let next: (point: TensorGradientCheck.Point, evaluation: TensorEvaluation)?
                do { next = try points.next() } catch {
                    throw CLIError.input("at a random point: \(error); give the values with --at")
                }
                guard let (point, evaluation) = next else { break }
                visit(point, evaluation)
            }
            guard count > 0 else {
                throw CLIError.input("could not find a point in [-3, 3] where the program and its gradient are finite; give one with --at")
            }
            if count < wanted {
                io.printError("note: only \(count) of \(points.draws) random points in [-3, 3] had a finite value and gradient; checked those")
            }
        }
        if outputShape.rank > 0 && !upstreamGiven {
            io.printError("note: the output is an array of shape \(outputShape.bound(bindings)); checked the gradient of sum(out * u) "
                          + "for a random upstream u with entries in [-1, 1) (give --upstream to choose u)")
        }

        var rows = [["input", "shape", "<grad, v>", "finite difference", "abs error", "rel error"]]
        for (i, name) in staged.inputs.enumerated() {
            guard let c = worst[i] else { continue }
            rows.append([name, gradient.inputShapes[i].bound(bindings).description, NumberText.format(c.symbolic),
                         NumberText.format(c.numeric), CFormat.string("%.2e", c.absoluteError), CFormat.string("%.2e", c.relativeError)])
        }
        io.print("worst directional derivative per input over \(count) point\(count == 1 ? "" : "s") (along random directions v):")
        for line in alignedTable(rows) { io.print(line) }
        guard let failure else {
            if let unresolved {
                let why = "d/d\(staged.inputs[unresolved.input]) along v: " + unresolvedText(unresolved.comparison)
                if inconclusive == count {
                    io.print("inconclusive: finite differences cannot resolve the gradient at \(count == 1 ? "this point" : "any of the \(count) points"), "
                             + "so they neither confirm nor refute it; \(why)")
                    return
                }
                io.printError("note: at \(inconclusive) of the \(count) points finite differences could not resolve a directional derivative; \(why)")
            }
            io.print(excused ? "ok: the symbolic gradient agrees with central finite differences wherever they can check it "
                         + "(it differs only at a kink or tie, where it follows the convention warned about)"
                     : "ok: the symbolic gradient agrees with central finite differences")
            return
        }
        throw CLIError.input(failureMessage(check, failure.point, failure.evaluation, number: failure.number, random: given == nil,
                                            input: failure.input, failure.comparison, seed: seed, forward))
    }

    private static func evaluate(_ check: TensorGradientCheck, _ point: TensorGradientCheck.Point) throws -> TensorEvaluation {
        do { return try check.evaluate(point) } catch { throw CLIError.input(error.description) }
    }

    /// What the random points assume: named dimensions at their default size, labels whose
    /// number of classes no use fixes.
    private static func noteDefaults(_ points: TensorGradientCheck.RandomPoints, _ check: TensorGradientCheck, _ io: IO) {
        let size = TensorGradientCheck.RandomPoints.defaultDimension
        if !points.defaulted.isEmpty {
            let names = points.defaulted.joined(separator: ", ")
            let example = points.defaulted.map { "\($0)=SIZE" }.joined(separator: ",")
            io.printError("note: \(points.defaulted.count == 1 ? "dimension" : "dimensions") \(names) \(points.defaulted.count == 1 ? "is" : "are") not set; "
                          + "the random points use \(size) (set \(points.defaulted.count == 1 ? "it" : "them") with --dim \(example))")
        }
        let gradient = check.gradient
        for i in gradient.staged.inputs.indices where gradient.isLabel(i) && check.labelClasses(i, bindings: points.bindings) == nil {
            io.printError("note: no use of '\(gradient.staged.inputs[i])' fixes its number of classes; the random points give it labels 0 and 1")
        }
    }

    /// The input and point where a directional derivative disagreed, the worst element of that
    /// input's gradient and the first stage whose adjoint is wrong.
    private static func failureMessage(_ check: TensorGradientCheck, _ point: TensorGradientCheck.Point, _ evaluation: TensorEvaluation,
                                       number: Int, random: Bool, input: Int, _ comparison: GradientCheck.Comparison,
                                       seed: UInt64, _ forward: [StagedLine]) -> String {
        let staged = check.gradient.staged
        let name = staged.inputs[input]
        let elements = point.values.reduce(0) { $0 + $1.count }
        let at: String
        if elements <= maxElementsShown {
            at = "at " + zip(staged.inputs, point.values).map { "\($0)=\($1.jsonText)" }.joined(separator: ", ")
        } else {
            at = random ? "at random point \(number) of --seed \(seed)" : "at the given point"
        }
        var message = "d/d\(name) disagrees along a random direction v \(at): <grad, v> = \(NumberText.format(comparison.symbolic)), "
            + "finite difference \(NumberText.format(comparison.numeric))"
        let elementsCompared = check.elementComparisons(input, at: point, evaluation)
        if let worstElement = elementsCompared.filter({ $0.comparison.disagrees }).max(by: { $0.comparison.relativeError < $1.comparison.relativeError }) {
            let index = worstElement.index.isEmpty ? name : "\(name)[\(worstElement.index.map(String.init).joined(separator: ", "))]"
            message += "; worst element \(index): symbolic \(NumberText.format(worstElement.comparison.symbolic)), "
                + "finite difference \(NumberText.format(worstElement.comparison.numeric))"
        } else if !elementsCompared.isEmpty {
            message += "; no single element of the \(elementsCompared.count) compared disagrees on its own"
        }
        if let index = check.firstWrongStage(at: point, evaluation, seed: seed) {
            message += "; the first stage whose adjoint is wrong is '\(forward[index].name) = \(forward[index].expression)'"
        }
        return message
    }
}
