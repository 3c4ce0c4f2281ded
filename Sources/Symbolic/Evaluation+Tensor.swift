import ExprParse
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One edge of the backward pass with arrays: the contribution it adds and the target's
/// adjoint after it.
public struct TensorEdge: Sendable {
    public let contribution: Tensor
    public let runningTotal: Tensor
}

/// Every array of one forward and backward pass at a point of a tensor program.
public struct TensorEvaluation: Sendable {
    public let value: Tensor
    /// ∂out/∂input (or the vector-Jacobian product with the upstream), in input order; nil
    /// for label inputs, which are not differentiated.
    public let gradient: [Tensor?]
    /// The value of each staged equation, in equation order.
    public let forward: [Tensor]
    /// The adjoint of each staged equation (nil where no gradient reaches it).
    public let adjoints: [Tensor?]
    /// The arrays of each contribution, in the order of `Gradient.contributions`.
    public let edges: [TensorEdge]
    /// The first equation whose value has a NaN or an infinity.
    public let firstNonFinite: Int?
    public let kinks: [Kink]
    /// Matrix functions evaluated at a singular or nearly singular matrix, or logdet at a
    /// negative determinant.
    public let matrixWarnings: [MatrixWarning]
    /// The sizes the named dimensions took.
    public let bindings: [String: Int]
}

/// Why values given for a tensor program were refused, naming the input.
public enum PointError: Error, Equatable, Sendable, CustomStringConvertible {
    case shape(input: String, declared: TensorShape, got: TensorShape)
    case dimension(name: String, input: String, size: Int, earlier: Int, source: String)
    case unboundDimension(name: String)
    case notLabels(input: String, TensorError)
    case upstreamMissing(output: TensorShape)
    case upstreamShape(expected: TensorShape, got: TensorShape)
    case upstreamForScalar
    /// Evaluation itself failed at a stage (a label out of range, say).
    case evaluation(stage: String, TensorError)
    /// The value and gradient at these sizes take more arithmetic than the evaluator runs.
    case tooMuchWork(flops: Int, limit: Int, sizes: String)

    public var description: String {
        switch self {
        case .shape(let input, let declared, let got):
            return "input '\(input)' is declared with shape \(declared), but its value has shape \(got)"
        case .dimension(let name, let input, let size, let earlier, let source):
            return "dimension \(name) is \(size) in the value of '\(input)', but \(earlier) in \(source)"
        case .unboundDimension(let name):
            return "the size of dimension \(name) is not known: give a value for an input that uses it, or --dim \(name)=SIZE"
        case .notLabels(let input, let error):
            return "input '\(input)' holds labels: \(error)"
        case .upstreamMissing(let shape):
            return "the output is an array of shape \(shape): its gradient needs the upstream gradient (--upstream VALUE, an array of that shape)"
        case .upstreamShape(let expected, let got):
            return "the upstream gradient must have the output's shape \(expected), but has shape \(got)"
        case .upstreamForScalar:
            return "the output is a scalar: an upstream gradient is only for an array output"
        case .evaluation(let stage, let error):
            return "cannot evaluate '\(stage)': \(error)"
        case .tooMuchWork(let flops, let limit, let sizes):
            return "the value and gradient take about \(Self.scientific(flops)) floating-point operations\(sizes), more than "
                + "symdiff's evaluator runs (\(Self.scientific(limit))); give smaller sizes, or emit code for it (symdiff emit --lang numpy)"
        }
    }

    /// `3.2e12`: two significant digits.
    static func scientific(_ n: Int) -> String {
        let exponent = Int(LibM.log10(Double(Swift.max(n, 1))).rounded(.down))
        let mantissa = Double(n) / LibM.pow(10, Double(exponent))
        let digits = (mantissa * 10).rounded() / 10
        return digits == digits.rounded() ? "\(Int(digits))e\(exponent)" : "\(digits)e\(exponent)"
    }
}

extension Gradient {
    /// Whether the program needs the tensor evaluator: an array somewhere, a declaration, or an
    /// op on whole arrays. Scalar programs keep the Double evaluator, unchanged.
    public var isTensorProgram: Bool { hasArrays }

