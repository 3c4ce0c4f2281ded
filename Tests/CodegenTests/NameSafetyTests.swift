import TestSupport
import Codegen
import ExprParse
import Symbolic
import Testing

/// Function names are validated; variable names never break the generated code.
@Suite struct NameSafetyTests {
    static let invalid: [(String, Language)] = [
        ("1f", .numpy), ("def", .numpy), ("f-g", .numpy), ("in", .numpy), ("", .numpy), ("np", .numpy),
        ("lambda", .numpy), ("1f", .swift), ("func", .swift), ("f-g", .swift), ("in", .swift), ("", .swift),
        ("Double", .swift), ("exp", .swift), ("f g", .swift), ("é", .swift),
    ]

    @Test(arguments: invalid.indices) func invalidFunctionNamesAreRejected(index: Int) throws {
        let (name, language) = NameSafetyTests.invalid[index]
        let gradient = try Gradient(source: "x*y")
        #expect(throws: CodegenError.invalidFunctionName(name, language)) {
            try emit(gradient, source: "x*y", options: EmitOptions(language: language, functionName: name))
        }
    }

    @Test func invalidNameMessagesSayWhatIsWrong() {
        #expect(CodegenError.invalidFunctionName("1f", .numpy).description.contains("expected an identifier"))
        #expect(CodegenError.invalidFunctionName("np", .numpy).description.contains("reserved in Python"))
        #expect(CodegenError.invalidFunctionName("", .swift).description.contains("an empty name"))
    }

    @Test(arguments: Language.allCases) func validFunctionNamesAreAccepted(language: Language) throws {
        let gradient = try Gradient(source: "x*y")
        for name in ["f", "grad_f", "_private", "F2", "value"] {
            let code = try emit(gradient, source: "x*y", options: EmitOptions(language: language, functionName: name))
            #expect(code.text.contains(language == .numpy ? "def \(name)(" : "func \(name)("))
        }
    }

    @Test func reservedVariablesAreRenamedAndReported() throws {
        let source = "lambda*x + in*X + np"
        let gradient = try Gradient(source: source)
        let python = try emit(gradient, source: source, options: EmitOptions(language: .numpy))
        #expect(python.renamed.map(\.description) == ["lambda -> lambda_", "in -> in_", "np -> np_"])
        #expect(python.text.contains("def f(lambda_, x, in_, X, np_):"))
        #expect(python.text.contains("Renamed (reserved in Python): lambda -> lambda_, in -> in_, np -> np_."))
        let swift = try emit(gradient, source: source, options: EmitOptions(language: .swift))
        #expect(swift.renamed.map(\.description) == ["in -> in_"])
        #expect(swift.text.contains("func f(_ lambda: Double, _ x: Double, _ in_: Double, _ X: Double, _ np: Double)"))
    }

    @Test func renamesAvoidNamesAlreadyTaken() throws {
        // `lambda_` is taken by an input, so `lambda` becomes `lambda_2`.
        let source = "lambda*lambda_ + f"
        let code = try emit(try Gradient(source: source), source: source, options: EmitOptions(language: .numpy))
        #expect(code.renamed.map(\.description) == ["lambda -> lambda_2", "f -> f_"])
    }

    @Test func adjointNamesAvoidKeywordsFromTheStart() throws {
        // d + "o" is Swift's `do`; d + "el" is Python's `del`; d + "ef" is `def`. Symbolic names
        // these adjoints `do_`, `del_`, `def_` itself, so no language renames anything.
        let source = "o*el + ef"
        let gradient = try Gradient(source: source)
        let adjoints = gradient.staged.inputNodes.map { gradient.adjointNames[$0] }
        #expect(adjoints == ["do_", "del_", "def_"])
        for language in Language.allCases {
            let code = try emit(gradient, source: source, options: EmitOptions(language: language))
            #expect(code.renamed.isEmpty, "\(language): \(code.renamed)")
            #expect(code.text.contains(language == .numpy ? "return out, do_, del_, def_" : "do_: do_, del_: del_, def_: def_"),
                    "\(language)")
            #expect(!code.text.contains("Renamed"), "\(language)")
        }
    }

    @Test func generatedStageNamesSkipEveryReservedWord() throws {
        // 750 stages reach every two-letter name: `as`, `do`, `id`, `if`, `in`, `is`, `np`,
        // `or`, `os` would each need renaming in some language, so none is generated, and
        // emitting the program renames nothing (the rename pass never has to run).
        let source = (1...250).map { "sin(x + \($0))" }.joined(separator: " + ")
        let gradient = try Gradient(source: source)
        let names = Set(gradient.staged.equations.map(\.name))
        for word in ["as", "do", "id", "if", "in", "is", "np", "or", "os", "and", "def", "del", "for", "not", "try"] {
            #expect(!names.contains(word), "\(word)")
        }
        #expect(names.contains("at") && names.contains("ip"))
        for language in Language.allCases {
            let code = try emit(gradient, source: source, options: EmitOptions(language: language))
            #expect(code.renamed.isEmpty, "\(language): \(code.renamed)")
        }
    }

    /// Every identifier the emitter writes is an expected one: variables are never reserved
    /// words, and reserved words appear only where the emitter itself puts them.
    @Test(arguments: Language.allCases, [false, true]) func hostileNamesTokenizeCleanly(language: Language, closedForm: Bool) throws {
        for testCase in Corpus.hostile {
            let gradient = try testCase.gradient()
            let code = try emit(gradient, source: testCase.source,
                                options: EmitOptions(language: language, closedForm: closedForm))
            let problems = SourceTokens.problems(in: code.text, language: language, functionName: "f")
            #expect(problems.isEmpty, "\(testCase.source): \(problems)\n\(code.text)")
        }
    }
}
