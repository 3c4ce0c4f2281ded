import ExprParse
import Symbolic

/// Builds the language-neutral body of a generated function: the part of code generation that
/// is the same for every language. `Emitter` hooks supply what differs.
struct FunctionBuilder<E: Emitter> {
    let emitter: E
    let gradient: Gradient
    var plan: NamePlan
    let printer: Printer<E.Spelling>
    let constants: ConstantNodes

    init(emitter: E, gradient: Gradient, functionName: String) {
        self.emitter = emitter
        self.gradient = gradient
        self.plan = NamePlan(gradient, reserved: emitter.reservedVariableNames, functionName: functionName)
        self.printer = Printer(gradient.graph, emitter.dialect)
        self.constants = ConstantNodes(gradient.graph)
    }

    var graph: Graph { gradient.graph }
    var staged: StagedProgram { gradient.staged }

    /// Parameter names as emitted.
    var parameters: [String] { staged.inputNodes.map { plan.names[$0] ?? "?" } }

    /// ∂value/∂input names as emitted.
    var partialNames: [String] { staged.inputNodes.map { plan.adjointNames[$0] ?? "?" } }

    /// The input names only (what a closed form may refer to).
    var inputNames: NodeMap<String> {
        var names = NodeMap<String>()
        for node in staged.inputNodes { names[node] = plan.names[node] }
        return names
    }

    /// The name of the seed variable, when the emitter wants one: the output equation's own
    /// adjoint name (nothing else reads it in a seeded backward pass), or a fresh `d<out>` when
    /// the output is an input or a constant and has no adjoint of its own to borrow.
    mutating func seed() -> (name: String, expression: String)? {
        guard let expression = emitter.seed(ofValue: plan.outputName) else { return nil }
        let output = staged.output
        let isEquation = staged.equations.contains { $0.node == output }
        let name = isEquation ? (plan.adjointNames[output] ?? plan.unique("d" + plan.outputName)) : plan.unique("d" + plan.outputName)
        return (name, expression)
    }

    /// The value's definition, converted to the language's float type when it is a constant.
    func valueExpression(_ text: String, of node: NodeID) -> String {
        constants.contains(node) ? emitter.constantValue(text) : text
    }

    /// `upstream * partial` as the chain rule's one product, without multiplying by ±1; with no
    /// upstream (the folded seed) the partial alone. Mirrors `Gradient.backwardLines`.
    func chained(_ partial: NodeID, printed: Printed, upstream: String?) -> String {
        guard let upstream else { return printed.text }
        switch graph.numberValue(partial) {
        case .some(.one): return upstream
        case .some(.minusOne): return "-" + upstream
        default: return upstream + emitter.dialect.times + printed.wrapped(below: Printed.Level.unary)
        }
    }

    /// `d<input> = 0` (or the output-is-the-input seed) for every input no contribution reaches.
    func unreachedInputs(assigned: NodeMap<Bool>, seed: String?) -> [BodyLine] {
        var lines: [BodyLine] = []
        for node in staged.inputNodes where assigned[node] == nil {
            let name = plan.adjointNames[node] ?? "?"
            let input = plan.names[node] ?? "?"
            if node == staged.output {
                lines.append(.comment("the output is the input \(input)"))
                lines.append(.define(name: name, expression: seed ?? emitter.dialect.number(.one).text))
            } else {
                lines.append(.comment("the output does not depend on \(input)"))
                lines.append(.define(name: name, expression: emitter.zero(forInput: input, seed: seed)))
            }
        }
        return lines
    }

    /// `names` plus `pinned`, the pinned spelling winning.
    func merged(_ names: NodeMap<String>, _ pinned: NodeMap<String>) -> NodeMap<String> {
        names.merging(pinned) { _, pin in pin }
    }
}
