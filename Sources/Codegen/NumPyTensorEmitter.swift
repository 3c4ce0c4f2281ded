import ExprParse
import Symbolic

/// Vectorised NumPy for a tensor program: one function taking whole arrays of the declared
/// shapes (labels as integer arrays), computing the staged forward pass one line per equation
/// and the staged backward pass one line per contribution, and returning the value and the
/// gradient of every real input, each exactly its input's shape.
///
/// Scalar programs never come here: they keep the element-wise contract of `NumPyEmitter`.
func emitNumPyTensor(_ gradient: Gradient, source: String, functionName: String) throws -> EmittedCode {
    guard NumPyEmitter().isValidFunctionName(functionName) else {
        throw CodegenError.invalidFunctionName(functionName, .numpy)
    }
    var function = NumPyTensorFunction(gradient: gradient, functionName: functionName)
    function.build()
    return EmittedCode(text: function.render(source: source), renamed: function.plan.renamed + function.renamedDimensions)
}

/// The parts of one generated tensor function, built once by `build()`.
struct NumPyTensorFunction {
    let gradient: Gradient
    let functionName: String
    var plan: NamePlan
    var dialect = NumPyTensorDialect()
    /// Input, stage and temporary names, with pinned spellings of non-finite constants.
    private var names = NodeMap<String>()
    private var pinned = NodeMap<String>()
    /// Named dimension -> where its size is read (`X.shape[0]`), or nil for a parameter.
    private(set) var dimensions: [(name: String, variable: String, source: String?)] = []
    private(set) var renamedDimensions: [Renaming] = []
    /// The body, one line each (comments start with `#`).
    private(set) var lines: [String] = []
    /// The returned gradients, in input order (real inputs only).
    private(set) var gradientNames: [String] = []
    /// The upstream gradient's parameter for an array output.
    private(set) var upstreamName: String?

    init(gradient: Gradient, functionName: String) {
        self.gradient = gradient
        self.functionName = functionName
        self.plan = NamePlan(gradient, reserved: ReservedNames.python, functionName: functionName)
    }

    private var graph: Graph { gradient.graph }
    private var staged: StagedProgram { gradient.staged }
    private var isArrayOutput: Bool { graph.shapes[staged.output.int].rank > 0 }

    /// Parameter names as emitted: inputs in declaration order, then the upstream gradient of
    /// an array output, then named dimensions no input has.
    var parameters: [String] {
        staged.inputNodes.map { plan.names[$0] ?? "?" } + (upstreamName.map { [$0] } ?? [])
            + dimensions.filter { $0.source == nil }.map(\.variable)
    }

    mutating func build() {
        nameDimensions()
        // Module-level functions for convolution and pooling, named clear of the program's names.
        for helper in NumPyConvolution.helpers(in: graph) { dialect.helperNames[helper] = plan.unique(helper.rawValue) }
        if isArrayOutput {
            // When the output is an input (`x: (3,); x`), `dx` is its gradient, not the upstream.
            let isInput = staged.inputNodes.contains(staged.output)
            upstreamName = isInput ? plan.unique("d" + plan.outputName) : plan.adjointNames[staged.output] ?? "?"
        }
        pinned = NumPyTensorFunction.nonFiniteScalarConstants(graph)
        // A stage keeps its name even when pinned: only its definition uses the pin.
        names = plan.names.merging(pinned) { name, _ in name }
        nameFloatLabels()
        forwardPass()
        backwardPass()
    }

    // MARK: - Dimensions

