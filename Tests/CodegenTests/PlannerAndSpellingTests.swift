import TestSupport
@testable import Codegen
import ExprParse
import Symbolic
import Testing

/// The hoisting planner, the per-function spellings, and the tokenizer the name tests rely on.
@Suite struct PlannerAndSpellingTests {
    @Test func sharedOperationsAreHoistedOnceInTopologicalOrder() throws {
        let gradient = try Gradient(source: "sin(x*y)*cos(x*y) + exp(x*y)")
        let graph = gradient.graph
        let roots = [gradient.staged.output] + gradient.closedForm()
        let inputs = Dictionary(uniqueKeysWithValues: zip(gradient.staged.inputNodes, gradient.staged.inputs))
        let hoisted = HoistingPlanner(graph: graph).hoisted(roots, named: { inputs[$0] }, shareRepeated: true) { _ in false }
        #expect(hoisted == hoisted.sorted())
        #expect(hoisted.allSatisfy { graph[$0].op.isOperation })
        let xy = graph.intern(.mul, [graph.variable("x"), graph.variable("y")])
        #expect(hoisted.contains(xy))
    }

    @Test func repeatedArgumentsAreHoistedEvenWhenUsedOnce() throws {
        let gradient = try Gradient(source: "sign(x + y)")
        let graph = gradient.graph
        let names = Dictionary(uniqueKeysWithValues: zip(gradient.staged.inputNodes, gradient.staged.inputs))
        let planner = HoistingPlanner(graph: graph)
        let sum = graph.intern(.add, [graph.variable("x"), graph.variable("y")])
        #expect(planner.hoisted([gradient.staged.output], named: { names[$0] }, shareRepeated: false) { $0 == .sign } == [sum])
        #expect(planner.hoisted([gradient.staged.output], named: { names[$0] }, shareRepeated: false) { _ in false }.isEmpty)
    }

    @Test func closedFormComputesNothingTwice() throws {
        let gradient = try Gradient(source: "sigmoid(x)")
        let swift = try emit(gradient, source: "sigmoid(x)", options: EmitOptions(language: .swift, closedForm: true))
        #expect(swift.text.components(separatedBy: "exp(-x)").count == 2)
        #expect(swift.text.contains("let dx = out * (1.0 - out)"))
    }

    /// Every function has a spelling in every dialect (the switches are exhaustive; this checks
    /// that none is empty and that every argument appears).
    @Test(arguments: Function.allCases) func everyFunctionIsSpelledInEveryDialect(function: Function) {
        let arguments = Array(["alpha", "beta"].prefix(function.arity))
        for text in [NumPyDialect().call(function, arguments).text, SwiftDialect().call(function, arguments).text] {
            #expect(arguments.allSatisfy { text.contains($0) }, "\(function): \(text)")
        }
    }

    @Test func numbersKeepTheirTypeAndExactness() {
        #expect(SwiftDialect().number(Number(2)).text == "2.0")
        #expect(SwiftDialect().number(.rational(Rational(1, 3) ?? .one)).text == "1.0 / 3.0")
        #expect(SwiftDialect().number(.real(0.1)).text == "0.1")
        #expect(NumPyDialect().number(.rational(Rational(1, 3) ?? .one)).text == "1/3")
        #expect(NumPyDialect().power(Printed("x", Printed.Level.atom), Printed("-2", Printed.Level.unary)).text == "x**-2")
        #expect(NumPyDialect().power(Printed("x", Printed.Level.atom), Printed("y", Printed.Level.atom)).text == "np.power(x, y)")
    }

    @Test func theTokenizerCatchesReservedNames() {
        #expect(!SourceTokens.problems(in: "def f(lambda):\n    return lambda\n", language: .numpy, functionName: "f").isEmpty)
        #expect(!SourceTokens.problems(in: "func f(_ in: Double) -> Double { return in }\n", language: .swift, functionName: "f").isEmpty)
        #expect(SourceTokens.problems(in: "import numpy as np\ndef f(x):\n    return np.exp(x)\n", language: .numpy, functionName: "f").isEmpty)
    }
}
