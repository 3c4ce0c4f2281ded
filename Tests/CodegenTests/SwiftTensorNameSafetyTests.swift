import Codegen
import Symbolic
import Testing

/// Hostile names in tensor programs never break the generated Swift: reserved words and the
/// names the loops use (`i`, `s`, `initialized`, `precondition`) as inputs and dimensions.
@Suite struct SwiftTensorNameSafetyTests {
    static var hostile: [String] { TensorCorpus.hostile.map(\.source) }

    @Test(arguments: hostile) func hostileNamesTokenizeCleanly(source: String) throws {
        let code = try emit(try Gradient(source: source), source: source, options: EmitOptions(language: .swift))
        let problems = SwiftTensorTokens.problems(in: code.text, functionName: "f")
        #expect(problems.isEmpty, "\(problems)\n\(code.text)")
    }

    @Test func everyCorpusProgramTokenizesCleanly() throws {
        for testCase in TensorCorpus.all {
            let code = try emit(try testCase.gradient(), source: testCase.source, options: EmitOptions(language: .swift))
            let problems = SwiftTensorTokens.problems(in: code.text, functionName: "f")
            #expect(problems.isEmpty, "\(testCase.source): \(problems)")
        }
    }

    @Test func reservedNamesAreRenamedAndReported() throws {
        let source = TensorCorpus.hostile[0].source
        let code = try emit(try Gradient(source: source), source: source, options: EmitOptions(language: .swift))
        #expect(code.renamed.map(\.description) == ["precondition -> precondition_", "Int -> Int_"])
        #expect(code.text.contains("func f(_ precondition_: [Double], _ Int_: [Double], _ initialized: [Double])"))
        #expect(code.text.contains("precondition(precondition_.count == 2, \"precondition_ must have shape (2,), 2 elements\")"))
        let dimension = TensorCorpus.hostile[2].source
        let renamed = try emit(try Gradient(source: dimension), source: dimension, options: EmitOptions(language: .swift))
        #expect(renamed.renamed.map(\.description) == ["in -> in_2"])
        #expect(renamed.text.contains("func f(_ in_2: Int, _ X: [Double], _ label: [Int], _ m: [Double], _ t0: [Double])"))
    }

    @Test func checkerCatchesAnUndefinedName() {
        let problems = SwiftTensorTokens.problems(in: "func f(_ x: Double) -> Double {\n    let y = x * z\n    return y\n}\n", functionName: "f")
        #expect(problems == ["'z' is used but never defined"])
    }

    @Test func invalidFunctionNamesAreRejected() throws {
        let source = TensorCorpus.normSquared
        #expect(throws: CodegenError.invalidFunctionName("func", .swift)) {
            try emit(try Gradient(source: source), source: source, options: EmitOptions(language: .swift, functionName: "func"))
        }
    }
}
