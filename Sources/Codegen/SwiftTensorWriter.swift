import ExprParse
import Symbolic

/// Writes the body of a Swift function for a tensor program: one block of loops per staged
/// equation, forward then backward, over flat row-major `[Double]` buffers.
///
/// Every value has a variable: inputs are parameters, staged equations and adjoints get their
/// staged names, and an unnamed operand of an op on whole arrays (inside a VJP: the `B.T` of
/// `g @ B.T`) is materialised into a temporary first. Element-wise work is fused: a block
/// computes a whole tree of element-wise ops (with explicit broadcasts and reshapes of
/// buffers read through index arithmetic) in one loop, printing the per-element expression
/// with the scalar `SwiftDialect`.
struct SwiftTensorWriter {
    let gradient: Gradient
    let graph: Graph
    var plan: NamePlan
    let printer: Printer<SwiftDialect>
    var out = SwiftLines()
    /// The variable holding each node computed so far (inputs, equations, temporaries,
    /// reshapes sharing their operand's buffer).
    var names = NodeMap<String>()
    /// Nodes whose variable holds `Int`s (labels, and reshapes of them).
    var integers = Set<NodeID>()
    /// Dimension name -> the `Int` parameter holding it.
    var dimensions: [String: String] = [:]
    /// Dimension parameters in signature order.
    var dimensionOrder: [String] = []
    /// Dimensions whose name the program or Swift already uses, and their parameter's name.
    var dimensionRenames: [Renaming] = []
    /// Loop variables and other locals, by preferred name.
    private var locals: [String: String] = [:]
    private var inlineConstant: [NodeID: Bool] = [:]

    init(gradient: Gradient, functionName: String) {
        self.gradient = gradient
        self.graph = gradient.graph
        self.plan = NamePlan(gradient, reserved: SwiftTensorWriter.reserved, functionName: functionName)
        self.printer = Printer(gradient.graph, SwiftDialect())
        for (index, node) in gradient.staged.inputNodes.enumerated() {
            names[node] = plan.names[node] ?? "?"
            if gradient.isLabel(index) { integers.insert(node) }
        }
        // Named dimensions: those of the inputs first (in declaration order), then any other
        // (a reshape's or onehot's, bound by --dim).
        let shapes = gradient.staged.inputNodes.map { graph.shapes[$0.int] } + (0..<graph.count).map { graph.shapes[$0] }
        for shape in shapes {
            for case .named(let name) in shape.dimensions where dimensions[name] == nil {
                let parameter = plan.unique(name)
                if parameter != name { dimensionRenames.append(Renaming(from: name, to: parameter)) }
                dimensions[name] = parameter
                dimensionOrder.append(parameter)
            }
        }
    }

    /// The scalar emitter's reserved names and the standard library names this code calls.
    static let reserved: Set<String> = ReservedNames.swift.union(["precondition", "Int", "Double", "max", "min", "exp", "log", "sqrt"])

    /// A local variable name: `preferred` unless the program uses it, the same for every call.
    mutating func local(_ preferred: String) -> String {
        if let name = locals[preferred] { return name }
        let name = plan.unique(preferred)
        locals[preferred] = name
        return name
    }

    // MARK: Shapes

    func extent(_ d: Dimension) -> Extent {
        switch d {
        case .fixed(let n): return Extent(fixed: n)
        case .named(let name): return Extent(fixed: 1, names: [dimensions[name] ?? name])
        }
    }

    func extents(_ shape: TensorShape) -> [Extent] { shape.dimensions.map(extent) }

    func shape(_ node: NodeID) -> [Extent] { extents(graph.shapes[node.int]) }

    func rank(_ node: NodeID) -> Int { graph.shapes[node.int].rank }

    // MARK: Values

