import ExprParse

/// Operation counts that make the cost of a gradient visible (the cheap-gradient principle
/// against expression swell).
///
/// Counting rule, the same everywhere: every arithmetic operation (`+ - * /`, negation, `^`)
/// and every function call is one op; an n-ary sum or product of k terms is k - 1 ops; copies,
/// constants and names are free.
public struct OpCounts: Hashable, Sendable {
    /// Ops of the staged forward pass.
    public let forward: Int
    /// Ops of the staged backward pass (local derivatives, chain-rule products, accumulations).
    public let backward: Int
    /// (forward + backward) / forward.
    public var ratio: Double { forward == 0 ? 0 : Double(forward + backward) / Double(forward) }
}

extension Gradient {
    /// Ops of the forward pass and of the staged backward pass as `backwardSteps` writes it (the
    /// listing and the generated code alike): the local partial, the chain rule's product
    /// unless the upstream is the seed or the partial is ±1, and one op for a negation, an
    /// accumulation or a deferred term joining the next (two for `-a - b`); a constant
    /// partial or a sign folded away costs nothing.
    public func opCounts() -> OpCounts {
        let forward = staged.equations.reduce(0) { $0 + graph.opCount(of: $1.node) }
        var backward = 0
        for step in backwardSteps where step.form != .folded {
            let c = step.contribution
            let number = graph.numberValue(c.partial)
            // Inputs are variables, leaves that cost nothing, so only the gate's operands stop.
            var local = Set(graph[c.source].children)
            local.insert(c.source)
            var ops = number == nil ? graph.treeOps(c.partial, stoppingAt: local) : 0
            if step.upstream != nil, number != .one, number != .minusOne {
                // `upstream * (1/b)` is written `upstream / b`: the division is the product.
                let divides = number == nil && !local.contains(c.partial) && reciprocal(c.partial) != nil
                ops += divides ? 0 : 1
            }
            switch step.form {
            case .define, .deferred, .folded: break
            case .defineNegated, .accumulate, .subtract: ops += 1
            // `b - a`, or `-a - b` when both are negated.
            case .defineAfterDeferred: ops += step.negated ? 2 : 1
            }
            backward += ops
        }
        return OpCounts(forward: forward, backward: backward)
    }

    /// Ops of the closed-form partials printed as separate trees (`tree`, saturating) and with
    /// every common subexpression computed once (`shared`), over all inputs together.
    ///
    /// One memoised pass over everything the partials reach, children first: the partials of
    /// a wide program share most of their nodes, so walking each one afresh cost inputs x graph
    /// (minutes for a 130,000-op network, whose 16,000 partials each reach the whole output).
    public func closedFormCost(_ forms: [NodeID]) -> (tree: Int, shared: Int) {
        let order = graph.reachable(from: forms)
        let treeOps = graph.treeOps(of: order)
        var tree = 0
        for form in forms {
            let (sum, overflow) = tree.addingReportingOverflow(treeOps[form] ?? 0)
            tree = overflow ? Int.max : sum
        }
        let shared = order.reduce(0) { $0 + graph.opCount(of: $1) }
        return (tree, shared)
    }
}

extension Graph {
    /// Ops performed by the node itself (not its children).
    public func opCount(of id: NodeID) -> Int {
        let node = self[id]
        switch node.op {
        case .number, .constant, .variable, .adjoint: return 0
        case .add, .mul: return Swift.max(node.children.count - 1, 1)
        case .sub, .div, .neg, .pow, .function, .tensor: return 1
        }
    }

    /// Ops of `root` expanded as a tree, with `stop` nodes as free leaves (saturating).
    public func treeOps(_ root: NodeID, stoppingAt stop: Set<NodeID>) -> Int {
        if stop.contains(root) { return 0 }
        let order = reachable(from: [root]) { stop.contains($0) }
        return treeOps(of: order, stoppingAt: stop)[root] ?? 0
    }

