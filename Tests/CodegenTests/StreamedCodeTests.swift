@testable import Codegen
import Symbolic
import Testing

/// Emitted code handed over in chunks (`EmittedCode.write`), as `symdiff emit` writes it to
/// standard output without holding the whole text: the chunks are the text, each valid UTF-8.
@Suite struct StreamedCodeTests {
    static let sources = ["(x + y)z", "x = 3a + 2b; y = 4a - b; z = 3x^2 - 2x y + y^2",
                          "lambda*in + sigmoid(x)/max(x, y)", "a = sin(x)*x + y\nb = sin(a)*a + y\nb"]

    @Test(arguments: sources, [Language.numpy, .swift])
    func theChunksAreTheText(source: String, language: Language) throws {
        let g = try Gradient(source: source)
        let code = try emit(g, source: source, options: EmitOptions(language: language))
        var bytes: [UInt8] = []
        var chunks = 0
        code.write { chunk in
            bytes.append(contentsOf: chunk)
            chunks += 1
        }
        #expect(chunks >= 1)
        #expect(String(decoding: bytes, as: UTF8.self) == code.text)
        #expect(code.text.hasSuffix("\n"))
    }

    /// Small chunks never cut a character: each decodes on its own, and together they are the text.
    @Test(arguments: [8, 9, 10, 11])
    func chunksEndOnCharacterBoundaries(chunkSize: Int) {
        let pieces = ["θ = ", "x × y", "\n", "🙂🙂", "é", "abc", String(repeating: "ß", count: 7), "\n"]
        let write: (inout CodeWriter) -> Void = { out in for piece in pieces { out.write(piece) } }
        var chunks: [[UInt8]] = []
        CodeWriter.stream(chunkSize: chunkSize, write) { chunks.append(Array($0)) }
        for chunk in chunks {
            #expect(chunk.count <= chunkSize)
            #expect(String(validating: chunk, as: UTF8.self) != nil, "chunk \(chunk) cuts a character")
        }
        #expect(String(decoding: chunks.flatMap { $0 }, as: UTF8.self) == CodeWriter.text(write))
        #expect(CodeWriter.text(write) == pieces.joined())
    }
}
