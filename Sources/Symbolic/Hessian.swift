import ExprParse

/// Second derivatives of a program with a scalar output, by differentiating its backward pass
/// again (reverse over reverse).
///
/// The first reverse walk leaves every partial ∂f/∂x_i as a node over the forward nodes, built
/// from the same op table (element-wise partials and VJPs). Such a node is an ordinary program
/// output, so the same `Gradient` differentiates it once more:
/// - when every input differentiated is a scalar, row i of the Hessian is the gradient of
///   ∂f/∂x_i (`rows[i]`), one staged second backward pass per row;
/// - with arrays, the Hessian-vector product H v is the gradient of the scalar
///   s = Σ_i sum(∂f/∂x_i * v_i) over direction inputs v_i of the inputs' shapes (`product`): one
///   more reverse pass over the first, whose cost is a small constant times one gradient's, and
///   whose closed form (`A @ v + A.T @ v`) is linear in v, so its coefficient is the Hessian
///   block in closed form where `HessianBlock` can read it off.
///
/// Reverse over reverse rather than forward over reverse: symdiff has one differentiation
/// mode, and the backward pass is already a program of the ops that mode knows, so no second
/// (tangent) rule per op is needed and every op with a VJP has a second derivative for free.
public struct Hessian {
    /// The first derivative (the program, its inputs and its backward pass).
    public let gradient: Gradient
    /// The inputs differentiated, as indices of `gradient.staged.inputs`: the Hessian's rows
    /// and columns in this order.
    public let wrt: [Int]
    /// Scalar inputs only: row i's second backward pass, the gradient of ∂f/∂x_wrt[i]
    /// (its output is that partial, staged).
    /// Settable inside the module so that tests can plant a wrong second-order rule.
    public internal(set) var rows: [Gradient]
    /// Arrays: the names of the direction inputs, one per entry of `wrt`, in the same order.
    public let directionNames: [String]
    /// Arrays: the staged program of s = Σ sum(∂f/∂x_i * v_i) and its backward pass; the
    /// gradient of s with respect to x_wrt[k] is (H v)_k. Nil for scalar inputs.
    public let product: Gradient?

    /// Why a Hessian cannot be built.
    public enum Failure: Error, Equatable, Sendable, CustomStringConvertible {
        /// The output is an array: its second derivative is a third-order tensor.
        case arrayOutput(TensorShape)
        /// The second-order program would pass `Limits.maxNodes`.
        case tooLarge(nodes: Int, limit: Int)

        public var description: String {
            switch self {
            case .arrayOutput(let shape):
                return "the output has shape \(shape), not a scalar: a Hessian is the second derivative of a scalar "
                    + "(reduce it first, e.g. sum(...))"
            case .tooLarge(let nodes, let limit):
                return "the second-order program has \(nodes) nodes, past the limit of \(limit); "
                    + "differentiate with respect to fewer inputs (--wrt)"
            }
        }
    }

