import Codegen
import Testing

/// The byte-buffer body keeps every line as given, and quotes earlier lines byte for byte.
@Suite struct FunctionBodyTests {
    @Test func linesComeBackAsAppended() {
        let lines: [BodyLine] = [
            .comment("forward pass"), .define(name: "a", expression: "np.sin(x)"), .define(name: "out", expression: "a * x"),
            .accumulate(name: "dx", expression: "dout * np.cos(x)"), .decrement(name: "dy", expression: "da"),
            .define(name: "é", expression: ""), .comment(""),
        ]
        let body = FunctionBody(lines)
        #expect(body.count == lines.count)
        #expect(Array(body) == lines)
    }

    @Test func aCommentQuotesAnEarlierLine() {
        var body = FunctionBody()
        let excerpt = body.append(.define, name: "b", expression: "a * x")
        body.append(.define(name: "c", expression: "b + y"))
        body.appendComment("from: ", quoting: excerpt)
        #expect(Array(body) == [.define(name: "b", expression: "a * x"), .define(name: "c", expression: "b + y"),
                                .comment("from: b = a * x")])
    }

    @Test func forEachLineGivesKindsNamesAndTexts() {
        let body = FunctionBody([.comment("c"), .define(name: "a", expression: "1"), .accumulate(name: "da", expression: "z")])
        var seen: [String] = []
        body.forEachLine { kind, name, expression in
            seen.append("\(kind) \(String(decoding: name, as: UTF8.self)) \(String(decoding: expression, as: UTF8.self))")
        }
        #expect(seen == ["comment  c", "define a 1", "accumulate da z"])
    }
}