    /// Ops of every node of `order` expanded as a tree (saturating at `Int.max / 2`), with
    /// `stop` nodes as free leaves. `order` must list children before parents and contain every
    /// child of a node it contains that is not in `stop`, as `reachable` returns it.
    func treeOps(of order: [NodeID], stoppingAt stop: Set<NodeID> = []) -> [NodeID: Int] {
        var ops: [NodeID: Int] = [:]
        ops.reserveCapacity(order.count)
        for id in order {
            if stop.contains(id) { ops[id] = 0; continue }
            var total = opCount(of: id)
            for child in self[id].children {
                let (sum, overflow) = total.addingReportingOverflow(ops[child] ?? 0)
                total = overflow ? Int.max / 2 : Swift.min(sum, Int.max / 2)
            }
            ops[id] = total
        }
        return ops
    }
}

/// Floating-point operations of a program with arrays: a polynomial in the named dimensions
/// that no value or `--dim` sets (`12*N + 8`), a plain number once every size is known.
///
/// Counting rule (constants chosen to be stated, not to model a machine):
/// - an element-wise op (`+ - * / ^`, negation, every scalar function): one per result element,
///   and k - 1 per element for a sum or product of k terms;
/// - a matrix product: 2*m*k*n for (m, k) @ (k, n) (a multiply and an add per term), batch axes
///   and 1-D operands included (2*k per result element); `dot` of two n-vectors 2n; `outer` one
///   per result element; `norm` 2n + 1 (a square and an add per element, one square root);
/// - a reduction (`sum`, `mean`, `max`, `min`), the first-extreme mask of a max, and `sum_to`
///   (the adjoint of a broadcast): one per operand element;
/// - `softmax` and `log_softmax` 5 per element (max, subtract, exp, sum, divide or log),
///   `logsumexp` 4 per element, `cross_entropy` 4 per logit (its logsumexp) and 2 per row (pick
///   the label's logit and subtract, add to the mean);
/// - free: transposes, broadcasts, reshapes, literals, indexing, one-hot masks, element counts,
///   names and constants (they move or describe data, they compute nothing).
public struct FlopCount: Hashable, Sendable, CustomStringConvertible {
    /// The coefficient of each monomial; a monomial is its sorted dimension names, `[]` the
    /// constant term. Coefficients saturate at `FlopCount.cap`.
    public private(set) var terms: [[String]: Int]

    /// Where counts saturate (about 4.6 * 10^18), so that no product can trap.
    static let cap = Int.max / 2

    public init(_ constant: Int) { terms = constant == 0 ? [:] : [[]: constant] }

    private init(monomial: [String]) { terms = [monomial: 1] }

    /// The size of one dimension: a number when fixed or bound, else its name.
    init(_ dimension: Dimension, _ bindings: [String: Int]) {
        switch dimension {
        case .fixed(let n): self.init(n)
        case .named(let name):
            if let n = bindings[name] { self.init(n) } else { self.init(monomial: [name]) }
        }
    }

    /// The number of elements of `shape`.
    init(elementsOf shape: TensorShape, _ bindings: [String: Int]) {
        self = shape.dimensions.reduce(FlopCount(1)) { $0 * FlopCount($1, bindings) }
    }

    /// The count when it depends on no unknown dimension.
    public var value: Int? {
        if terms.isEmpty { return 0 }
        return terms.count == 1 ? terms[[]] : nil
    }

    public static func + (a: FlopCount, b: FlopCount) -> FlopCount {
        var result = a
        for (monomial, k) in b.terms { result.terms[monomial] = sum(result.terms[monomial] ?? 0, k) }
        return result
    }

    public static func * (a: FlopCount, b: FlopCount) -> FlopCount {
        var result = FlopCount(0)
        for (m, j) in a.terms {
            for (n, k) in b.terms {
                let monomial = (m + n).sorted()
                result.terms[monomial] = sum(result.terms[monomial] ?? 0, product(j, k))
            }
        }
        return result
    }

