import ExprParse
import Testing

/// Random programs over the whole grammar: they parse cleanly, mean what the generator meant,
/// and print back to text that parses to the same tree.
@Suite struct ParsePropertyTests {
    static let seeds: [UInt64] = Array(1...8)

    @Test(arguments: seeds) func printedProgramsParseBackToTheSameTree(seed: UInt64) {
        var random = RandomPrograms(seed: seed, tame: seed % 2 == 0)
        for index in 0..<250 {
            let generated = random.program(maxStatements: 6, depth: 5)
            let parsed = Parser.parse(generated.text)
            guard !parsed.hasErrors else {
                let rendered = parsed.diagnostics.map { $0.render(source: generated.text, fileName: "input") }.joined(separator: "\n")
                Issue.record("seed \(seed) case \(index): generated text does not parse:\n\(generated.text)\n\(rendered)")
                continue
            }
            let printed = parsed.program.printed()
            let again = Parser.parse(printed)
            #expect(!again.hasErrors && again.program.structurallyEqual(parsed.program),
                    "seed \(seed) case \(index): round trip changed the program\n--- input\n\(generated.text)\n--- printed\n\(printed)")
            // Printing is a fixed point after one round.
            #expect(again.program.printed() == printed, "seed \(seed) case \(index): printing is not stable\n\(printed)")
        }
    }
}
