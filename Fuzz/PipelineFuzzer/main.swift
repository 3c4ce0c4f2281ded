// libFuzzer entry point for the whole pipeline: parse -> simplify -> stage -> gradient ->
// emit NumPy and Swift (staged and closed form) -> evaluate at a point. Any crash, trap,
// sanitizer report, timeout or out-of-memory is a bug; thrown errors (size limits, invalid
// requests) are expected outcomes. A printed closed form that reads back as different math is a
// bug too, and traps.
import Codegen
import ExprParse
import Symbolic

@_cdecl("LLVMFuzzerTestOneInput")
public func pipelineFuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let text = String(decoding: bytes, as: UTF8.self)
    let parsed = Parser.parse(text)
    guard !parsed.hasErrors else { return 0 }
    // One input byte picks the expand option, so both graph builders get exercised.
    let expand = bytes.reduce(0, { $0 &+ $1 }) & 1 == 1
    let gradient: Gradient
    do {
        gradient = try Gradient(program: parsed.program, expand: expand)
    } catch {
        return 0
    }
    let graph = gradient.graph
    if gradient.isTensorProgram {
        fuzzTensorProgram(gradient, parsed.program, text)
        return 0
    }

    // Simplify the output twice (idempotence is checked by the property tests; here it must
    // merely terminate) and print it.
    var simplifier = Simplifier(graph)
    let simplified = simplifier.simplify(gradient.staged.output)
    _ = simplifier.simplify(simplified)
    let printer = Printer(graph, InputLanguage())
    _ = printer.render(simplified)

    // Staged forward and backward lines, closed forms.
    _ = gradient.staged.forwardLines(InputLanguage(spaced: true))
    _ = gradient.backwardLines(InputLanguage(spaced: true))
    let texts = gradient.closedFormText()
    _ = gradient.opCounts()
    checkPrintedFormsReadBack(gradient, texts)

    for language in Language.allCases {
        for closedForm in [false, true] {
            _ = try? emit(gradient, source: text, options: EmitOptions(language: language, functionName: "f", closedForm: closedForm))
        }
    }

    // A point with mixed signs and magnitudes, fixed per input count.
    let point = gradient.staged.inputs.indices.map { i in (i % 2 == 0 ? 1 : -1) * (0.5 + 0.375 * Double(i % 5)) }
    _ = gradient.evaluate(at: point)
    return 0
}

/// Every printed partial, parsed back into the same graph and simplified, must be the closed
/// form it was printed from (the canonical form is unique), or failing that (a decimal that was
/// a Double, a simplification stopped by its budget) evaluate to the same values at two points.
/// Anything else means the printer wrote text whose grammar reading is other math.
func checkPrintedFormsReadBack(_ gradient: Gradient, _ texts: [String]) {
    let forms = gradient.closedForm()
    let points = [gradient.staged.inputs.indices.map { i in 0.75 + 0.125 * Double(i % 7) },
                  gradient.staged.inputs.indices.map { i in (i % 2 == 0 ? -1 : 1) * (1.25 + 0.0625 * Double(i % 5)) }]
    let printer = Printer(gradient.graph, InputLanguage())
    // A shared DAG prints as a tree that can be exponentially long; reading back megabytes
    // under ASan is slower than libFuzzer's timeout, and the printer's logic is the same on a
    // short formula.
    for (form, text) in zip(forms, texts) where printer.expandedSize(form) <= 20_000 {
        let parsed = Parser.parse(text)
        guard !parsed.hasErrors else { fatalError("a printed partial does not parse: \(text)") }
        guard let read = try? ProgramGraph(parsed.program, variables: gradient.staged.inputs, graph: gradient.graph) else {
            fatalError("a printed partial reads names that are not inputs: \(text)")
        }
        var simplifier = Simplifier(gradient.graph)
        if simplifier.simplify(read.output) == form { continue }
        var differs = true
        for point in points {
            let (a, b) = (gradient.nodeValue(form, at: point), gradient.nodeValue(read.output, at: point))
            let tolerance = 1e-6 * max(1, abs(a), abs(b))
            if !(a.isFinite && b.isFinite && abs(a) < 1e6) || abs(a - b) <= tolerance { differs = false }
        }
        if differs { fatalError("a printed partial reads back as other math: \(text)") }
    }
}

/// A program with arrays: staged lines, closed forms read back and compared on arrays, the
/// tensor evaluator forward and backward, and NumPy and Swift code. Shape faults (a rule that
/// built a node its operands do not fit) are bugs.
func fuzzTensorProgram(_ gradient: Gradient, _ program: Program, _ text: String) {
    let graph = gradient.graph
    _ = gradient.staged.forwardLines(InputLanguage(spaced: true))
    _ = gradient.backwardLines(InputLanguage(spaced: true))
    _ = gradient.opCounts()
    let forms = gradient.closedForm()
    guard graph.shapeFaults == 0 else { fatalError("a shape fault building the gradient of: \(text)") }
    // Both emitters write every tensor program, convolution and pooling included.
    for language in Language.allCases {
        guard (try? emit(gradient, source: text, options: EmitOptions(language: language, functionName: "f"))) != nil else {
            fatalError("the \(language.rawValue) emitter refused a tensor program")
        }
    }
    let point = gradient.samplePoint(seed: UInt64(text.utf8.count))
    let result = try? gradient.evaluate(tensors: point)
    // Closed forms, printed and read back after the program's declarations, compute the
    // gradient. An array output's partials read its upstream gradient, which is no input.
    guard graph.shapes[gradient.staged.output.int].rank == 0 else { return }
    let printer = Printer(graph, InputLanguage())
    let declarations = program.declarations.map(\.printed).joined(separator: "\n")
    for (index, form) in forms.enumerated() where printer.expandedSize(form) <= 20_000 {
        let printed = printer.render(form)
        let parsed = Parser.parse(declarations + "\n" + printed)
        guard !parsed.hasErrors else { fatalError("a printed partial does not parse: \(printed)") }
        let read: Gradient
        do { read = try Gradient(program: parsed.program, variables: gradient.staged.inputs) } catch {
            fatalError("a printed partial does not read back: \(printed): \(error)")
        }
        guard let result, let expected = result.gradient[index], let got = try? read.tensorValue(of: read.staged.output, at: point) else { continue }
        guard got.sizes == expected.sizes || got.rank == 0 else { fatalError("a printed partial has another shape: \(printed)") }
        let values = got.rank == 0 ? [Double](repeating: got.scalars[0], count: expected.count) : got.scalars
        for (a, b) in zip(values, expected.scalars) where a.isFinite && b.isFinite && abs(b) < 1e6 {
            if abs(a - b) > 1e-6 * max(1, abs(a), abs(b)) { fatalError("a printed partial reads back as other math: \(printed)") }
        }
    }
}
