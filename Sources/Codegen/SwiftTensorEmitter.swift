import ExprParse
import Symbolic

/// Swift for a tensor program: one function over flat row-major `[Double]` buffers, with
/// plain loops and no packages.
///
/// ```swift
/// func f(_ W: [Double], _ x: [Double]) -> (value: Double, dW: [Double], dx: [Double])
/// ```
/// Parameters: named dimensions first (`Int`), then the inputs in declaration order (labels
/// as `Int` / `[Int]`), then, when the output is an array, its upstream gradient (`dout`, the
/// output's shape), which makes the gradients a vector-Jacobian product. Every array input's
/// count is checked with a `precondition` naming the input and its shape. The result is the
/// value and the gradient of every real input, each in its input's shape.
///
/// The body is the staged program: one block of loops per forward equation, then one per
/// backward step (`Gradient.backwardSteps`), each headed by the staged line it computes.
/// `options.closedForm` does not apply: the function is always the staged program.
/// - Throws: `CodegenError.invalidFunctionName` as the scalar emitter does.
func emitSwiftTensor(_ gradient: Gradient, source: String, options: EmitOptions) throws -> EmittedCode {
    guard SwiftEmitter().isValidFunctionName(options.functionName) else {
        throw CodegenError.invalidFunctionName(options.functionName, .swift)
    }
    var w = SwiftTensorWriter(gradient: gradient, functionName: options.functionName)
    let staged = gradient.staged
    let graph = gradient.graph
    let output = staged.output
    let outputShape = w.shape(output)
    let valueName = w.plan.outputName
    let upstreamName = outputShape.isEmpty ? nil : (w.plan.adjointNames[output] ?? "dout")

    // Signature.
    var parameters = w.dimensionOrder.map { "_ \($0): Int" }
    var returned: [(label: String, type: String)] = [("value", outputShape.isEmpty ? "Double" : "[Double]")]
    var returnedNames = [valueName]
    for (index, node) in staged.inputNodes.enumerated() {
        let name = w.names[node] ?? "?"
        let isArray = graph.shapes[node.int].rank > 0
        if gradient.isLabel(index) {
            parameters.append("_ \(name): \(isArray ? "[Int]" : "Int")")
            continue
        }
        parameters.append("_ \(name): \(isArray ? "[Double]" : "Double")")
        let partial = w.plan.adjointNames[node] ?? "?"
        returned.append((partial, isArray ? "[Double]" : "Double"))
        returnedNames.append(partial)
    }
    if let upstreamName { parameters.append("_ \(upstreamName): [Double]") }

    // Preconditions: every array's element count, naming its shape.
    for node in staged.inputNodes where graph.shapes[node.int].rank > 0 {
        let name = w.names[node] ?? "?"
        let count = Extent.product(w.shape(node))
        w.out.line("precondition(\(name).count == \(count.text), \"\(name) must have shape \(shapeText(w.shape(node))), \(count.text) elements\")")
    }
    if let upstreamName {
        let count = Extent.product(outputShape)
        w.out.line("precondition(\(upstreamName).count == \(count.text), "
                   + "\"\(upstreamName), the upstream gradient, must have the output's shape \(shapeText(outputShape)), \(count.text) elements\")")
    }

    // Forward pass: one block per equation.
    let forwardComments = staged.forwardLines(InputLanguage(spaced: true), names: w.plan.names, outputName: valueName)
    w.out.line("// forward pass")
    for (index, equation) in staged.equations.enumerated() {
        let name = w.plan.names[equation.node] ?? equation.name
        if forwardComments.indices.contains(index) { w.out.line("// \(comment(forwardComments[index]))") }
        w.compile(equation.node, into: .init(name: name, shape: w.shape(equation.node), mode: .define(mutable: false)))
        w.names[equation.node] = name
    }
    if let alias = staged.outputAlias {
        if let last = forwardComments.last { w.out.line("// \(comment(last))") }
        w.compile(alias, into: .init(name: valueName, shape: outputShape, mode: .define(mutable: false)))
    }

    // Backward pass: one block per written step.
    let steps = gradient.backwardSteps.filter { $0.form != .folded }
    if !steps.isEmpty { w.out.line("// backward pass") }
    var statements: [NodeID: Int] = [:]
    for step in steps { statements[step.contribution.target, default: 0] += 1 }
    let backwardComments = gradient.backwardLines(InputLanguage(spaced: true), names: w.plan.names, adjointNames: w.plan.adjointNames)
    var commentIndex = 0
    for step in steps {
        let c = step.contribution
        if step.form != .deferred, backwardComments.indices.contains(commentIndex) {
            w.out.line("// \(comment(backwardComments[commentIndex]))")
            commentIndex += 1
        }
        let mutable = (statements[c.target] ?? 0) > 1
        let mode: SwiftTensorWriter.Mode
        var negate = false
        switch step.form {
        case .define: mode = .define(mutable: mutable)
        case .defineNegated, .deferred:
            mode = .define(mutable: mutable)
            negate = true
        case .accumulate: mode = .accumulate
        case .subtract: mode = .subtract
        // The deferred first term was stored negated: `-first + term` is `term - first` exactly.
        case .defineAfterDeferred: mode = step.negated ? .subtract : .accumulate
        case .folded: continue
        }
        let target = SwiftTensorWriter.Destination(name: w.plan.adjointNames[c.target] ?? "?", shape: w.shape(c.target), mode: mode)
        if let vjp = c.vjp {
            w.compile(vjp, into: target)
        } else {
            w.contribution(step, negated: negate, into: target)
        }
    }

    // Inputs without a backward step: zeros (or the seed, when the output is the input).
    for (index, node) in staged.inputNodes.enumerated() where !gradient.isLabel(index) {
        guard gradient.adjoints[node] == nil || node == output else { continue }
        let partial = w.plan.adjointNames[node] ?? "?"
        let input = w.names[node] ?? "?"
        let shape = w.shape(node)
        if node == output && graph.isDifferentiable[node.int] {
            w.out.line("// the output is the input \(input)")
            // An array output's gradient is the upstream itself, already named so.
            if shape.isEmpty { w.out.line("let \(partial) = 1.0") }
        } else {
            w.out.line("// the output does not depend on \(input)")
            w.out.line("let \(partial) = " + (shape.isEmpty ? "0.0" : "[Double](repeating: 0.0, count: \(Extent.product(shape).text))"))
        }
    }

    let header = CodeWriterHeader(
        summary: summary(source, functionName: options.functionName, inputs: staged.inputs, equations: staged.equations.count)
            + rewritesNote(gradient.rewrites),
        functionName: options.functionName, gradient: gradient, writer: w, upstream: upstreamName,
        renamed: w.plan.renamed + w.dimensionRenames)
    var text = "import Foundation\n\n"
    text += header.lines.map { $0.isEmpty ? "///" : "/// " + $0 }.joined(separator: "\n") + "\n"
    let resultType = returned.count == 1 ? returned[0].type : "(" + returned.map { "\($0.label): \($0.type)" }.joined(separator: ", ") + ")"
    text += "func \(options.functionName)(\(parameters.joined(separator: ", "))) -> \(resultType) {\n"
    text += w.out.lines.joined(separator: "\n") + "\n"
    if returned.count == 1 {
        text += "    return \(valueName)\n"
    } else {
        text += "    return (" + zip(returned, returnedNames).map { "\($0.label): \($1)" }.joined(separator: ", ") + ")\n"
    }
    text += "}\n"
    return EmittedCode(text: text, renamed: w.plan.renamed + w.dimensionRenames)
}

