// libFuzzer entry point for the parser alone: any bytes, read as UTF-8 (invalid sequences
// repaired), must parse without crashing, and a program that parses cleanly must print back
// to text that parses to the same tree (grammar.md, "Printing").
import ExprParse

@_cdecl("LLVMFuzzerTestOneInput")
public func parserFuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let result = Parser.parse(text)
    for diagnostic in result.diagnostics { _ = diagnostic.render(source: text, fileName: "fuzz") }
    _ = result.program.inputs
    guard !result.hasErrors else { return 0 }
    let printed = result.program.printed()
    let again = Parser.parse(printed)
    if again.hasErrors || !again.program.structurallyEqual(result.program) {
        fatalError("round trip failed:\n--- input\n\(text)\n--- printed\n\(printed)")
    }
    return 0
}
