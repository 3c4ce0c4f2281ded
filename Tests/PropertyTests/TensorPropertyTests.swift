import ExprParse
import Foundation
import Symbolic
import Testing

/// The tensor pipeline over random well-shaped programs (`RandomTensorPrograms`: broadcasting,
/// `@`, `.T`, reductions with axes, the softmax family, labels, indexing, negative constants,
/// decimals and negated exponents):
///
/// - the evaluator's gradient against central finite differences (a random direction, then
///   element by element to name the wrong one);
/// - every simplified closed form `grad` prints, read back after the same declarations, against
///   the evaluator's gradient, element for element;
/// - the staged forward lines and the backward lines (`+=` and `-=` rewritten as new names),
///   executed as a program, against the evaluator's value and gradient;
/// - every gradient has its input's shape, and no node was built with a shape fault;
/// - deliberately invalid programs get a diagnostic, never a crash.
@Suite struct TensorPropertyTests {

    /// One generated program, differentiated and evaluated at a random point.
    struct Case {
        var program: TensorProgram
        var gradient: Gradient
        var values: [String: Tensor]
        var point: [Tensor]
        var upstream: Tensor?
        var evaluation: TensorEvaluation
        var context: String
    }

    /// Generates and evaluates programs until `count` have finite values; records every failure
    /// to build or evaluate a valid program.
    static func cases(seed: UInt64, count: Int, arrayOutput: Int = 20) -> [Case] {
        cases(seed: seed, count: count, arrayOutput: arrayOutput, nonFiniteGradients: nil)
    }