/// `(2, 2)`, `(N, 4)`, `()` with the dimension parameters' names.
func shapeText(_ shape: [Extent]) -> String {
    let parts = shape.map(\.text)
    return parts.count == 1 ? "(\(parts[0]),)" : "(" + parts.joined(separator: ", ") + ")"
}

/// A staged line as a one-line comment, with its shape.
private func comment(_ line: StagedLine) -> String {
    Docstring.escaped(line.statementText + "  " + line.shape.description)
}

/// The documentation above the function: what it computes, its parameters and conventions.
private struct CodeWriterHeader {
    let lines: [String]

    init(summary: String, functionName: String, gradient: Gradient, writer: SwiftTensorWriter, upstream: String?, renamed: [Renaming]) {
        var lines = ["Value and gradient of \(Docstring.escaped(summary))."]
        lines.append("")
        let staged = gradient.staged
        var shapes: [String] = []
        var realPartials: [String] = []
        var labels: [String] = []
        for (index, node) in staged.inputNodes.enumerated() {
            let name = writer.names[node] ?? "?"
            if gradient.isLabel(index) { labels.append(name) } else { realPartials.append("d\(functionName)/d\(name)") }
            if gradient.graph.shapes[node.int].rank > 0 { shapes.append("\(name) \(shapeText(writer.shape(node)))") }
        }
        if !shapes.isEmpty {
            lines.append("Arrays are flat row-major [Double] buffers: " + shapes.joined(separator: ", ") + ".")
        }
        if !writer.dimensionOrder.isEmpty {
            lines.append("Named dimensions come first, as Int parameters: " + writer.dimensionOrder.joined(separator: ", ") + ".")
        }
        if !labels.isEmpty {
            lines.append("Labels (Int, never differentiated, each in 0..<K): " + labels.joined(separator: ", ") + ".")
        }
        if let upstream {
            lines.append("The output is an array: \(upstream), the last parameter, is the upstream gradient (the output's shape),")
            lines.append("and each gradient is the vector-Jacobian product with it.")
        }
        lines.append("Returns (" + (["value"] + realPartials).joined(separator: ", ") + "), each gradient in its input's shape.")
        lines.append("Conventions: NumPy broadcasting; ties in max and min send the gradient to the first extreme element")
        lines.append("(row-major); softmax, log_softmax, logsumexp and cross_entropy subtract each lane's maximum before exp.")
        if gradient.graph.nodes.contains(where: { if case .tensor(.convolution) = $0.op { return true } else { return false } }) {
            lines.append("Convolution is cross-correlation (no flip), NCHW inputs and OIHW filters, zero padding; max pooling pads")
            lines.append("with -inf and sends each window's gradient to its first maximum (row-major); average pooling divides by the")
            lines.append("whole window; backward loops scatter with += (overlapping windows accumulate).")
        }
        if !renamed.isEmpty {
            lines.append("Renamed (reserved in Swift): \(renamed.map(\.description).joined(separator: ", ")).")
        }
        self.lines = lines
    }
}