    /// Builds the second backward pass(es) of `gradient` for the inputs `wrt` (indices into its
    /// inputs; labels are never differentiated and must not be listed). `products` builds the
    /// Hessian-vector product even for scalar inputs (one pass for H v instead of one per row).
    public init(_ gradient: Gradient, wrt: [Int], products: Bool = false) throws(Failure) {
        self.gradient = gradient
        self.wrt = wrt
        let graph = gradient.graph
        let staged = gradient.staged
        let outputShape = graph.shapes[staged.output.int]
        guard outputShape.rank == 0 else { throw .arrayOutput(outputShape) }
        let scalarInputs = wrt.allSatisfy { graph.shapes[staged.inputNodes[$0].int].rank == 0 }
        // Rows only while a matrix is wanted: past `maxFullSize` scalar inputs, one product
        // program serves (H v), instead of one second pass per row (quadratic in the inputs).
        if scalarInputs && !gradient.isTensorProgram && !products && wrt.count <= Hessian.maxFullSize {
            var built: [Gradient] = []
            for index in wrt {
                // f_x, the subscript notation for ∂f/∂x: the row's adjoints are then dx, dy
                // (∂f_x/∂x, ∂f_x/∂y), the entries, without clashing with it.
                var name = Hessian.functionLetter(staged) + "_" + staged.inputs[index]
                while staged.inputs.contains(name) || gradient.isNameInUse(name) { name += "_" }
                let program = ProgramGraph(graph: graph, inputs: staged.inputs, output: gradient.derivative(index), reserving: name)
                built.append(Gradient(StagedProgram(program)))
                if graph.count > Limits.maxNodes { throw .tooLarge(nodes: graph.count, limit: Limits.maxNodes) }
            }
            rows = built
            directionNames = []
            product = nil
            return
        }
        rows = []
        // One direction input per differentiated input, of its shape, named v (one input) or
        // v_<name>, avoiding every name the program and its adjoints use.
        var taken = Set(staged.inputs)
        var names: [String] = []
        for index in wrt {
            let base = wrt.count == 1 ? "v" : "v_" + staged.inputs[index]
            var name = base
            var suffix = 2
            while taken.contains(name) || gradient.isNameInUse(name) || Function.named(name) != nil || NamedConstant(rawValue: name) != nil {
                name = base + "_\(suffix)"
                suffix += 1
            }
            taken.insert(name)
            names.append(name)
            graph.declare(name, InputDeclaration(shape: graph.shapes[staged.inputNodes[index].int]))
        }
        directionNames = names
        var terms: [NodeID] = []
        for (index, name) in zip(wrt, names) {
            let partial = gradient.derivative(index)
            let direction = graph.variable(name)
            // The partial may be a bare number (a linear term's) while v is an array: the
            // product broadcasts, and the sum reduces it to a scalar either way.
            let product = graph.mul(partial, direction)
            terms.append(graph.shapes[product.int].rank == 0 ? product : graph.tensor(.reduction(.sum(axis: nil, keepdims: false)), [product]))
        }
        let output = terms.dropFirst().reduce(terms.first ?? graph.integer(0)) { graph.add($0, $1) }
        var outputName = "s"
        var suffix = 2
        while taken.contains(outputName) || gradient.isNameInUse(outputName) {
            outputName = "s_\(suffix)"
            suffix += 1
        }
        let program = ProgramGraph(graph: graph, inputs: staged.inputs + names, output: output, reserving: outputName)
        product = Gradient(StagedProgram(program))
        if graph.count > Limits.maxNodes { throw .tooLarge(nodes: graph.count, limit: Limits.maxNodes) }
    }

    /// The output's name in formulas: the program's (z in `...; z = 2x + y`) or f, as the
    /// CLI writes df/dx.
    static func functionLetter(_ staged: StagedProgram) -> String {
        let name = staged.outputName
        return name == "out" || name.hasPrefix("out_") ? "f" : name
    }

    /// The graph every node of the Hessian lives in (the program's own, grown).
    public var graph: Graph { gradient.graph }

    /// The number of rows (and columns): the total size of the inputs differentiated, with
    /// named dimensions bound by `bindings`; nil when a size is unknown.
    public func size(bindings: [String: Int] = [:]) -> Int? {
        var total = 0
        for index in wrt {
            guard let sizes = try? graph.shapes[gradient.staged.inputNodes[index].int].bound(bindings).requireSizes() else { return nil }
            total += sizes.reduce(1, *)
        }
        return total
    }

    /// Scalar inputs: the closed-form entry ∂²f/∂x_wrt[i]∂x_wrt[j], lightly simplified.
    public func entry(_ i: Int, _ j: Int) -> NodeID {
        rows[i].derivative(wrt[j])
    }

    /// Arrays: (H v)_k, the Hessian-vector product's block for input wrt[k], as a node over the
    /// inputs and the directions.
    public func productBlock(_ k: Int) -> NodeID? {
        product?.derivative(wrt[k])
    }
}

extension ProgramGraph {
    /// A program over an existing graph whose output is named `outputName`, a name no stage
    /// or adjoint of it takes (a statement's name is reserved; `init(graph:inputs:output:outputName:)`
    /// leaves the output's name free for adjoints).
    init(graph: Graph, inputs: [String], output: NodeID, reserving outputName: String) {
        self.graph = graph
        self.inputs = inputs
        self.inputNodes = inputs.map { graph.variable($0) }
        self.output = output
        self.outputName = outputName
        self.statementNames = [(outputName, output)]
        self.astNodes = []
    }
}