    /// `isTensorProgram`, computed once: every op of the program that reads an input is an
    /// equation, and a constant one is inside the output or an equation's operands.
    static func usesArrays(_ staged: StagedProgram) -> Bool {
        let graph = staged.graph
        if !graph.declarations.isEmpty { return true }
        func isArray(_ id: NodeID) -> Bool {
            if graph.shapes[id.int].rank > 0 { return true }
            if case .tensor = graph[id].op { return true }
            return false
        }
        if isArray(staged.output) { return true }
        for eq in staged.equations {
            if isArray(eq.node) { return true }
            for child in graph[eq.node].children where isArray(child) { return true }
        }
        // A constant array deeper in a constant expression (`sum([[1, 2], [3, 4]]) + 1` has no
        // equation at all): walk what the output reads, but only when the graph holds an array
        // node anywhere, so that scalar programs pay one scan of a flag array.
        guard graph.isScalar.contains(false) else { return false }
        var seen = [Bool](repeating: false, count: graph.count)
        var stack = [staged.output]
        while let id = stack.popLast() {
            guard !seen[id.int] else { continue }
            seen[id.int] = true
            if isArray(id) { return true }
            stack.append(contentsOf: graph[id].children)
        }
        return false
    }

    /// The shape of each input, in input order.
    public var inputShapes: [TensorShape] { staged.inputNodes.map { graph.shapes[$0.int] } }

    /// Whether input `index` holds labels.
    public func isLabel(_ index: Int) -> Bool { !graph.isDifferentiable[staged.inputNodes[index].int] && !graph.isConstant[staged.inputNodes[index].int] }

    /// The named dimensions bound by `values` (input order) and `given` (`--dim`), checking
    /// every value against its declaration: ranks, fixed sizes, a name bound twice alike.
    public func bindDimensions(_ values: [Tensor], given: [String: Int] = [:]) throws(PointError) -> [String: Int] {
        var bindings = given
        var boundBy: [String: String] = given.mapValues { _ in "--dim" }
        for (index, value) in values.enumerated() where index < staged.inputs.count {
            let name = staged.inputs[index], declared = inputShapes[index]
            guard declared.rank == value.rank else { throw .shape(input: name, declared: declared, got: value.shape) }
            for (d, size) in zip(declared.dimensions, value.sizes) {
                switch d {
                case .fixed(let n):
                    if n != size { throw .shape(input: name, declared: declared, got: value.shape) }
                case .named(let dim):
                    if let earlier = bindings[dim], earlier != size {
                        throw .dimension(name: dim, input: name, size: size, earlier: earlier, source: boundBy[dim].map { $0 == "--dim" ? "--dim" : "the value of '\($0)'" } ?? "")
                    }
                    bindings[dim] = size
                    boundBy[dim] = boundBy[dim] ?? name
                }
            }
            if isLabel(index) {
                do { _ = try value.labels() } catch { throw .notLabels(input: name, error) }
            }
        }
        return bindings
    }