    /// Every named dimension gets a variable (its own name unless that is reserved or taken),
    /// read from the first input declared with it, in input order.
    private mutating func nameDimensions() {
        var seen = Set<String>()
        func add(_ name: String, source: String?) {
            guard seen.insert(name).inserted else { return }
            // Renamed as NamePlan renames: `name_` first.
            let taken = ReservedNames.python.contains(name) || gradient.isNameInUse(name) || name == functionName
            let variable = plan.unique(taken ? name + "_" : name)
            if variable != name { renamedDimensions.append(Renaming(from: name, to: variable)) }
            dialect.dimensionNames[name] = variable
            dimensions.append((name, variable, source))
        }
        for node in staged.inputNodes {
            for (axis, d) in graph.shapes[node.int].dimensions.enumerated() {
                if case .named(let name) = d { add(name, source: "\(plan.names[node] ?? "?").shape[\(axis)]") }
            }
        }
        // A dimension no input has (onehot(y, K) with K bound by --dim) is a parameter.
        for id in graph.reachable(from: [staged.output] + gradient.contributions.map { $0.vjp ?? $0.partial }) {
            for d in graph.shapes[id.int].dimensions {
                if case .named(let name) = d { add(name, source: nil) }
            }
            if case .tensor(.softmax(.onehot(.named(let name)))) = graph[id].op { add(name, source: nil) }
        }
    }

    // MARK: - Labels

    /// Labels stay integer arrays for indexing; a label that arithmetic reads (`1 - y`) is read
    /// there as a float64 copy, so that it computes as the evaluator does (`y**-1` would raise on
    /// integers, `2**(80*y)` would wrap around).
    private mutating func nameFloatLabels() {
        var labels = NodeMap<Bool>()
        for (index, node) in staged.inputNodes.enumerated() where gradient.isLabel(index) { labels[node] = true }
        guard labels.count > 0 else { return }
        var readByArithmetic = NodeMap<Bool>()
        for node in graph.nodes {
            for (position, child) in node.children.enumerated() where labels[child] != nil && !NumPyTensorFunction.indexes(node.op, position) {
                readByArithmetic[child] = true
            }
        }
        for node in staged.inputNodes where readByArithmetic[node] != nil {
            let integer = plan.names[node] ?? "?"
            let float = plan.unique(integer + "_float")
            names[node] = float
            dialect.integerLabels[float] = integer
            floatLabels.append((float, integer))
        }
    }

    /// Whether operand `position` of `op` is an index (a label read as an integer).
    static func indexes(_ op: Op, _ position: Int) -> Bool {
        guard case .tensor(let t) = op else { return false }
        switch t {
        case .layout(.take), .layout(.takeRows), .softmax(.crossEntropy): return position == 1
        case .softmax(.onehot): return position == 0
        case .reduction, .linear, .layout, .softmax, .convolution, .matrix: return false
        }
    }

    /// Float64 copies of labels that arithmetic reads: (copy, label).
    private(set) var floatLabels: [(String, String)] = []

    // MARK: - Forward

    private mutating func forwardPass() {
        lines.append("# forward pass")
        for equation in staged.equations {
            let node = equation.node
            let name = names[node] ?? equation.name
            let stageNames = names
            stageSoftmaxLines(under: node, includingRoot: true, names: { stageNames[$0] })
            var expression = pinned[node] ?? printer.printed(node, names: { stageNames[$0] }, literalRoot: true).text
            if pinned[node] == nil, case .tensor(.matrix(.logdet)) = graph[node].op {
                // One factorisation: slogdet's (sign, log|det|), then log(sign) added so that a
                // negative determinant gives nan (and a zero one -inf), as log(det(A)) would.
                let argument = printer.printed(graph[node].children[0], names: { stageNames[$0] }).text
                let slogdet = plan.unique(name + "_slogdet")
                lines.append("\(slogdet) = np.linalg.slogdet(\(argument))")
                expression = "\(slogdet)[1] + np.log(\(slogdet)[0])"
            }
            lines.append("\(name) = \(expression)")
            forwardText[node] = "\(name) = \(expression)"
        }
        if let alias = staged.outputAlias {
            let expression = printer.printed(alias, names: { names[$0] }).text
            let constant = ConstantNodes(graph).contains(alias)
            lines.append("\(plan.outputName) = " + (constant ? "np.asarray(\(expression), dtype=np.float64)" : expression))
        }
    }