    /// `cases`, and (in `nonFiniteGradients`) the programs left out because a gradient has a NaN
    /// or an infinity where the value is finite.
    static func cases(seed: UInt64, count: Int, arrayOutput: Int = 20, nonFiniteGradients: UnsafeMutablePointer<[String]>?) -> [Case] {
        var random = RandomTensorPrograms(seed: seed)
        // Seeds ending in 4 (1204, 1214, 1224) also draw trace, det, logdet and inv; the others
        // keep the streams they had before the matrix functions.
        random.matrixFunctions = seed % 10 == 4
        var result: [Case] = []
        for index in 0..<count {
            let program = random.program(arrayOutput: arrayOutput)
            let context = "seed \(seed) case \(index):\n\(program.text)"
            let parsed = Parser.parse(program.text)
            guard parsed.diagnostics.allSatisfy({ $0.severity != .error }) else {
                Issue.record("\(context)\nthe generated program does not parse: \(parsed.diagnostics.map(\.message))")
                continue
            }
            let g: Gradient
            do { g = try Gradient(program: parsed.program) } catch {
                Issue.record("\(context)\nthe generated program is refused: \(error)")
                continue
            }
            #expect(g.graph.shapeFaults == 0, "\(context)\n\(g.graph.shapeFaults) shape faults")
            #expect(g.graph.shapes[g.staged.output.int] == program.outputShape,
                    "\(context)\nthe output has shape \(g.graph.shapes[g.staged.output.int]), the generator meant \(program.outputShape)")
            let values = random.values(program)
            let point = g.staged.inputs.map { values[$0] ?? Tensor(scalar: .nan) }
            var upstream: Tensor? = nil
            if program.outputShape.rank > 0 {
                let sizes = program.outputShape.dimensions.map { $0.size ?? program.bindings[$0.description] ?? 1 }
                upstream = try? Tensor(shape: sizes, scalars: (0..<sizes.reduce(1, *)).map { _ in random.uniform() })
            }
            do {
                let evaluation = try g.evaluate(tensors: point, dims: program.bindings, upstream: upstream)
                guard evaluation.firstNonFinite == nil, evaluation.value.scalars.allSatisfy({ Swift.abs($0) < 1e6 }) else { continue }
                if evaluation.gradient.contains(where: { $0?.scalars.contains { !$0.isFinite } ?? false }) {
                    nonFiniteGradients?.pointee.append(context + "\nat " + describe(values))
                    continue
                }
                result.append(Case(program: program, gradient: g, values: values, point: point, upstream: upstream,
                                   evaluation: evaluation, context: context + "\nat " + describe(values)))
            } catch {
                Issue.record("\(context)\nevaluation fails: \(error)")
            }
        }
        return result
    }

    static func describe(_ values: [String: Tensor]) -> String {
        values.keys.sorted().map { "\($0)=\(literal(values[$0] ?? Tensor(scalar: .nan)))" }.joined(separator: ", ")
    }

    /// A tensor as an input-language literal with every digit (`[[0.1, -2.0]]`).
    static func literal(_ t: Tensor) -> String {
        func nest(_ axis: Int, _ offset: Int) -> String {
            if axis == t.rank { return "\(t.scalars[offset])" }
            let stride = t.sizes[(axis + 1)...].reduce(1, *)
            return "[" + (0..<t.sizes[axis]).map { nest(axis + 1, offset + $0 * stride) }.joined(separator: ", ") + "]"
        }
        return nest(0, 0)
    }

    /// The output as a scalar: itself, or its dot product with the upstream gradient.
    static func objective(_ c: Case, at point: [Tensor]) -> Double {
        guard let value = try? c.gradient.evaluate(tensors: point, dims: c.program.bindings).value else { return .nan }
        guard let upstream = c.upstream else { return value.scalarValue ?? .nan }
        return zip(value.scalars, upstream.scalars).reduce(0) { $0 + $1.0 * $1.1 }
    }

    /// Central differences of `objective` along `direction` (one tensor per input, zero for
    /// labels); nil where steps 1e-5 and 1e-6 disagree (a kink or cancellation: no fair judge).
    static func directional(_ c: Case, _ direction: [Tensor]) -> Double? {
        func fd(_ h: Double) -> Double {
            func moved(_ sign: Double) -> [Tensor] {
                zip(c.point, direction).map { x, d in
                    (try? Tensor(shape: x.sizes, scalars: zip(x.scalars, d.scalars).map { $0 + sign * h * $1 })) ?? x
                }
            }
            return (objective(c, at: moved(1)) - objective(c, at: moved(-1))) / (2 * h)
        }
        let (a, b) = (fd(1e-5), fd(1e-6))
        guard a.isFinite, b.isFinite, Swift.abs(a - b) <= 1e-5 * Swift.max(1, Swift.abs(b)) else { return nil }
        return a
    }

    @Test(arguments: Array<UInt64>(1200...1204)) func gradientMatchesFiniteDifferences(seed: UInt64) throws {
        var rng = RandomTensorPrograms(seed: seed &* 7919)
        var checked = 0, skipped = 0
        var nonFinite: [String] = []
        let cases = Self.cases(seed: seed, count: 100, nonFiniteGradients: &nonFinite)
        // The 2-norm at an exact 0 (norm(W - W)) has no derivative: its gradient x/norm(x) is
        // NaN there, and eval warns of the kink (grammar.md, conventions). Not a failure.
        for text in nonFinite where !text.contains("norm(") {
            Issue.record("\(text)\na gradient is not finite where the value is")
        }
        for c in cases {
            let g = c.gradient
            // Shapes: every gradient has exactly its input's shape.
            for (i, input) in g.staged.inputs.enumerated() {
                guard let gradient = c.evaluation.gradient[i] else {
                    #expect(g.isLabel(i), "\(c.context)\nno gradient for \(input)")
                    continue
                }
                #expect(gradient.sizes == c.point[i].sizes, "\(c.context)\nd\(input) has shape \(gradient.shape), \(input) has \(c.point[i].shape)")
            }
            let direction = c.point.indices.map { i -> Tensor in
                let x = c.point[i]
                return g.isLabel(i) ? ((try? Tensor.filled(0, shape: x.sizes)) ?? x)
                    : ((try? Tensor(shape: x.sizes, scalars: x.scalars.map { _ in rng.uniform(-1, 1) })) ?? x)
            }
            guard let fd = Self.directional(c, direction) else { skipped += 1; continue }
            var predicted = 0.0
            for (i, d) in direction.enumerated() {
                guard let gradient = c.evaluation.gradient[i], gradient.sizes == d.sizes else { continue }
                predicted += zip(gradient.scalars, d.scalars).reduce(0) { $0 + $1.0 * $1.1 }
            }
            checked += 1
            if Numbers.close(predicted, fd, 1e-5) { continue }
            // Locate: element by element, the first input element whose partial disagrees.
            var located = ""
            search: for (i, x) in c.point.enumerated() where !g.isLabel(i) {
                for element in x.scalars.indices {
                    var unit = direction.map { (try? Tensor.filled(0, shape: $0.sizes)) ?? $0 }
                    var scalars = unit[i].scalars
                    scalars[element] = 1
                    unit[i] = (try? Tensor(shape: x.sizes, scalars: scalars)) ?? unit[i]
                    guard let partial = Self.directional(c, unit), let gradient = c.evaluation.gradient[i],
                          element < gradient.count else { continue }
                    if !Numbers.close(gradient.scalars[element], partial, 1e-5) {
                        located = "d\(g.staged.inputs[i]) element \(element): evaluator \(gradient.scalars[element]), finite difference \(partial)"
                        break search
                    }
                }
            }
            Issue.record("\(c.context)\nalong a random direction the gradient predicts \(predicted), finite differences give \(fd)\n\(located)")
        }
        #expect(checked > 70, "too few comparisons: \(checked) (skipped \(skipped))")
    }
}

