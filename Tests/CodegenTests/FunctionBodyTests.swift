import Codegen
import Testing

/// The byte-buffer body keeps every line as given, and writes a quoting comment as one line.
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

    @Test func aCommentQuotesAnEquation() {
        var body = FunctionBody()
        body.append(.define, name: "b", expression: "a * x")
        body.append(.define(name: "c", expression: "b + y"))
        body.appendComment("from: ", quoting: "b", "a * x")
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

    /// Lengths are stored before each line in 7-bit groups: lengths of one, two and three
    /// groups (127, 128, 16384 bytes), quoted too, come back whole and in order.
    @Test func longNamesAndExpressionsComeBackWhole() {
        let long = String(repeating: "a", count: 128), longer = String(repeating: "é", count: 8192) + "x"
        var body = FunctionBody()
        body.append(.define, name: long, expression: longer)
        body.append(.define(name: String(repeating: "b", count: 127), expression: long))
        body.appendComment("from: ", quoting: long, longer)
        body.append(.decrement(name: "d", expression: longer + long))
        #expect(body.count == 4)
        #expect(Array(body) == [.define(name: long, expression: longer),
                                .define(name: String(repeating: "b", count: 127), expression: long),
                                .comment("from: \(long) = \(longer)"), .decrement(name: "d", expression: longer + long)])
    }
}