    private var forwardText: [NodeID: String] = [:]
    private var temporaries = NodeMap<String>()
    private var printer: Printer<NumPyTensorDialect> { Printer(graph, dialect) }

    /// Stages a stable softmax (`z_max`, `z_exp`, `z_sum`) for every softmax-family op that
    /// printing `root` would write, unless one was staged for the same argument and axis.
    private mutating func stageSoftmaxLines(under root: NodeID, includingRoot: Bool, names: (NodeID) -> String?) {
        let order = graph.reachable(from: [root]) { $0 != root && names($0) != nil }
        for id in order where id != root || includingRoot {
            guard id == root || names(id) == nil, case .tensor(.softmax(let op)) = graph[id].op else { continue }
            let axis: Int
            switch op {
            case .softmax(let a), .logSoftmax(let a), .logsumexp(let a, _): axis = a
            case .crossEntropy: axis = graph.shapes[graph[id].children[0].int].rank - 1
            case .onehot: continue
            }
            let argument = graph[id].children[0]
            var text = names(argument) ?? temporaries[argument]
            if text == nil {
                // A compound argument is computed once, into a temporary.
                let temporary = plan.temporary()
                lines.append("\(temporary) = \(printer.printed(argument, names: names).text)")
                temporaries[argument] = temporary
                text = temporary
            }
            let z = text ?? "?"
            let key = NumPyTensorDialect.SoftmaxKey(argument: z, axis: axis)
            guard dialect.softmaxLines[key] == nil else { continue }
            let staged = NumPyTensorDialect.SoftmaxLines(max: plan.unique(z + "_max"), exp: plan.unique(z + "_exp"), sum: plan.unique(z + "_sum"))
            lines.append("# stable softmax of \(z) over axis \(axis): its maximum subtracted before exp")
            lines.append("\(staged.max) = np.max(\(z), axis=\(axis), keepdims=True)")
            lines.append("\(staged.exp) = np.exp(\(z) - \(staged.max))")
            lines.append("\(staged.sum) = np.sum(\(staged.exp), axis=\(axis), keepdims=True)")
            dialect.softmaxLines[key] = staged
        }
    }

    // MARK: - Backward