    static func * (k: Int, a: FlopCount) -> FlopCount { FlopCount(k) * a }

    private static func sum(_ a: Int, _ b: Int) -> Int {
        let (result, overflow) = a.addingReportingOverflow(b)
        return overflow || result > cap ? cap : result
    }

    private static func product(_ a: Int, _ b: Int) -> Int {
        let (result, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow || result > cap ? cap : result
    }

    /// Highest degree first, then by name: `2*K*N + 12*N + 8`.
    public var description: String {
        if terms.isEmpty { return "0" }
        let ordered = terms.keys.sorted { $0.count != $1.count ? $0.count > $1.count : $0.lexicographicallyPrecedes($1) }
        return ordered.map { monomial in
            let k = terms[monomial] ?? 0
            guard !monomial.isEmpty else { return String(k) }
            let names = monomial.joined(separator: "*")
            return k == 1 ? names : "\(k)*\(names)"
        }.joined(separator: " + ")
    }
}

/// Flops of the three forms of a gradient (see `FlopCount` for the rule).
public struct FlopCounts: Hashable, Sendable {
    public let forward: FlopCount
    /// The staged backward pass as `backwardSteps` writes it.
    public let backward: FlopCount
    /// The closed-form partials with every common subexpression computed once.
    public let closedForm: FlopCount
}

extension Gradient {
    /// Flops of the forward pass, the staged backward pass and the closed forms `forms`, with
    /// the named dimensions `bindings` sets. The backward pass counts what each written step
    /// computes: its VJP or local partial over the gate's operands, the chain rule's product
    /// (unless the upstream is the seed or the partial is ±1), and one op per element for a
    /// negation or an accumulation, as `opCounts` counts ops.
    public func flopCounts(closedForms forms: [NodeID], bindings: [String: Int]) -> FlopCounts {
        let forward = staged.equations.reduce(FlopCount(0)) { $0 + graph.flops(of: $1.node, bindings) }
        var backward = FlopCount(0)
        for step in backwardSteps where step.form != .folded {
            let c = step.contribution
            let elements = FlopCount(elementsOf: graph.shapes[c.target.int], bindings)
            let number = graph.numberValue(c.partial)
            var local = Set(graph[c.source].children)
            local.insert(c.source)
            var flops = number == nil ? graph.treeFlops(c.partial, stoppingAt: local, bindings) : FlopCount(0)
            if c.vjp == nil, step.upstream != nil, number != .one, number != .minusOne {
                let divides = number == nil && !local.contains(c.partial) && reciprocal(c.partial) != nil
                if !divides { flops = flops + elements }
            }
            switch step.form {
            case .define, .deferred, .folded: break
            case .defineNegated, .accumulate, .subtract: flops = flops + elements
            case .defineAfterDeferred: flops = flops + (step.negated ? 2 : 1) * elements
            }
            backward = backward + flops
        }
        let closed = graph.reachable(from: forms).reduce(FlopCount(0)) { $0 + graph.flops(of: $1, bindings) }
        return FlopCounts(forward: forward, backward: backward, closedForm: closed)
    }
}

extension Graph {
    /// Flops performed by the node itself (not its children); see `FlopCount` for the rule.
    public func flops(of id: NodeID, _ bindings: [String: Int]) -> FlopCount {
        let node = self[id]
        let elements = FlopCount(elementsOf: shapes[id.int], bindings)
        func operand(_ i: Int) -> TensorShape { i < node.children.count ? shapes[node.children[i].int] : .scalar }
        func operandElements(_ i: Int) -> FlopCount { FlopCount(elementsOf: operand(i), bindings) }
        switch node.op {
        case .number, .constant, .variable, .adjoint: return FlopCount(0)
        case .add, .mul: return Swift.max(node.children.count - 1, 1) * elements
        case .sub, .div, .neg, .pow, .function: return elements
        case .tensor(let op):
            switch op {
            case .reduction(let r):
                switch r {
                case .sum, .mean, .max, .min, .firstExtreme: return operandElements(0)
                case .count: return FlopCount(0)
                }
            case .linear(let l):
                switch l {
                case .matmul:
                    // 2*k per result element, k the contracted axis (the last of the left operand).
                    guard let k = operand(0).dimensions.last else { return FlopCount(0) }
                    return 2 * (elements * FlopCount(k, bindings))
                case .transpose, .permute: return FlopCount(0)
                case .outer: return elements
                case .dot: return 2 * operandElements(0)
                case .norm: return 2 * operandElements(0) + FlopCount(1)
                }
            case .layout(let l):
                switch l {
                case .sumTo: return operandElements(0)
                case .broadcast, .reshape, .pack, .entry, .take, .takeRows: return FlopCount(0)
                }
            case .softmax(let s):
                switch s {
                case .softmax, .logSoftmax: return 5 * operandElements(0)
                case .logsumexp: return 4 * operandElements(0)
                case .crossEntropy:
                    let logits = operand(0)
                    let rows = logits.rank == 2 ? FlopCount(logits.dimensions[0], bindings) : FlopCount(1)
                    return 4 * operandElements(0) + 2 * rows
                case .onehot: return FlopCount(0)
                }
            case .convolution(let c):
                // A multiply and an add per product of a window with its filter (padding included).
                func window(_ filter: TensorShape, _ axes: Int) -> FlopCount {
                    FlopCount(elementsOf: TensorShape(Array(filter.dimensions.suffix(filter.rank == axes ? axes : axes + 1))), bindings)
                }
                switch c {
                case .conv(let p):
                    let bias = node.children.count == 3 ? elements : FlopCount(0)
                    return 2 * (elements * window(operand(1), p.spatialAxes)) + bias
                case .inputGrad(let p): return 2 * (operandElements(0) * window(operand(1), p.spatialAxes))
                case .filterGrad(let p): return 2 * (operandElements(1) * window(shapes[id.int], p.spatialAxes))
                case .biasGrad: return operandElements(0)
                case .pool(let p): return elements * FlopCount(p.spatialAxes == 1 ? p.kernel : p.kernel * p.kernel)
                case .maxPoolGrad(let p), .avgPoolGrad(let p):
                    return operandElements(node.children.count - 1) * FlopCount(p.spatialAxes == 1 ? p.kernel : p.kernel * p.kernel)
                case .maxPoolPick(let p): return elements * FlopCount(p.spatialAxes == 1 ? p.kernel : p.kernel * p.kernel)
                }
            case .matrix(let m):
                // Per matrix: LU is about (2/3) n^3, counted as n^3; the inverse's solves add
                // about n^3 more. A batch multiplies by its count.
                let n = operand(0).dimensions.last.map { FlopCount($0, bindings) } ?? FlopCount(0)
                switch m {
                case .trace: return elements * n
                case .det, .logdet: return operandElements(0) * n
                case .inverse: return 2 * (operandElements(0) * n)
                case .identity: return FlopCount(0)
                }
            }
        }
    }

    /// Flops of `root` expanded as a tree, with `stop` nodes as free leaves.
    func treeFlops(_ root: NodeID, stoppingAt stop: Set<NodeID>, _ bindings: [String: Int]) -> FlopCount {
        if stop.contains(root) { return FlopCount(0) }
        var memo: [NodeID: FlopCount] = [:]
        for id in reachable(from: [root], stoppingAt: { stop.contains($0) }) {
            if stop.contains(id) { memo[id] = FlopCount(0); continue }
            memo[id] = self[id].children.reduce(flops(of: id, bindings)) { $0 + (memo[$1] ?? FlopCount(0)) }
        }
        return memo[root] ?? FlopCount(0)
    }
}
