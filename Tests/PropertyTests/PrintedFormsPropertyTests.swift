import ExprParse
import Symbolic
import Testing

/// Every printed form is math someone will trust: read back by the parser, it must compute what
/// the evaluator computes. Over random programs with negative constants, negated products and
/// quotients in exponents, negative bases, decimals and unary minus anywhere:
///
/// - the closed-form partials `grad` prints (text and JSON share the one renderer), each parsed
///   back as an expression of the inputs;
/// - every line `stage` prints, and every line of `stage --backward` (`+=`, `-=` included),
///   read back one by one and executed in order, as a student would by hand.
///
/// `parse --print` is the AST printer, proven by `ParsePropertyTests`; emitted NumPy and Swift
/// are executed by `EmittedCodePropertyTests`.
@Suite struct PrintedFormsPropertyTests {
    /// The value of `text`, an expression of the names in `environment`, read by the parser
    /// and computed by the evaluator.
    static func value(of text: String, _ environment: [String: Double], context: String,
                      sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Double? {
        let parsed = Parser.parse(text)
        guard parsed.diagnostics.filter({ $0.severity == .error }).isEmpty else {
            Issue.record("\(context)\nprinted form does not parse: \(text)\n\(parsed.diagnostics)", sourceLocation: sourceLocation)
            return nil
        }
        do {
            let g = try Gradient(program: parsed.program)
            let point = g.staged.inputs.map { environment[$0] ?? .nan }
            if g.staged.inputs.contains(where: { environment[$0] == nil }) {
                Issue.record("\(context)\nprinted form reads an unknown name: \(text)", sourceLocation: sourceLocation)
                return nil
            }
            return g.value(at: point)
        } catch {
            Issue.record("\(context)\nprinted form \(text) fails: \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }

    @Test(arguments: Array<UInt64>(300...305)) func closedFormsParseBackToTheGradient(seed: UInt64) throws {
        var random = RandomPrograms(seed: seed, tame: true)
        var compared = 0
        for index in 0..<80 {
            let generated = random.program(maxStatements: 4, depth: 4)
            let g = try Gradient(program: Parser.parse(generated.text).program)
            let texts = g.closedFormText()
            for _ in 0..<2 {
                let point = random.point(g.staged.inputs.count)
                let evaluation = g.evaluate(at: point)
                guard evaluation.firstNonFinite == nil, Swift.abs(evaluation.value) < 1e8 else { continue }
                let environment = Dictionary(uniqueKeysWithValues: zip(g.staged.inputs, point))
                let context = "seed \(seed) case \(index) at \(point):\n\(generated.text)"
                for (i, text) in texts.enumerated() where Swift.abs(evaluation.gradient[i]) < 1e8 {
                    guard let printed = Self.value(of: text, environment, context: context) else { continue }
                    #expect(Numbers.close(printed, evaluation.gradient[i], 1e-8),
                            "\(context)\nd/d\(g.staged.inputs[i]) printed as \(text) is \(printed), the evaluator says \(evaluation.gradient[i])")
                    compared += 1
                }
            }
        }
        #expect(compared > 150, "too few comparisons: \(compared)")
    }

    @Test(arguments: Array<UInt64>(310...315)) func stagedLinesExecuteToTheEvaluator(seed: UInt64) throws {
        var random = RandomPrograms(seed: seed, tame: true)
        var compared = 0
        for index in 0..<80 {
            let generated = random.program(maxStatements: 4, depth: 4)
            let g = try Gradient(program: Parser.parse(generated.text).program, expand: index % 4 == 0)
            let forward = g.staged.forwardLines(InputLanguage(spaced: true))
            let backward = g.backwardLines(InputLanguage(spaced: true))
            let point = random.point(g.staged.inputs.count)
            let evaluation = g.evaluate(at: point)
            guard evaluation.firstNonFinite == nil, Swift.abs(evaluation.value) < 1e8 else { continue }
            let context = "seed \(seed) case \(index) at \(point):\n\(generated.text)\n\(forward.listing)\n\(backward.listing)"
            var environment = Dictionary(uniqueKeysWithValues: zip(g.staged.inputs, point))
            var ok = true
            for line in forward + backward {
                guard let value = Self.value(of: line.expression, environment, context: context) else { ok = false; break }
                if line.accumulates {
                    environment[line.name, default: Double.nan] += line.subtracts ? -value : value
                } else {
                    environment[line.name] = value
                }
            }
            guard ok else { continue }
            let outputName = forward.last?.name ?? g.staged.outputName
            if let value = environment[outputName] {
                #expect(Numbers.close(value, evaluation.value, 1e-12), "\(context)\nthe staged lines give \(value), the evaluator \(evaluation.value)")
            }
            for (i, input) in g.staged.inputs.enumerated() where Swift.abs(evaluation.gradient[i]) < 1e8 {
                // An input no contribution reaches gets no backward line: its derivative is 0.
                let adjoint = g.adjointNames[g.staged.inputNodes[i]].flatMap { environment[$0] } ?? 0
                #expect(Numbers.close(adjoint, evaluation.gradient[i], 1e-9),
                        "\(context)\nthe backward lines give d\(input) = \(adjoint), the evaluator \(evaluation.gradient[i])")
                compared += 1
            }
        }
        #expect(compared > 100, "too few comparisons: \(compared)")
    }
}