extension SwiftTensorWriter {
    /// An element-wise backward step, `upstream * partial` per element (the partial printed
    /// by the scalar rules of `Gradient.term`), into `target`.
    mutating func contribution(_ step: BackwardStep, negated: Bool, into target: Destination) {
        let c = step.contribution
        // The upstream adjoint is read like any leaf; it has no node of its own, so a key no
        // node has stands for it.
        let upstreamKey = NodeID(Int(Int32.max))
        var extra: [NodeID: (name: String, shape: [Extent])] = [:]
        if let upstream = step.upstream { extra[upstreamKey] = (plan.adjointNames[upstream] ?? "?", shape(upstream)) }
        let gradient = self.gradient
        let stretched = step.upstream == nil && graph.shapes[c.partial.int] != graph.shapes[c.target.int]
        elementwise([c.partial], extra: extra, into: target) { writer, texts in
            var term: Printed
            if stretched {
                // The seed times a partial of a smaller shape: the loop stretches it.
                term = writer.printer.printed(c.partial, names: { texts[$0] })
                if step.flipsPartial { term = Printed(SwiftTensorWriter.negated(term), Printed.Level.unary) }
            } else {
                term = gradient.term(step, printer: writer.printer, names: { texts[$0] }, upstream: texts[upstreamKey])
            }
            return negated ? Printed(SwiftTensorWriter.negated(term), Printed.Level.unary) : term
        }
    }

    /// `-term`, grouped when it binds looser than a product or starts with a minus itself.
    static func negated(_ term: Printed) -> String {
        let grouped = term.precedence < Printed.Level.product || term.text.hasPrefix("-")
        return "-" + (grouped ? "(\(term.text))" : term.text)
    }
}