    /// Whether `node` is a scalar constant the printer can write inline (no op on arrays in it).
    mutating func isInlineConstant(_ node: NodeID) -> Bool {
        if let known = inlineConstant[node] { return known }
        var result = graph.isConstant[node.int] && rank(node) == 0
        if result {
            for id in graph.reachable(from: [node]) {
                switch graph[id].op {
                case .tensor, .adjoint, .variable: result = false
                case .number, .constant, .add, .sub, .mul, .div, .neg, .pow, .function: continue
                }
                if !result { break }
            }
        }
        inlineConstant[node] = result
        return result
    }

    /// A scalar constant's text in Swift.
    func constantText(_ node: NodeID) -> String {
        printer.printed(node, names: { _ in nil }).text
    }

    /// The variable holding `node`, computing it into a temporary first when it has none.
    /// An inline constant gives its text.
    mutating func ensure(_ node: NodeID) -> String {
        if let name = names[node] { return name }
        if isInlineConstant(node) { return constantText(node) }
        if case .adjoint(let of) = graph[node].op { return plan.adjointNames[of] ?? "?" }
        if case .tensor(.layout(.reshape)) = graph[node].op {
            // A reshape keeps the row-major order: the operand's buffer read with a new shape.
            let child = graph[node].children[0]
            let name = ensure(child)
            if names[child] != nil {
                names[node] = name
                if integers.contains(child) { integers.insert(node) }
                return name
            }
        }
        let name = plan.temporary()
        compile(node, into: Destination(name: name, shape: shape(node), mode: .define(mutable: false)))
        names[node] = name
        return name
    }

    /// An operand of an op on whole arrays: its variable (or inline text), shape and type.
    mutating func operand(_ node: NodeID) -> Operand {
        let name = ensure(node)
        return Operand(name: name, shape: shape(node), isInteger: integers.contains(node))
    }

    // MARK: Compiling one value

    /// How a block stores what it computes.
    enum Mode: Equatable {
        /// A new variable (`var` when later steps add to it).
        case define(mutable: Bool)
        case accumulate
        case subtract
    }

    struct Destination {
        let name: String
        let shape: [Extent]
        let mode: Mode
        var count: Extent { Extent.product(shape) }
    }

    /// Computes `root` into `destination`.
    mutating func compile(_ root: NodeID, into destination: Destination) {
        let node = graph[root]
        if case .tensor(let op) = node.op, !SwiftTensorWriter.isView(op) {
            guard case .define = destination.mode else {
                // An op's loops write a fresh buffer; a contribution to an adjoint is added after.
                let temporary = ensure(root)
                elementwise([root], into: destination) { writer, texts in
                    Printed(texts[root] ?? temporary, Printed.Level.atom)
                }
                return
            }
            writeOp(op, root, into: destination)
            return
        }
        if case .tensor(.layout(.reshape)) = node.op, case .define = destination.mode {
            let child = node.children[0]
            let name = ensure(child)
            if names[child] != nil, !integers.contains(child) {
                out.line("\(declaration(destination.mode)) \(destination.name) = \(name)")
                return
            }
        }
        elementwise([root], into: destination) { writer, texts in
            writer.printer.printed(root, names: { texts[$0] })
        }
    }

    /// Ops that are index arithmetic inside an element-wise loop rather than loops of their own.
    static func isView(_ op: TensorOp) -> Bool {
        switch op {
        case .layout(.broadcast), .layout(.reshape), .reduction(.count): return true
        case .layout, .reduction, .linear, .softmax, .convolution, .matrix: return false
        }
    }

    func declaration(_ mode: Mode) -> String {
        if case .define(let mutable) = mode, mutable { return "var" }
        return "let"
    }

