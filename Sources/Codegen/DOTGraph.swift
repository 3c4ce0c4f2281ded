import ExprParse
import Symbolic

/// A staged program drawn as a Graphviz DOT digraph, for `symdiff graph`.
///
/// One node per staged equation, labelled as the worksheet writes it (`a = x + y`); inputs
/// are filled ellipses, constant operands (numbers, `pi`, `e`, constant subexpressions) are
/// plain text, and the output has a double border. Edges run the way data flows, operand to
/// equation, and carry the argument position where order matters (`sub`, `div`, `pow`, `max`,
/// `min`). For `(x + y)z`:
/// ```
/// digraph symdiff {
///   rankdir=LR;
///   n0 [label="x", shape=ellipse, style=filled, fillcolor=lightblue];
///   ...
///   n3 [label="a = x + y", shape=box];
///   n4 [label="out = a * z", shape=box, peripheries=2];
///   n0 -> n3;
///   ...
/// }
/// ```
/// With a point, every input and equation also shows its value and its adjoint (`grad`, the
/// output's derivative with respect to it). With `backward`, each `Gradient.contributions`
/// edge is drawn back from the gate to its operand, dashed and red, labelled with the local
/// derivative (and its value at the point).
///
/// In a program with arrays every node also shows its shape on a line of its own
/// (`a = W @ x\n(2,)`; a label input `y\nint (N,)`), with named dimensions bound once values
/// are given. Values and gradients are shown only for arrays of at most `maxElementsShown`
/// elements, on one line as `eval --trace` writes them; a backward edge then shows the array it
/// contributes.
///
/// Node ids are generated (`n0`, `n1`, ...) and all program text is quoted (see `DOTText`),
/// so hostile names cannot break the file. The text is deterministic: nodes come in input,
/// constant, equation order, and edges in equation and argument order.
public struct DOTGraph {
    /// The program drawn.
    public let gradient: Gradient
    /// The input values the labels show, in input order, if any.
    public let point: [Double]?
    /// The forward and backward pass at `point`, if one was given.
    public let values: PointEvaluation?
    /// Whether backward edges are drawn.
    public let backward: Bool
    /// The input arrays, in input order, of a program with arrays evaluated at a point.
    public let tensorPoint: [Tensor]?
    /// The forward and backward pass at `tensorPoint`.
    public let tensorValues: TensorEvaluation?
    /// Whether nodes show their shapes: in a program with arrays.
    private let showsShapes: Bool
    /// The output's gradient at `tensorPoint`: 1, or the upstream gradient of an array output.
    private let seed: Tensor?

    /// The largest array whose value and gradient a label shows.
    public static let maxElementsShown = 6

    /// A drawing of `gradient`; with `point` (in input order), evaluated there so that labels
    /// show values and gradients. A point of the wrong length is not an error here: missing
    /// inputs evaluate to NaN, as in `Gradient.evaluate(at:)`.
    public init(_ gradient: Gradient, at point: [Double]? = nil, backward: Bool = false) {
        self.gradient = gradient
        self.point = point
        self.values = point.map { gradient.evaluate(at: $0) }
        self.backward = backward
        tensorPoint = nil
        tensorValues = nil
        showsShapes = gradient.isTensorProgram
        seed = nil
    }

    /// A drawing of a program with arrays evaluated at `tensors` (input order), with the named
    /// dimensions `dimensions` binds and the upstream gradient of an array output, as
    /// `Gradient.evaluate(tensors:dims:upstream:)` takes them.
    public init(_ gradient: Gradient, tensors: [Tensor], dimensions: [String: Int] = [:], upstream: Tensor? = nil,
                backward: Bool = false) throws(PointError) {
        self.gradient = gradient
        point = nil
        values = nil
        self.backward = backward
        tensorPoint = tensors
        tensorValues = try gradient.evaluate(tensors: tensors, dims: dimensions, upstream: upstream)
        showsShapes = true
        seed = gradient.graph.shapes[gradient.staged.output.int].rank == 0 ? Tensor(scalar: 1) : upstream
    }

