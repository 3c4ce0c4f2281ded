@testable import Codegen
import Symbolic
import Testing

/// Emitted code handed over in chunks (`EmittedCode.write`, `CodeStream.write`), as `symdiff
/// emit` writes it to standard output without holding the whole text: the chunks are the text,
/// each valid UTF-8, and a body made line by line into them is the body `text` shows.
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

    /// Staged bodies with every kind of line the streamed path writes: accumulations (Swift's
    /// `var`) and subtractions, `from:` comments quoting pinned constants (NumPy's `np.inf`,
    /// Swift's `-(-2.0)`), temporaries (Swift's `max`), negated terms, renamed reserved names.
    static let bodies = [
        "(x + y)z", "x = 3a + 2b; y = 4a - b; z = 3x^2 - 2x y + y^2",
        "a = 1/0; b = a*x + exp(-1/0)*x; b*x",
        "c = -(-2); a = sign(atan(e)) * x; b = c*a*a - x; max(b, x*y)",
        "xlogy(x*y, y + 1) + sigmoid(x - y)*x", "-x * -y - -(x - y) + -(-x)*y + -(-2)*x",
        "lambda*in + sigmoid(x)/max(x, y)",
    ]

    /// The text of `stream`, as `write` hands it over, and how many chunks it took.
    static func written(_ stream: CodeStream) -> (text: String, chunks: Int) {
        var bytes: [UInt8] = [], chunks = 0
        stream.write { chunk in
            #expect(String(validating: chunk, as: UTF8.self) != nil)
            bytes.append(contentsOf: chunk)
            chunks += 1
        }
        return (String(decoding: bytes, as: UTF8.self), chunks)
    }

    /// The body made as it is written is the text `emit` returns, and that text is the one an
    /// emitter writes from the whole body (whose Swift `var`s come from its own lines, not from
    /// the backward steps' forms as the streamed body's do).
    @Test(arguments: bodies, [Language.numpy, .swift])
    func theStreamedBodyIsTheText(source: String, language: Language) throws {
        let g = try Gradient(source: source)
        let options = EmitOptions(language: language)
        let stream = try emitStream(g, source: source, options: options)
        let text = try emit(g, source: source, options: options).text
        #expect(Self.written(stream).text == text)
        #expect(stream.code.text == text)
        #expect(stream.renamed == (try emit(g, source: source, options: options).renamed))
        let whole = language == .numpy ? try emit(g, source: source, options: options, with: NumPyEmitter())
                                       : try emit(g, source: source, options: options, with: SwiftEmitter())
        #expect(whole.text == text)
    }

    /// The sources above do have the lines they are there for.
    @Test func theBodiesHaveEveryKindOfLine() throws {
        func texts(_ language: Language) throws -> String {
            try Self.bodies.map { try emit(Gradient(source: $0), source: $0, options: EmitOptions(language: language)).text }
                .joined()
        }
        let numpy = try texts(.numpy), swift = try texts(.swift)
        for shown in ["    var dx = ", "    dx -= ", "    dx += ", "    // from: d = -(-2.0) * a", "    let t0 = ", "in_"] {
            #expect(swift.contains(shown), "\(shown)")
        }
        for shown in ["    # from: c = np.inf * x", "    dx = dx + ", " = np.broadcast_to(", "lambda_"] {
            #expect(numpy.contains(shown), "\(shown)")
        }
    }

    /// An input the output ignores, the output that is an input, and a closed form (made whole
    /// before it is written) come through the stream as `emit` writes them.
    @Test(arguments: [Language.numpy, .swift])
    func partialsOfUnusedInputsAndClosedForms(language: Language) throws {
        for (source, variables, closedForm) in [("x", ["x", "y"], false), ("2y", ["x", "y"], false), ("sin(x)*y", nil, true)] {
            let g = try Gradient(source: source, variables: variables)
            let options = EmitOptions(language: language, closedForm: closedForm)
            let text = try emit(g, source: source, options: options).text
            #expect(Self.written(try emitStream(g, source: source, options: options)).text == text)
        }
    }

    /// A body larger than a chunk (256 KB) arrives in several, and they are the text.
    @Test(arguments: [Language.numpy, .swift])
    func aLongBodyComesInChunks(language: Language) throws {
        var statements = ["a0 = sin(x)*x + y"]
        for i in 1 ..< 1500 { statements.append("a\(i) = sin(a\(i - 1))*a\(i - 1) + y") }
        let source = statements.joined(separator: "\n") + "\na1499"
        let g = try Gradient(source: source)
        let options = EmitOptions(language: language)
        let (text, chunks) = Self.written(try emitStream(g, source: source, options: options))
        #expect(chunks > 1)
        #expect(text == (try emit(g, source: source, options: options).text))
    }

    /// A program with arrays has its own writers; through the stream it is their text.
    @Test(arguments: [Language.numpy, .swift])
    func aTensorProgramStreamsItsText(language: Language) throws {
        let source = "x: (3,); sum(x * exp(x)) + sum(x^2)"
        let g = try Gradient(source: source)
        let options = EmitOptions(language: language)
        #expect(Self.written(try emitStream(g, source: source, options: options)).text
                == (try emit(g, source: source, options: options).text))
    }

    /// A name the language cannot use fails before anything is written.
    @Test func anInvalidNameFailsBeforeWriting() throws {
        let g = try Gradient(source: "x*y")
        #expect(throws: CodegenError.invalidFunctionName("lambda", .numpy)) {
            try emitStream(g, source: "x*y", options: EmitOptions(language: .numpy, functionName: "lambda"))
        }
    }
}