    private mutating func backwardPass() {
        lines.append("# backward pass")
        var assigned = NodeMap<Bool>()
        var deferred: [NodeID: Printed] = [:]
        var currentSource: NodeID?
        let adjointNames = plan.adjointNames
        for step in gradient.backwardSteps where step.form != .folded {
            let c = step.contribution
            let gate = gradient.gateNames(c, names, adjointNames: adjointNames)
            let operands = graph[c.source].children + [c.source]
            let stageNames = names, pins = pinned
            let graph = self.graph
            let local: (NodeID) -> String? = { [temporaries] id in
                if operands.contains(id), let name = stageNames[id] { return name }
                // A matrix function the forward pass computed is read, not factorised again
                // (det's and logdet's gradients read inv(A)).
                if case .tensor(.matrix) = graph[id].op, let name = stageNames[id] { return name }
                return pins[id] ?? temporaries[id] ?? gate(id)
            }
            var pending: [String] = []
            if c.source != currentSource, let text = forwardText[c.source] {
                pending.append("# from: \(text)")
            }
            currentSource = c.source
            let before = lines.count
            let root = c.vjp ?? c.partial
            stageSoftmaxLines(under: root, includingRoot: local(root) == nil, names: local)
            // An unbroadcast is a line of its own, with a comment saying what it undoes.
            var note: String?
            if let vjp = c.vjp, case .tensor(.layout(.sumTo(let target))) = graph[vjp].op {
                let summed = graph[vjp].children[0]
                let from = graph.shapes[summed.int]
                if local(summed) == nil, (try? target.unbroadcast(from: from))?.isIdentity == false {
                    let temporary = plan.temporary()
                    lines.append("\(temporary) = \(printer.printed(summed, names: local).text)")
                    temporaries[summed] = temporary
                }
                if let u = try? target.unbroadcast(from: from), !u.isIdentity {
                    let what = plan.names[c.target] ?? staged.names[c.target] ?? "the operand"
                    note = "# sum over axis \(NumPyTensorDialect.axes(u.summedAxes)): undoes the broadcast of \(what) "
                        + "from \(dialect.shape(target)) to \(dialect.shape(from))"
                }
            }
            let names = { [temporaries] (id: NodeID) -> String? in local(id) ?? temporaries[id] }
            let term = gradient.term(step, printer: printer, names: names, upstream: step.upstream.map { adjointNames[$0] ?? "?" })
            assigned[c.target] = true
            guard let statement = gradient.statement(step, term: term, dialect: dialect, deferred: &deferred) else { continue }
            lines.insert(contentsOf: pending, at: before)
            if let note { lines.append(note) }
            let target = adjointNames[c.target] ?? "?"
            switch statement {
            case .define(let expression):
                lines.append("\(target) = \(expression.text)")
            // Never `+=`: it would write into an array another adjoint may alias (`dc = dd`).
            case .accumulate(let expression):
                lines.append("\(target) = \(target) + \(dialect.wrap(expression, below: Printed.Level.product))")
            case .subtract(let expression):
                lines.append("\(target) = \(target) - \(dialect.wrap(expression, below: Printed.Level.product))")
            }
        }
        for (index, node) in staged.inputNodes.enumerated() where !gradient.isLabel(index) {
            let name = adjointNames[node] ?? "?"
            gradientNames.append(name)
            guard assigned[node] == nil else { continue }
            let input = plan.names[node] ?? "?"
            if node == staged.output {
                lines.append("# the output is the input \(input)")
                lines.append("\(name) = " + (upstreamName ?? "np.ones(\(dialect.shape(graph.shapes[node.int])))"))
            } else {
                lines.append("# the output does not depend on \(input)")
                lines.append("\(name) = np.zeros(\(dialect.shape(graph.shapes[node.int])))")
            }
        }
    }

    // MARK: - Constants

    /// Scalar constant expressions Python's own arithmetic cannot compute (`1/0` raises), as
    /// `np.inf`, `(-np.inf)` or `np.nan`: those of `PinnedNames.nonFiniteConstants` that involve
    /// no array op (an array literal is computed by NumPy, which gives IEEE results).
    static func nonFiniteScalarConstants(_ graph: Graph) -> NodeMap<String> {
        var involvesArrays = [Bool](repeating: false, count: graph.count)
        var nodes: [NodeID] = []
        for (index, node) in graph.nodes.enumerated() {
            let id = NodeID(index)
            if case .tensor = node.op { involvesArrays[index] = true }
            if graph.shapes[index].rank > 0 || node.children.contains(where: { involvesArrays[$0.int] }) { involvesArrays[index] = true }
            if !involvesArrays[index] { nodes.append(id) }
        }
        let all = PinnedNames.nonFiniteConstants(graph, nodes: nodes)
        var result = NodeMap<String>()
        for id in nodes { if let pin = all[id], !involvesArrays[id.int] { result[id] = pin } }
        return result
    }

    // MARK: - Text

    /// The convolution and pooling functions the body calls, with those they call, in
    /// definition order.
    var helpersUsed: [NumPyConvolution.Helper] {
        var used = Set<NumPyConvolution.Helper>()
        func add(_ helper: NumPyConvolution.Helper) {
            guard used.insert(helper).inserted else { return }
            helper.dependencies.forEach(add)
        }
        for (helper, name) in dialect.helperNames where lines.contains(where: { $0.contains(name + "(") }) { add(helper) }
        return NumPyConvolution.Helper.allCases.filter(used.contains)
    }