    /// One loop over `destination`'s shape computing, per element, the expression `text`
    /// prints from the access texts of the leaves under `roots`: every variable read
    /// (indexed with broadcasting), computed into a temporary first when it is an op on whole
    /// arrays.
    mutating func elementwise(_ roots: [NodeID], extra: [NodeID: (name: String, shape: [Extent])] = [:], into destination: Destination,
                              text: (SwiftTensorWriter, [NodeID: String]) -> Printed) {
        // Leaves: variable name, the shape it is read with, and whether it holds Ints.
        var leaves: [NodeID: (name: String, shape: [Extent], isInteger: Bool)] = [:]
        var constants: [NodeID: String] = [:]
        for (node, leaf) in extra { leaves[node] = (leaf.name, leaf.shape, false) }
        var stack = roots
        var seen = Set<NodeID>()
        while let id = stack.popLast() {
            guard seen.insert(id).inserted, leaves[id] == nil else { continue }
            if let name = names[id] {
                leaves[id] = (name, shape(id), integers.contains(id))
                continue
            }
            if isInlineConstant(id) { continue }
            let node = graph[id]
            switch node.op {
            case .adjoint(let of):
                leaves[id] = (plan.adjointNames[of] ?? "?", shape(id), false)
            case .add, .sub, .mul, .div, .neg, .pow, .function:
                stack.append(contentsOf: node.children)
            case .tensor(.reduction(.count(let axis))):
                let operandShape = shape(node.children[0])
                let counted = axis.map { operandShape.indices.contains($0) ? [operandShape[$0]] : [] } ?? operandShape
                let size = Extent.product(counted)
                constants[id] = size.names.isEmpty ? "\(size.fixed).0" : "Double(\(size.text))"
            case .tensor(.layout(.broadcast)):
                // Read the operand's buffer with stride 0 along the stretched axes.
                let child = node.children[0]
                if isInlineConstant(child) {
                    constants[id] = OperandText.grouped(constantText(child))
                } else {
                    let name = ensure(child)
                    leaves[id] = (name, shape(child), integers.contains(child))
                }
            case .tensor(.layout(.reshape)):
                let child = node.children[0]
                if isInlineConstant(child) {
                    constants[id] = OperandText.grouped(constantText(child))
                } else {
                    let name = ensure(child)
                    leaves[id] = (name, shape(id), integers.contains(child))
                }
            case .tensor, .number, .constant, .variable:
                let name = ensure(id)
                leaves[id] = (name, shape(id), integers.contains(id))
            }
        }

        let loop = destination.shape
        let flat = leaves.values.allSatisfy { $0.shape.isEmpty || $0.shape == loop }
        // The loops are opened after the texts are known, so that an element-wise expression
        // that is a plain copy of a buffer can become `let a = b`.
        var indices: [String?] = []
        // A one-element loop has no loop variable: its one index is 0.
        let flatIndex = destination.count.isOne ? "0" : local("i")
        if flat {
            indices = [flatIndex]
        } else {
            indices = loop.indices.map { loop[$0].isOne ? nil : local(SwiftTensorWriter.axisName($0)) }
        }
        var texts = constants
        for (id, leaf) in leaves {
            var access = leaf.name
            if !leaf.shape.isEmpty {
                let index = flat ? flatIndex : FlatIndex.broadcast(leaf.shape, into: loop, indices: indices)
                access = "\(leaf.name)[\(index)]"
            }
            texts[id] = leaf.isInteger ? "Double(\(access))" : access
        }
        // Spellings Swift needs for some negations and constant calls (see `PinnedNames`).
        let expressionNodes = graph.reachable(from: roots) { texts[$0] != nil }
        var known = NodeMap<String>()
        // (The upstream of a backward step has a key no node has: not a node to pin.)
        for (id, text) in texts where id.int < graph.count { known[id] = text }
        let conditionals = PinnedNames.constantConditionals(graph, dialect: printer.dialect, nodes: expressionNodes)
        let negated = PinnedNames.negatedNegatives(graph, dialect: printer.dialect, nodes: expressionNodes,
                                                   names: known.merging(conditionals) { name, _ in name })
        for id in conditionals.keys where texts[id] == nil { texts[id] = conditionals[id] }
        for id in negated.keys where texts[id] == nil { texts[id] = negated[id] }
        // Squares and cubes of a value read from a buffer as products: `pow` costs about 20 ns
        // a call and stops the loop from vectorising.
        for id in expressionNodes where texts[id] == nil && graph[id].op == .pow {
            let children = graph[id].children
            guard let base = texts[children[0]], let exponent = graph.numberValue(children[1]),
                  exponent == Number(2) || exponent == Number(3) else { continue }
            texts[id] = "(" + Array(repeating: base, count: exponent == Number(2) ? 2 : 3).joined(separator: " * ") + ")"
        }
        let expression = text(self, texts).text

        if loop.isEmpty {
            switch destination.mode {
            case .define(let mutable): out.line("\(mutable ? "var" : "let") \(destination.name) = \(expression)")
            case .accumulate: out.line("\(destination.name) += \(expression)")
            case .subtract: out.line("\(destination.name) -= \(expression)")
            }
            return
        }
        // A copy of a whole buffer of the same shape shares it.
        if case .define(let mutable) = destination.mode, flat,
           let copied = leaves.first(where: { texts[$0.key] == expression && $0.value.shape == loop && !$0.value.isInteger }) {
            out.line("\(mutable ? "var" : "let") \(destination.name) = \(copied.value.name)")
            return
        }
        let operation: String
        switch destination.mode {
        case .define: operation = "="
        case .accumulate: operation = "+="
        case .subtract: operation = "-="
        }
        writing(destination) { writer in
            let axes: [(variable: String, extent: Extent)] = flat
                ? [(flatIndex, destination.count)]
                : loop.indices.map { (indices[$0] ?? "", loop[$0]) }
            let (opened, count) = writer.out.loops(axes)
            let target = flat ? (opened.first ?? nil) ?? "0" : FlatIndex.horner(zip(opened, loop).map { ($0, $1) })
            writer.out.line("\(destination.name)[\(target)] \(operation) \(expression)")
            writer.out.close(count)
        }
    }