// MARK: Printed forms read back

extension TensorPropertyTests {
    /// The diagnostics or the build error of `text`, nil when it parses and builds.
    static func refusal(_ text: String) -> String? {
        let parsed = Parser.parse(text)
        let errors = parsed.diagnostics.filter { $0.severity == .error }
        if !errors.isEmpty { return errors.map { "\($0.range): \($0.message)" }.joined(separator: "; ") }
        do { _ = try Gradient(program: parsed.program) } catch { return "\(error)" }
        return nil
    }

    /// The output value of `text` (declarations and statements) at the case's values, forward
    /// only; records why when it cannot be computed.
    static func value(of text: String, _ c: Case, extra: [String: Tensor] = [:], what: String,
                      sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Tensor? {
        let parsed = Parser.parse(text)
        let errors = parsed.diagnostics.filter { $0.severity == .error }
        guard errors.isEmpty else {
            Issue.record("\(c.context)\n\(what) does not parse:\n\(text)\n\(errors.map(\.message))", sourceLocation: sourceLocation)
            return nil
        }
        do {
            let g = try Gradient(program: parsed.program)
            var point: [Tensor] = []
            let extra = extra.merging(c.program.bindings.mapValues { Tensor(scalar: Double($0)) }) { a, _ in a }
            for input in g.staged.inputs {
                guard let value = c.values[input] ?? extra[input] else {
                    Issue.record("\(c.context)\n\(what) reads an unknown name '\(input)':\n\(text)", sourceLocation: sourceLocation)
                    return nil
                }
                point.append(value)
            }
            return try g.evaluate(tensors: point, dims: c.program.bindings).value
        } catch {
            Issue.record("\(c.context)\n\(what) fails: \(error)\n\(text)", sourceLocation: sourceLocation)
            return nil
        }
    }

    /// The name the printed forms read the upstream gradient by (`dout`, or `d<input>` when
    /// the output is an input), when the output is an array.
    static func seed(_ c: Case) -> (name: String, value: Tensor)? {
        guard let upstream = c.upstream else { return nil }
        return (c.gradient.adjointNames[c.gradient.staged.output] ?? "dout", upstream)
    }

    /// Declarations for reading a printed form back: the program's (with named dimensions or
    /// bound to their sizes), and the upstream gradient's where the text reads it.
    static func declarations(_ c: Case, bound: Bool, reading text: String) -> String {
        var result = bound ? c.program.boundDeclarations : c.program.declarations
        if let seed = seed(c), identifiers(text).contains(seed.name) {
            result += "\n" + TensorProgram.declaration(seed.name, bound ? c.program.outputShape.bound(c.program.bindings) : c.program.outputShape)
        }
        return result
    }

    /// `text` with each named dimension written as its size, to be read after the bound
    /// declarations (`reshape(g, (N, 1))` becomes `reshape(g, (3, 1))`, `sum(X)/N` is `sum(X)/3`).
    static func bound(_ text: String, _ c: Case) -> String {
        renamed(text, c.program.bindings.mapValues(String.init))
    }

    /// The upstream gradient by its name, for `value(of:)`.
    static func extra(_ c: Case) -> [String: Tensor] {
        seed(c).map { [$0.name: $0.value] } ?? [:]
    }

    /// Whether `got` is `want` element for element within `tolerance` relative (to the largest
    /// element, so that a sum that cancels is judged at the scale of its terms).
    static func matches(_ got: Tensor, _ want: Tensor, _ tolerance: Double) -> Bool {
        guard got.sizes == want.sizes else { return false }
        let scale = want.scalars.reduce(1) { Swift.max($0, Swift.abs($1)) }
        return zip(got.scalars, want.scalars).allSatisfy { a, b in
            (a.isNaN && b.isNaN) || a == b || Swift.abs(a - b) <= tolerance * scale
        }
    }

    @Test(arguments: Array<UInt64>(1210...1214)) func closedFormsParseBackToTheGradient(seed: UInt64) throws {
        var compared = 0
        for c in Self.cases(seed: seed, count: 80) {
            let g = c.gradient
            let forms = g.closedForm()
            let real = Printer(g.graph, InputLanguage())
            for (i, input) in g.staged.inputs.enumerated() {
                guard let want = c.evaluation.gradient[i], i < forms.count else { continue }
                let text = real.render(forms[i])
                if let refused = Self.refusal(Self.declarations(c, bound: false, reading: text) + "\n" + text) {
                    Issue.record("\(c.context)\nd/d\(input) printed as \(text) is refused: \(refused)")
                }
                let checked = Self.bound(text, c)
                guard let got = Self.value(of: Self.declarations(c, bound: true, reading: checked) + "\n" + checked, c,
                                           extra: Self.extra(c), what: "d/d\(input) = \(checked)") else { continue }
                #expect(got.sizes == want.sizes, "\(c.context)\nd/d\(input) printed as \(text) has shape \(got.shape), the gradient \(want.shape)")
                #expect(Self.matches(got, want, 1e-9),
                        "\(c.context)\nd/d\(input) printed as \(text) is \(Self.literal(got)), the evaluator says \(Self.literal(want))")
                compared += 1
            }
        }
        #expect(compared > 200, "too few comparisons: \(compared)")
    }