    /// The DOT text, ending with a newline.
    public func render() -> String {
        var ids = NodeIDs()
        var lines = ["digraph symdiff {", "  rankdir=LR;", "  node [fontname=Helvetica];", "  edge [fontname=Helvetica];"]
        lines += inputNodes(&ids) + constantNodes(&ids) + equationNodes(&ids)
        lines += forwardEdges(ids)
        if backward { lines += backwardEdges(ids) }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: - Nodes

    private var staged: StagedProgram { gradient.staged }
    private var graph: Graph { gradient.graph }

    private func inputNodes(_ ids: inout NodeIDs) -> [String] {
        staged.inputNodes.enumerated().map { index, node in
            var label = staged.inputs[index]
            if showsShapes { label += "\n" + (gradient.isLabel(index) ? "int " : "") + shapeText(node) }
            if let values {
                let value = point.flatMap { index < $0.count ? $0[index] : nil } ?? .nan
                label += numbers(value: value, grad: index < values.gradient.count ? values.gradient[index] : .nan)
            }
            if let tensorValues, let tensorPoint, index < tensorPoint.count {
                let value = tensorPoint[index]
                if gradient.isLabel(index), value.count <= DOTGraph.maxElementsShown, let labels = try? value.labels() {
                    // Class labels are integers: `value 2`, `value [2, 0]`.
                    let items = labels.map(String.init)
                    label += "\nvalue " + (value.rank == 0 ? items.joined() : value.rank == 1 ? "[" + items.joined(separator: ", ") + "]" : DOTGraph.text(value))
                } else {
                    label += arrays(value: value, grad: tensorValues.gradient[index])
                }
            }
            let attributes: [(String, DOTText.Value)] = [("label", .text(label)), ("shape", .word("ellipse")),
                                                         ("style", .word("filled")), ("fillcolor", .word("lightblue"))]
            // An output that is an input gets its own `out = x` node below, which is marked.
            return "  \(ids.assign(node))" + DOTText.attributes(attributes) + ";"
        }
    }

    /// Constant operands, one node each however often used (the graph stores them once).
    private func constantNodes(_ ids: inout NodeIDs) -> [String] {
        var operands = staged.equations.flatMap { graph[$0.node].children }.filter { graph.isConstant[$0.int] }
        if let alias = staged.outputAlias, graph.isConstant[alias.int] { operands.append(alias) }
        let printer = Printer(graph, InputLanguage(spaced: true))
        return Set(operands).sorted().map { node in
            var label = printer.render(node)
            if showsShapes && graph.shapes[node.int].rank > 0 { label += "\n" + shapeText(node) }
            let attributes: [(String, DOTText.Value)] = [("label", .text(label)), ("shape", .word("plaintext"))]
            return "  \(ids.assign(node))" + DOTText.attributes(attributes) + ";"
        }
    }

    private func equationNodes(_ ids: inout NodeIDs) -> [String] {
        let lines = staged.forwardLines(InputLanguage(spaced: true))
        var result: [String] = []
        for (index, line) in lines.enumerated() {
            let isEquation = index < staged.equations.count
            var label = "\(line.name) = \(line.expression)"
            if let values {
                // The output copy (`out = x`) has the output's value and the seed gradient 1.
                label += isEquation ? numbers(value: values.forward[index], grad: values.adjoints[index])
                    : numbers(value: values.value, grad: 1)
            }
            if showsShapes { label += "\n" + shapeText(isEquation ? staged.equations[index].node : staged.output) }
            if let tensorValues {
                // The output copy has the output's value and the seed: 1, or the upstream gradient.
                label += isEquation ? arrays(value: tensorValues.forward[index], grad: tensorValues.adjoints[index])
                    : arrays(value: tensorValues.value, grad: seed)
            }
            var attributes: [(String, DOTText.Value)] = [("label", .text(label)), ("shape", .word("box"))]
            if !isEquation || staged.equations[index].node == staged.output { attributes.append(("peripheries", .word("2"))) }
            let id = isEquation ? ids.assign(staged.equations[index].node) : ids.assignOutputCopy()
            result.append("  \(id)" + DOTText.attributes(attributes) + ";")
        }
        return result
    }

    private func numbers(value: Double, grad: Double) -> String {
        "\nvalue \(DOTText.number(value))\ngrad \(DOTText.number(grad))"
    }

    /// `node`'s shape, with the named dimensions the values bound.
    private func shapeText(_ node: NodeID) -> String {
        graph.shapes[node.int].bound(tensorValues?.bindings ?? [:]).description
    }

    /// The value and gradient lines of a small array; nothing for a larger one, and no
    /// gradient line where no gradient reaches.
    private func arrays(value: Tensor, grad: Tensor?) -> String {
        guard value.count <= DOTGraph.maxElementsShown else { return "" }
        var text = "\nvalue " + DOTGraph.text(value)
        if let grad, grad.count <= DOTGraph.maxElementsShown { text += "\ngrad " + DOTGraph.text(grad) }
        return text
    }

    /// A scalar as the scalar labels write it, an array on one line as `eval --trace` does.
    static func text(_ value: Tensor) -> String {
        value.scalarValue.map(DOTText.number) ?? value.formatted(multiline: false)
    }

    // MARK: - Edges

    /// Operand to equation, in equation and argument order; the output copy last.
    private func forwardEdges(_ ids: NodeIDs) -> [String] {
        var result: [String] = []
        for equation in staged.equations {
            let node = graph[equation.node]
            let ordered = DOTGraph.argumentOrderMatters(node.op)
            guard let target = ids[equation.node] else { continue }
            for (index, child) in node.children.enumerated() {
                guard let source = ids[child] else { continue }
                let attributes: [(String, DOTText.Value)] = ordered ? [("label", .text(String(index + 1)))] : []
                result.append("  \(source) -> \(target)" + DOTText.attributes(attributes) + ";")
            }
        }
        if let alias = staged.outputAlias, let source = ids[alias], let target = ids.outputCopy {
            result.append("  \(source) -> \(target);")
        }
        return result
    }

    /// Gate back to operand, one per contribution, labelled with the local derivative written
    /// over the gate's own operands (as `Gradient.backwardLines` writes it). `constraint=false`
    /// keeps the layout that of the forward pass.
    private func backwardEdges(_ ids: NodeIDs) -> [String] {
        let printer = Printer(graph, InputLanguage())
        var result: [String] = []
        for (index, c) in gradient.contributions.enumerated() {
            guard let source = ids[c.source], let target = ids[c.target] else { continue }
            // A VJP reads the gate's adjoint variable, which these names include (`outer(da, x)`).
            var label = printer.printed(c.partial, names: gradient.gateNames(c, staged.names)).text
            if let values, index < values.edges.count { label += "\nlocal \(DOTText.number(values.edges[index].local))" }
            if let tensorValues, index < tensorValues.edges.count, tensorValues.edges[index].contribution.count <= DOTGraph.maxElementsShown {
                label += "\ncontributes " + DOTGraph.text(tensorValues.edges[index].contribution)
            }
            let attributes: [(String, DOTText.Value)] = [
                ("label", .text(label)), ("style", .word("dashed")), ("color", .word("red")),
                ("fontcolor", .word("red")), ("constraint", .word("false")),
            ]
            result.append("  \(source) -> \(target)" + DOTText.attributes(attributes) + ";")
        }
        return result
    }

    /// Whether swapping two operands changes the result (or, for max and min, which operand a
    /// tie's gradient goes to), so edges must say which argument they are.
    static func argumentOrderMatters(_ op: Op) -> Bool {
        switch op {
        case .sub, .div, .pow: return true
        case .function(let f): return f.arity > 1
        case .tensor(let t): return t != .linear(.dot)
        case .number, .constant, .variable, .add, .mul, .neg, .adjoint: return false
        }
    }
}

/// Generated DOT ids: `n0`, `n1`, ... in the order nodes are first drawn.
private struct NodeIDs {
    private var ids: [NodeID: String] = [:]
    private var count = 0
    private(set) var outputCopy: String?

    subscript(node: NodeID) -> String? { ids[node] }

    mutating func assign(_ node: NodeID) -> String {
        if let id = ids[node] { return id }
        let id = next()
        ids[node] = id
        return id
    }

    /// The id of the `out = x` node drawn when the output is not an equation of its own.
    mutating func assignOutputCopy() -> String {
        let id = next()
        outputCopy = id
        return id
    }

    private mutating func next() -> String {
        defer { count += 1 }
        return "n\(count)"
    }
}