    /// Evaluates the staged forward and backward program on arrays (input order), with IEEE
    /// semantics for domain errors. `upstream` seeds the backward pass of an array output
    /// (a vector-Jacobian product); without it an array output has a value and no gradient.
    public func evaluate(tensors point: [Tensor], dims: [String: Int] = [:], upstream: Tensor? = nil) throws(PointError) -> TensorEvaluation {
        let bindings = try bindDimensions(point, given: dims)
        try checkWork(bindings)
        var values = [Tensor?](repeating: nil, count: graph.count)
        for (node, value) in zip(staged.inputNodes, point) { values[node.int] = value }
        var adjoint = [Tensor?](repeating: nil, count: graph.count)
        try compute(graph.reachable(from: [staged.output]), &values, adjoint, bindings)
        let output = values[staged.output.int] ?? Tensor(scalar: .nan)

        let outputShape = graph.shapes[staged.output.int]
        // A constant output is seeded too: its gradient is zeros of each input's shape, as a
        // scalar program's is 0 (reverse mode recorded no contribution to run).
        var seeded = true
        if outputShape.rank == 0 {
            if upstream != nil { throw .upstreamForScalar }
            adjoint[staged.output.int] = Tensor(scalar: 1)
        } else if let upstream {
            guard upstream.sizes == output.sizes else { throw .upstreamShape(expected: output.shape, got: upstream.shape) }
            adjoint[staged.output.int] = upstream
        } else {
            seeded = false
        }
        var edges: [TensorEdge] = []
        if seeded {
            try compute(graph.reachable(from: contributions.filter { $0.vjp == nil }.map(\.partial)), &values, adjoint, bindings)
            for c in contributions {
                let contribution: Tensor
                if let vjp = c.vjp {
                    try compute(graph.reachable(from: [vjp]) { values[$0.int] != nil }, &values, adjoint, bindings)
                    contribution = values[vjp.int] ?? Tensor(scalar: .nan)
                } else {
                    let upstream = adjoint[c.source.int] ?? Tensor(scalar: 0)
                    contribution = try stage(c.source) { () throws(TensorError) in
                        try Tensor.zip(upstream, values[c.partial.int] ?? Tensor(scalar: .nan), *)
                    }
                }
                let total: Tensor
                if c.accumulates, let before = adjoint[c.target.int] {
                    total = try stage(c.source) { () throws(TensorError) in try Tensor.zip(before, contribution, +) }
                } else {
                    total = contribution
                }
                adjoint[c.target.int] = total
                edges.append(TensorEdge(contribution: contribution, runningTotal: total))
            }
        }
        let forward = staged.equations.map { values[$0.node.int] ?? Tensor(scalar: .nan) }
        let gradient: [Tensor?] = staged.inputNodes.enumerated().map { index, node in
            if isLabel(index) || !seeded { return nil }
            if let g = adjoint[node.int] { return g }
            let sizes = (try? graph.shapes[node.int].bound(bindings).requireSizes()) ?? []
            return (try? Tensor.filled(0, shape: sizes)) ?? Tensor(scalar: 0)
        }
        return TensorEvaluation(
            value: output, gradient: gradient, forward: forward,
            adjoints: staged.equations.map { adjoint[$0.node.int] },
            edges: edges,
            firstNonFinite: forward.firstIndex { $0.scalars.contains { !$0.isFinite } },
            kinks: tensorKinks(values),
            matrixWarnings: matrixWarnings(values),
            bindings: bindings)
    }

    /// The value of any node (a closed form read back, say) at a point of arrays, forward only.
    public func tensorValue(of node: NodeID, at point: [Tensor], dims: [String: Int] = [:]) throws(PointError) -> Tensor {
        let bindings = try bindDimensions(point, given: dims)
        try checkWork(bindings)
        var values = [Tensor?](repeating: nil, count: graph.count)
        for (input, value) in zip(staged.inputNodes, point) { values[input.int] = value }
        try compute(graph.reachable(from: [node]), &values, [Tensor?](repeating: nil, count: graph.count), bindings)
        return values[node.int] ?? Tensor(scalar: .nan)
    }

    /// Seeded values for every input, of its declared shape (named dimensions of size `size`),
    /// uniform in [-1.5, 1.5] for reals and 0 for labels: points for fuzzers and checks.
    public func samplePoint(seed: UInt64, size: Int = 2) -> [Tensor] {
        var random = CheckRandom(seed)
        func next() -> Double { random.uniform(from: -1.5, to: 1.5) }
        return staged.inputNodes.indices.map { index in
            let shape = graph.shapes[staged.inputNodes[index].int]
            let sizes = shape.dimensions.map { $0.size ?? size }
            let count = sizes.reduce(1) { $0.multipliedReportingOverflow(by: $1).partialValue }
            guard count >= 0, count <= 1 << 16 else { return Tensor(scalar: .nan) }
            let scalars = isLabel(index) ? [Double](repeating: 0, count: count) : (0..<count).map { _ in next() }
            return (try? Tensor(shape: sizes, scalars: scalars)) ?? Tensor(scalar: .nan)
        }
    }

    /// Runs `body`, naming the stage `node` in its error.
    private func stage<T>(_ node: NodeID, _ body: () throws(TensorError) -> T) throws(PointError) -> T {
        do { return try body() } catch { throw .evaluation(stage: staged.names[node] ?? "\(graph[node].op.name)", error) }
    }