    /// Identifiers of `text` replaced through `aliases` (not after a `.`, as in `.T`).
    static func renamed(_ text: String, _ aliases: [String: String]) -> String {
        var out = ""
        var word = ""
        var previous: Character = " "
        func flush() {
            if !word.isEmpty { out += previous == "." ? word : (aliases[word] ?? word) }
            word = ""
        }
        for ch in text {
            if ch.isLetter || ch == "_" || (ch.isNumber && !word.isEmpty) {
                word.append(ch)
            } else {
                flush()
                out.append(ch)
                previous = ch
            }
        }
        flush()
        return out
    }

    static func identifiers(_ text: String) -> Set<String> {
        Set(text.split { !($0.isLetter || $0.isNumber || $0 == "_") }.map(String.init))
    }

    /// The staged lines as one program: forward lines, the seed `dout` where read, and the
    /// backward lines with each `d += e` written `d_1 = d + (e)`; returns the text and the
    /// final name of each adjoint variable.
    static func stagedProgram(_ c: Case, forward: [StagedLine], backward: [StagedLine], bound: Bool) -> (text: String, aliases: [String: String]) {
        let all = (forward + backward).map(\.expression).joined(separator: "\n")
        var lines = [declarations(c, bound: bound, reading: all)]
        func text(_ e: String) -> String { bound ? Self.bound(e, c) : e }
        for line in forward { lines.append("\(line.name) = \(text(line.expression))") }
        // A scalar output's seed is 1; the listing folds it in, but a line may still read it.
        let seedName = c.gradient.adjointNames[c.gradient.staged.output] ?? "dout"
        if c.upstream == nil && identifiers(all).contains(seedName) { lines.append("\(seedName) = 1") }
        var aliases: [String: String] = [:]
        var version: [String: Int] = [:]
        for line in backward {
            let expression = text(renamed(line.expression, aliases))
            if line.accumulates || aliases[line.name] != nil {
                version[line.name, default: 0] += 1
                let fresh = "\(line.name)_\(version[line.name] ?? 0)"
                let before = aliases[line.name] ?? line.name
                lines.append(line.accumulates ? "\(fresh) = \(before) \(line.subtracts ? "-" : "+") (\(expression))" : "\(fresh) = \(expression)")
                aliases[line.name] = fresh
            } else {
                lines.append("\(line.name) = \(expression)")
                aliases[line.name] = line.name
            }
        }
        return (lines.joined(separator: "\n"), aliases)
    }

