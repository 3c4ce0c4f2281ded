// libFuzzer entry point for the whole pipeline: parse -> simplify -> stage -> gradient ->
// emit NumPy and Swift (staged and closed form) -> evaluate at a point. Any crash, trap,
// sanitizer report, timeout or out-of-memory is a bug; thrown errors (size limits, invalid
// requests) are expected outcomes.
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
    _ = gradient.closedFormText()
    _ = gradient.opCounts()

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