    /// Computes every node of `order` that has no value yet; `.adjoint` placeholders read the
    /// adjoint computed so far (complete by the time a VJP reads it).
    private func compute(_ order: [NodeID], _ values: inout [Tensor?], _ adjoint: [Tensor?], _ bindings: [String: Int]) throws(PointError) {
        for id in order where values[id.int] == nil {
            let node = graph[id]
            if case .adjoint(let of) = node.op {
                values[id.int] = adjoint[of.int] ?? Tensor(scalar: 0)
                continue
            }
            let args = node.children.map { values[$0.int] ?? Tensor(scalar: .nan) }
            let value = try stage(id) { () throws(TensorError) in try Gradient.apply(node.op, args, bindings) }
            values[id.int] = value
        }
    }

    /// One op on evaluated operands: element-wise ops with NumPy broadcasting, the others by
    /// their family's evaluation.
    static func apply(_ op: Op, _ args: [Tensor], _ bindings: [String: Int]) throws(TensorError) -> Tensor {
        switch op {
        case .tensor(let t): return try t.evaluate(args, bindings: bindings)
        case .number, .constant, .variable, .adjoint: return Tensor(scalar: op.evaluate([]))
        case .add, .mul, .sub, .div, .neg, .pow, .function:
            if args.count == 1 {
                var buffer = [0.0]
                return args[0].map { buffer[0] = $0; return op.evaluate(buffer) }
            }
            if (op == .add || op == .mul) && args.count > 2 {
                var result = args[0]
                for next in args.dropFirst() { result = try Tensor.zip(result, next) { op.evaluate([$0, $1]) } }
                return result
            }
            var buffer = [0.0, 0.0]
            return try Tensor.zip(args[0], args[1]) { a, b in
                buffer[0] = a
                buffer[1] = b
                return op.evaluate(buffer)
            }
        }
    }

    /// Points on a kink or a tie, element by element, with the convention used.
    private func tensorKinks(_ values: [Tensor?]) -> [Kink] {
        var found: [Kink] = []
        for eq in staged.equations {
            let node = graph[eq.node]
            let args = node.children.map { values[$0.int] }
            switch node.op {
            case .function(let f) where f.hasKink:
                guard let a = args[0] else { continue }
                switch f {
                case .relu, .abs, .sign, .step:
                    if a.scalars.contains(0) { found.append(Kink(equation: eq.name, convention: "\(f.name)'(0) = 0")) }
                case .max, .min:
                    guard let b = args[1], let equal = try? Tensor.zip(a, b, { $0 == $1 ? 1 : 0 }), equal.scalars.contains(1) else { continue }
                    found.append(Kink(equation: eq.name, convention: "\(f.name) tie: the gradient goes to the first argument"))
                default:
                    continue
                }
            case .tensor(.linear(.norm)):
                if let value = values[eq.node.int]?.scalarValue, value == 0 {
                    found.append(Kink(equation: eq.name, convention: "none: norm is not differentiable at 0, its gradient x/norm(x) is nan there"))
                }
            case .tensor(.reduction(let r)):
                guard let x = args[0] else { continue }
                switch r {
                case .max(let axis, _), .min(let axis, _):
                    guard let extreme = values[eq.node.int], let l = try? x.lanes(axis: axis, keepdims: false) else { continue }
                    var tie = false
                    for lane in 0..<l.laneCount where !tie {
                        var hits = 0
                        for t in 0..<l.length where x.scalars[l.offset(lane: lane, t)] == extreme.scalars[lane] { hits += 1 }
                        tie = hits > 1
                    }
                    if tie { found.append(Kink(equation: eq.name, convention: "\(r.name) tie: the gradient goes to the first \(r.name == "max" ? "maximal" : "minimal") element (row-major)")) }
                case .sum, .mean, .count, .firstExtreme:
                    continue
                }
            case .tensor(.convolution(.pool(let p))) where p.kind == .max:
                guard let x = args[0], let out = values[eq.node.int], Tensor.maxPoolHasTie(x, p, output: out.sizes) else { continue }
                found.append(Kink(equation: eq.name, convention: "\(p.name) tie: the gradient goes to the first maximal element of the window (row-major)"))
            default:
                continue
            }
        }
        return found
    }
}