    @Test(arguments: Array<UInt64>(1220...1224)) func stagedLinesExecuteToTheEvaluator(seed: UInt64) throws {
        var compared = 0
        for c in Self.cases(seed: seed, count: 80) {
            let g = c.gradient
            // The lines as printed must parse, and compute the evaluator's numbers.
            let real = Self.stagedProgram(c, forward: g.staged.forwardLines(InputLanguage(spaced: true)),
                                          backward: g.backwardLines(InputLanguage(spaced: true)), bound: false)
            if let refused = Self.refusal(real.text + "\nout"), !refused.contains("'out'") {
                Issue.record("\(c.context)\nthe staged lines are refused: \(refused)\n\(real.text)")
            }
            let dialect = InputLanguage(spaced: true)
            let forward = g.staged.forwardLines(dialect)
            let staged = Self.stagedProgram(c, forward: forward, backward: g.backwardLines(dialect), bound: true)
            let outputName = forward.last?.name ?? g.staged.outputName
            if let value = Self.value(of: staged.text + "\n" + outputName, c, extra: Self.extra(c), what: "the staged output") {
                #expect(Self.matches(value, c.evaluation.value, 1e-12),
                        "\(c.context)\nthe staged lines give \(Self.literal(value)), the evaluator \(Self.literal(c.evaluation.value))\n\(staged.text)")
            }
            for (i, input) in g.staged.inputs.enumerated() {
                guard let want = c.evaluation.gradient[i] else { continue }
                if let upstream = c.upstream, g.staged.inputNodes[i] == g.staged.output {
                    // The output is this input: its adjoint is the upstream gradient, which no
                    // backward line sets.
                    #expect(Self.matches(upstream, want, 0), "\(c.context)\nd\(input) should be the upstream gradient")
                    continue
                }
                guard let name = g.adjointNames[g.staged.inputNodes[i]].flatMap({ staged.aliases[$0] }) else {
                    #expect(want.scalars.allSatisfy { $0 == 0 }, "\(c.context)\nno backward line for d\(input), the evaluator's is \(Self.literal(want))")
                    continue
                }
                guard let got = Self.value(of: staged.text + "\n" + name, c, extra: Self.extra(c), what: "the backward lines for d\(input)") else { continue }
                #expect(Self.matches(got, want, 1e-9),
                        "\(c.context)\nthe backward lines give d\(input) = \(Self.literal(got)), the evaluator \(Self.literal(want))\n\(staged.text)")
                compared += 1
            }
        }
        #expect(compared > 150, "too few comparisons: \(compared)")
    }
}

// MARK: Invalid programs

extension TensorPropertyTests {
    /// Each deliberately invalid program is refused with a positioned diagnostic.
    @Test(arguments: RandomTensorPrograms.invalid) func invalidProgramIsRefused(source: String) {
        let parsed = Parser.parse(source)
        if parsed.diagnostics.contains(where: { $0.severity == .error }) { return }
        do {
            let g = try Gradient(program: parsed.program)
            Issue.record("\(source) is accepted (output shape \(g.graph.shapes[g.staged.output.int]))")
        } catch SymbolicError.diagnostic(let d) {
            #expect(!d.message.isEmpty)
        } catch {
            Issue.record("\(source) is refused without a source position: \(error)")
        }
    }