    /// `let name = [Double](unsafeUninitializedCapacity: n) { name, initialized in ... }` for a
    /// new buffer (every element written by `body`, no zero-filling first), or
    /// `name.withUnsafeMutableBufferPointer { name in ... }` to update an existing one.
    ///
    ///
    /// Operands are read as plain `Array` subscripts: reading them through
    /// `withUnsafeBufferPointer` instead measured no faster (16.4 against 16.7 ms for the
    /// MLP of BENCHMARKS.md section 5, within noise): `swiftc -O` hoists the bounds checks
    /// of these loops and vectorises them either way.
    mutating func writing(_ destination: Destination, _ body: (inout SwiftTensorWriter) -> Void) {
        let name = destination.name
        switch destination.mode {
        case .define(let mutable):
            let initialized = local("initialized")
            out.openClosure("\(mutable ? "var" : "let") \(name) = [Double](unsafeUninitializedCapacity: \(destination.count.text)) { \(name), \(initialized) in")
            body(&self)
            out.line("\(initialized) = \(destination.count.text)")
            out.close()
        case .accumulate, .subtract:
            out.openClosure("\(name).withUnsafeMutableBufferPointer { \(name) in")
            body(&self)
            out.close()
        }
    }

    /// `i`, `j`, `k`, `l`, then `i4`, `i5`, ...: the loop variable of an element-wise loop's axis.
    static func axisName(_ axis: Int) -> String {
        axis < 4 ? ["i", "j", "k", "l"][axis] : "i\(axis)"
    }
}

/// An operand of an op on whole arrays, as the op's loops read it.
struct Operand {
    /// The variable (or a constant's text, for a scalar).
    let name: String
    let shape: [Extent]
    /// Holds `Int`s (labels).
    let isInteger: Bool

    var count: Extent { Extent.product(shape) }

    /// The element at flat `index` as a `Double`.
    func real(_ index: String) -> String {
        let access = shape.isEmpty ? name : "\(name)[\(index)]"
        return isInteger ? "Double(\(access))" : access
    }

    /// The element at flat `index` as an `Int` (a label or an index).
    func integer(_ index: String) -> String {
        let access = shape.isEmpty ? name : "\(name)[\(index)]"
        return isInteger ? access : "Int(\(access))"
    }
}
