import Codegen
import Symbolic
import Testing

/// The exact generated text for worksheet functions, so every change to it is reviewed.
@Suite struct SnapshotTests {
    struct Example: Sendable, CustomStringConvertible {
        let name: String
        let source: String
        var closedForm = false
        var description: String { name }
    }

    static let examples = [
        Example(name: "worksheet1", source: "(x + y)z"),
        Example(name: "complex-layer", source: "ln(x)*sigmoid(sqrt(y))/sigmoid((x+y)^2)"),
        Example(name: "chain-rule", source: "x = ln(t); y = t^3/3; z = 2x + y"),
        Example(name: "sigmoid-closed", source: "sigmoid(x)", closedForm: true),
        Example(name: "complex-layer-closed", source: "ln(x)*sigmoid(sqrt(y))/sigmoid((x+y)^2)", closedForm: true),
    ]

    @Test(arguments: examples, Language.allCases)
    func generatedTextIsStable(example: Example, language: Language) throws {
        let gradient = try Gradient(source: example.source)
        let code = try emit(gradient, source: example.source,
                            options: EmitOptions(language: language, closedForm: example.closedForm))
        try Snapshot.assert(code.text, named: "\(example.name).\(language.rawValue).txt")
    }

    @Test func lineDiffShowsRemovedAndInsertedLines() {
        let diff = Snapshot.lineDiff("a\nb\nc", "a\nB\nc")
        #expect(diff == "-2: b\n+2: B")
    }
}
