import Codegen
import ExprParse
import Foundation
import Symbolic

/// One generated function of a batch, with the points it is run at.
struct BatchCase {
    let key: String
    let source: String
    let gradient: Gradient
    let functionName: String
    let code: EmittedCode
    let points: [[Double]]
}

/// Builds the cases both execution properties run: random tame programs, random programs whose
/// every name is hostile, and every accepted hostile function name.
enum CodeBatch {
    static func cases(_ language: Language, seed: UInt64, programs: Int, hostilePrograms: Int) throws -> [BatchCase] {
        var cases: [BatchCase] = []
        var random = RandomPrograms(seed: seed, tame: true)
        func add(_ generated: GeneratedProgram, _ label: String, functionName: String? = nil, expand: Bool = false) throws {
            let gradient = try Gradient(program: Parser.parse(generated.text).program, expand: expand)
            let points = (0..<2).map { _ in random.point(gradient.staged.inputs.count) }
            for closedForm in [false, true] {
                let key = "\(label)_\(closedForm ? "c" : "s")"
                let name = functionName ?? key
                let options = EmitOptions(language: language, functionName: name, closedForm: closedForm)
                let code = try emit(gradient, source: generated.text, options: options)
                cases.append(BatchCase(key: key, source: generated.text, gradient: gradient, functionName: name, code: code, points: points))
            }
        }
        for index in 0..<programs {
            try add(random.program(maxStatements: 4, depth: 4), "p\(index)", expand: index % 4 == 0)
        }
        let hostile = HostileNames.all.shuffled(using: &random.rng)
        let half = hostile.count / 2
        var hostileRandom = RandomPrograms(seed: seed &+ 1, tame: true, inputs: Array(hostile[..<half]),
                                           statementNames: Array(hostile[half...]))
        for index in 0..<hostilePrograms {
            // Inputs: each program takes a few hostile names, so that many different ones appear.
            hostileRandom.inputPool.shuffle(using: &hostileRandom.rng)
            try add(hostileRandom.program(maxStatements: 5, depth: 3), "h\(index)")
        }
        // Every hostile function name the emitter accepts, on one program reading hostile names.
        let caseProgram = hostileRandom.program(maxStatements: 3, depth: 3)
        let probe = try Gradient(program: Parser.parse(caseProgram.text).program)
        for (index, name) in HostileNames.functionNames.enumerated()
        where (try? emit(probe, source: caseProgram.text, options: EmitOptions(language: language, functionName: name))) != nil {
            try add(caseProgram, "n\(index)", functionName: name)
        }
        return cases
    }
}

/// Compares a generated function's results with the evaluator.
struct Oracle {
    private(set) var failures: [String] = []
    private(set) var comparisons = 0

    mutating func check(_ c: BatchCase, point: [Double], got: [Double]) {
        let expected = c.gradient.evaluate(at: point)
        let want = [expected.value] + expected.gradient
        guard got.count == want.count else {
            failures.append("\(c.key): \(got.count) results, expected \(want.count)\n\(c.source)")
            return
        }
        // A simplified closed form folds `t - t` to 0 (as SymPy does, see grammar.md), so where
        // the program itself divides by such a 0 the evaluator's NaN adjoints and the closed
        // form's finite ones are both right for their expression; staged code must still match.
        if c.key.hasSuffix("_c") && expected.firstNonFinite != nil { return }
        for (index, (a, b)) in zip(got, want).enumerated() {
            comparisons += 1
            // Generated code evaluates the same formulas in another order (closed forms are
            // simplified), so allow rounding that deep random programs can amplify.
            if !Numbers.close(a, b, 1e-8) && !(Swift.abs(b) > 1e8 && Numbers.close(a, b, 1e-6)) {
                failures.append("\(c.key) result \(index) at \(point): \(a), evaluator \(b)\n\(c.source)")
            }
        }
    }

    mutating func fail(_ message: String) { failures.append(message) }

    var summary: String? {
        failures.isEmpty ? nil : "\(failures.count) mismatches:\n" + failures.prefix(20).joined(separator: "\n")
    }
}
