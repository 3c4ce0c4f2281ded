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
    /// form it is returned in (`Emitter.returnedPartial`).
    func finishedPartials(assigned: NodeMap<Bool>) -> [BodyLine] {
        var lines: [BodyLine] = []
        for node in staged.inputNodes where assigned[node] == nil {
            let name = plan.adjointNames[node] ?? "?"
            let input = plan.names[node] ?? "?"
            if node == staged.output {
                lines.append(.comment("the output is the input \(input)"))
                lines.append(.define(name: name, expression: emitter.constantValue(emitter.dialect.number(.one).text)))
                lines.append(contentsOf: returned(name))
            } else {
                lines.append(.comment("the output does not depend on \(input)"))
                lines.append(.define(name: name, expression: emitter.zero(forInput: input, value: plan.outputName)))
            }
        }
        let forms = staged.inputNodes.filter { assigned[$0] != nil }.flatMap { returned(plan.adjointNames[$0] ?? "?") }
        if !forms.isEmpty { lines.append(.comment("each partial in the shape of the value")) }
        return lines + forms
    }

    /// `name` rebound to the form it is returned in, when the language has one.
    private func returned(_ name: String) -> [BodyLine] {
        emitter.returnedPartial(name, value: plan.outputName).map { [.define(name: name, expression: $0)] } ?? []
    }

    /// `names` plus `pinned`, the pinned spelling winning.
    func merged(_ names: NodeMap<String>, _ pinned: NodeMap<String>) -> NodeMap<String> {
        names.merging(pinned) { _, pin in pin }
    }
}