    func render(source: String) -> String {
        let inputs = staged.inputs
        var out = "import numpy as np\n\n\n"
        let helpers = helpersUsed
        for helper in helpers {
            out += NumPyConvolution.definition(helper, names: dialect.helperNames) + "\n\n\n"
        }
        out += "def \(functionName)(\(parameters.joined(separator: ", "))):\n"
        let program = summary(source, functionName: functionName, inputs: inputs, equations: staged.equations.count)
            + rewritesNote(gradient.rewrites)
        var doc: [String] = []
        doc.append((isArrayOutput ? "Value and vector-Jacobian products of " : "Value and gradient of ") + Docstring.escaped(program) + ".")
        doc.append("")
        let shapes = staged.inputNodes.enumerated().map { index, node in
            "\(plan.names[node] ?? "?") \(gradient.isLabel(index) ? "int labels " : "")\(graph.shapes[node.int])"
        }
        doc.append("Shapes: " + shapes.joined(separator: ", ") + "; value \(graph.shapes[staged.output.int]).")
        for d in dimensions {
            doc.append(d.source.map { "\(d.variable) is any size: it is read from \($0)." }
                       ?? "\(d.variable) is the size of dimension \(d.name), given as a parameter.")
        }
        if let upstreamName {
            doc.append("\(upstreamName) is the upstream gradient, of the value's shape.")
        }
        let returned = gradientNames.joined(separator: ", ")
        doc.append("Returns (value\(returned.isEmpty ? "" : ", " + returned))" + (returned.isEmpty ? "." : ", each gradient exactly its input's shape."))
        doc.append("Contract: whole NumPy arrays of the declared shapes, vectorised (programs without arrays")
        doc.append("are element-wise instead). Labels are integer arrays and get no gradient.")
        doc.append("Conventions: ties in max and min send the whole gradient to the first extreme element")
        doc.append("(np.argmax); relu'(0) = 0; softmax, log_softmax, logsumexp and cross_entropy subtract")
        doc.append("the maximum before exp; cross_entropy of a batch is the mean over its rows.")
        if !helpers.isEmpty {
            doc.append("Convolution is cross-correlation (no flip), NCHW inputs and OIHW filters, zero padding; max")
            doc.append("pooling pads with -inf and sends each window's gradient to its first maximum (row-major);")
            doc.append("average pooling divides by the whole window. The functions above loop over filter and window")
            doc.append("offsets only, each a strided slice of the whole batch.")
        }
        doc.append("A gradient may be a read-only view (np.broadcast_to): np.array(d) makes a writable copy.")
        let renamed = plan.renamed + renamedDimensions
        if !renamed.isEmpty {
            doc.append("Renamed (reserved in Python): \(renamed.map(\.description).joined(separator: ", ")).")
        }
        out += "    \"\"\"" + doc[0] + "\n"
        for line in doc.dropFirst() { out += line.isEmpty ? "\n" : "    \(line)\n" }
        out += "    \"\"\"\n"
        for (index, node) in staged.inputNodes.enumerated() {
            let name = plan.names[node] ?? "?"
            out += "    \(name) = np.asarray(\(name), dtype=\(gradient.isLabel(index) ? "np.intp" : "np.float64"))\n"
        }
        if let upstreamName { out += "    \(upstreamName) = np.asarray(\(upstreamName), dtype=np.float64)\n" }
        for (float, integer) in floatLabels { out += "    \(float) = \(integer).astype(np.float64)\n" }
        for d in dimensions {
            if let source = d.source { out += "    \(d.variable) = \(source)\n" }
        }
        for line in lines { out += "    \(line)\n" }
        out += gradientNames.isEmpty ? "    return (\(plan.outputName),)\n"
            : "    return \(plan.outputName), \(gradientNames.joined(separator: ", "))\n"
        return out
    }
}
