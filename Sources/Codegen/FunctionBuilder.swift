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

    /// The value's definition, converted to the language's float type when it is a constant.
    func valueExpression(_ text: String, of node: NodeID) -> String {
        constants.contains(node) ? emitter.constantValue(text) : text
    }

    /// The statements after the partials are computed: `d<input> = 0` (or 1 when the output
    /// is that input) for every input not in `assigned`, then every assigned partial in the
    /// form it is returned in (`Emitter.returnedPartial`), handed to `lines` one at a time (an
    /// array of them was 60 MB of the emit phase's peak with NumPy at mlp 524288, 524,287 inputs).
    func finishedPartials(assigned: NodeMap<Bool>, into lines: inout some BodyLineSink) {
        for node in staged.inputNodes where assigned[node] == nil {
            let name = plan.adjointNames[node] ?? "?"
            let input = plan.names[node] ?? "?"
            if node == staged.output {
                lines.append(.comment("the output is the input \(input)"))
                lines.append(.define, name: name, expression: emitter.constantValue(emitter.dialect.number(.one).text))
                if let form = emitter.returnedPartial(name, value: plan.outputName) { lines.append(.define, name: name, expression: form) }
            } else {
                lines.append(.comment("the output does not depend on \(input)"))
                lines.append(.define, name: name, expression: emitter.zero(forInput: input, value: plan.outputName))
            }
        }
        var headed = false
        for node in staged.inputNodes where assigned[node] != nil {
            let name = plan.adjointNames[node] ?? "?"
            guard let form = emitter.returnedPartial(name, value: plan.outputName) else { continue }
            if !headed { lines.append(.comment("each partial in the shape of the value")) }
            headed = true
            lines.append(.define, name: name, expression: form)
        }
    }

    /// `names` plus `pinned`, the pinned spelling winning.
    func merged(_ names: NodeMap<String>, _ pinned: NodeMap<String>) -> NodeMap<String> {
        names.merging(pinned) { _, pin in pin }
    }
}