    /// The matrix seeds exercise every matrix function (the generator also draws convolution
    /// and pooling, so each function's share is a handful of programs per seed).
    @Test func matrixSeedsDrawEveryMatrixFunction() {
        var counts: [String: Int] = [:]
        for seed: UInt64 in [1204, 1214, 1224] {
            for c in Self.cases(seed: seed, count: 80) {
                for f in ["trace(", "det(", "logdet(", "inv("] where c.context.contains(f) && !(f == "det(" && !c.context.replacingOccurrences(of: "logdet(", with: "").contains("det(")) {
                    counts[f, default: 0] += 1
                }
            }
        }
        for f in ["trace(", "det(", "logdet(", "inv("] { #expect(counts[f, default: 0] >= 5, "\(f) in \(counts[f, default: 0]) programs") }
    }

    /// Valid programs with one declaration's shape changed: refused cleanly or still valid,
    /// never a crash; when accepted, nothing was built with a shape fault.
    @Test func mutatedDeclarationsNeverCrash() {
        var random = RandomTensorPrograms(seed: 1299)
        var refused = 0
        for _ in 0..<150 {
            let program = random.program()
            var lines = program.declarations.split(separator: "\n").map(String.init)
            let index = random.int(lines.count)
            let name = lines[index].prefix { $0 != ":" }
            lines[index] = "\(name): \(random.pick(["(5,)", "(2, 5)", "()", "(5, 1)", "(1, 1, 1)", "int", "(N,)"]))"
            let text = lines.joined(separator: "\n") + "\n" + program.body
            let parsed = Parser.parse(text)
            if parsed.diagnostics.contains(where: { $0.severity == .error }) { refused += 1; continue }
            do {
                let g = try Gradient(program: parsed.program)
                #expect(g.graph.shapeFaults == 0, "\(text)\n\(g.graph.shapeFaults) shape faults")
            } catch SymbolicError.diagnostic {
                refused += 1
            } catch {
                Issue.record("\(text)\nrefused without a source position: \(error)")
            }
        }
        #expect(refused > 30, "too few mutations refused: \(refused)")
    }
}

// MARK: Regressions found by the properties

extension TensorPropertyTests {
    /// `W[-1]` of a matrix is its last row, as in NumPy (it was refused: "a negative index needs
    /// a known size", although the size is declared).
    @Test func negativeLiteralRowIndexCountsFromTheEnd() throws {
        let g = try Gradient(source: "W: (3, 2); sum(W[-1]^2)")
        let w = try Tensor.parse("[[1, 2], [3, 4], [5, 6]]")
        let result = try g.evaluate(tensors: [w])
        #expect(result.value.scalarValue == 61)
        #expect(result.gradient[0] == (try Tensor.parse("[[0, 0], [0, 0], [10, 12]]")))
    }
}

extension TensorPropertyTests {
    /// A constant output still has a gradient of every input's shape, zeros, as a scalar
    /// program's is 0 (the evaluator returned none, so `eval` printed no gradient at all).
    @Test func constantOutputHasZeroGradientsOfEachShape() throws {
        let g = try Gradient(source: "W: (2, 3); x: (3,); y: int; 0.17 - -0.3")
        let result = try g.evaluate(tensors: [try Tensor.filled(1, shape: [2, 3]), try Tensor.filled(1, shape: [3]), Tensor(scalar: 1)])
        #expect(result.gradient[0] == (try Tensor.filled(0, shape: [2, 3])))
        #expect(result.gradient[1] == (try Tensor.filled(0, shape: [3])))
        #expect(result.gradient[2] == nil)
        let array = try Gradient(source: "x: (3,); [1, 2]")
        let vjp = try array.evaluate(tensors: [try Tensor.filled(1, shape: [3])], upstream: Tensor(vector: [1, 1]))
        #expect(vjp.gradient[0] == (try Tensor.filled(0, shape: [3])))
    }
}

extension TensorPropertyTests {
    /// A one-hot array is real: the backward lines of `z[y]` reshape it (`di = reshape(dj, (1, 4))`
    /// after `dj = onehot(y, 4)`), and reading them back was refused with "'dj' holds integer
    /// labels, but reshape needs real values".
    @Test func oneHotArraysAreRealValues() throws {
        let g = try Gradient(source: "y: int; x: (4,); sum(softmax(onehot(y, 4)) * x) + sum(reshape(onehot(y, 4), (2, 2)).T[0]) * x[0]")
        let result = try g.evaluate(tensors: [Tensor(scalar: 2), try Tensor.parse("[1, 2, 3, 4]")])
        let e = Foundation.exp(1.0)
        #expect(Swift.abs((result.value.scalarValue ?? 0) - ((7 + 3 * e) / (3 + e) + 1)) < 1e-12)
        #expect(Self.refusal("y: int; onehot(y, 4) + softmax(y)") != nil, "a label itself is still no real")
    }
}
