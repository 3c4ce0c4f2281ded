/// Reading a Hessian block off a Hessian-vector product in closed form.
///
/// (H v)_k is linear in the directions, and after simplification it is written with the same
/// few operations a TA uses: `A @ v + A.T @ v`, `2*(W.T @ (W @ v))`. Its coefficient in one
/// direction is the block ∂²f/∂x_k∂x_j: `A + A.T`, `2*(W.T @ W)`. The walk below recognises
/// sums, scalings and products with matrices that do not read the direction; a multiple of the
/// direction itself is a multiple of the identity, `2*eye(3)`. Anything else (an element-wise
/// product with an array, which is a diagonal matrix the language cannot write) gives nil, and
/// callers print the product itself instead.
extension Hessian {
    /// The closed-form block ∂²f/∂x_wrt[k]∂x_wrt[j] for inputs of rank at most 1, simplified,
    /// or nil when the product's form is not one the walk reads (see above).
    public func block(_ k: Int, _ j: Int) -> NodeID? {
        guard product != nil, k < wrt.count, j < directionNames.count, let hv = productBlock(k) else { return nil }
        let graph = self.graph
        let rowShape = graph.shapes[gradient.staged.inputNodes[wrt[k]].int]
        let columnShape = graph.shapes[gradient.staged.inputNodes[wrt[j]].int]
        guard rowShape.rank <= 1, columnShape.rank <= 1, rowShape.rank == columnShape.rank else { return nil }
        var simplifier = Simplifier(graph)
        let form = simplifier.simplify(hv)
        guard simplifier.stopReason == .done else { return nil }
        let direction = graph.variable(directionNames[j])
        // With the other directions set to zero, the product is this block times v_j.
        var reads = [Bool](repeating: false, count: graph.count)
        for id in graph.reachable(from: [form]) {
            let node = graph[id]
            reads[id.int] = id == direction || node.children.contains { reads[$0.int] }
        }
        // For a vector direction of n elements, `eye(n)`: the block of `s * v` is `s * eye(n)`.
        let identity = columnShape.rank == 1 ? graph.tensor(.matrix(.identity(columnShape.dimensions[0])), []) : nil
        let walk = CoefficientWalk(graph: graph, direction: direction, reads: reads, identity: identity)
        guard let coefficient = walk.coefficient(form) else { return nil }
        let node: NodeID
        switch coefficient {
        case .zero: node = graph.fitted(graph.integer(0), to: TensorShape(rowShape.dimensions + columnShape.dimensions))
        case .scaledIdentity(let scale):
            // A scalar block is the scale itself; a vector's is the scale times the identity,
            // when the row has the direction's length (it must, for H v to be well-shaped).
            guard let identity else {
                node = scale
                break
            }
            guard rowShape == columnShape else { return nil }
            node = graph.mul(scale, identity)
        case .matrix(let matrix): node = matrix
        }
        var tidy = Simplifier(graph)
        return tidy.simplify(node)
    }
}

/// The linear map a closed form applies to one direction.
private enum Coefficient {
    case zero
    /// `scale * v`.
    case scaledIdentity(NodeID)
    /// `M @ v`.
    case matrix(NodeID)
}

/// The structural walk behind `Hessian.block`.
private struct CoefficientWalk {
    let graph: Graph
    let direction: NodeID
    /// Whether each node reads `direction`.
    let reads: [Bool]
    /// `eye(n)` for a direction of n elements (nil for a scalar one): a multiple of the
    /// direction added to a matrix's product is that matrix plus a multiple of it.
    let identity: NodeID?

    func coefficient(_ id: NodeID) -> Coefficient? {
        if id == direction { return .scaledIdentity(graph.integer(1)) }
        if !reads[id.int] {
            // A term of another direction's block (the product is linear: no constant terms).
            return .zero
        }
        let node = graph[id]
        switch node.op {
        case .add:
            var total: Coefficient = .zero
            for child in node.children {
                guard let c = coefficient(child), let sum = add(total, c) else { return nil }
                total = sum
            }
            return total
        case .sub:
            guard let a = coefficient(node.children[0]), let b = coefficient(node.children[1]),
                  let negated = scale(b, by: graph.integer(-1)) else { return nil }
            return add(a, negated)
        case .neg:
            guard let a = coefficient(node.children[0]) else { return nil }
            return scale(a, by: graph.integer(-1))
        case .mul:
            // One factor reads the direction; every other factor must be a scalar.
            var factor: NodeID?
            var scalars: [NodeID] = []
            for child in node.children {
                if reads[child.int] {
                    guard factor == nil else { return nil }
                    factor = child
                } else {
                    guard graph.shapes[child.int].rank == 0 else { return nil }
                    scalars.append(child)
                }
            }
            guard let factor, let inner = coefficient(factor) else { return nil }
            let s = scalars.dropFirst().reduce(scalars.first ?? graph.integer(1)) { graph.mul($0, $1) }
            return scale(inner, by: s)
        case .tensor(.linear(.matmul)):
            let (a, b) = (node.children[0], node.children[1])
            if !reads[a.int] && reads[b.int] && graph.shapes[a.int].rank == 2 && graph.shapes[b.int].rank == 1 {
                guard let inner = coefficient(b) else { return nil }
                return apply(a, inner)
            }
            if reads[a.int] && !reads[b.int] && graph.shapes[a.int].rank == 1 && graph.shapes[b.int].rank == 2 {
                // v^T M = M^T v for a vector.
                guard let inner = coefficient(a) else { return nil }
                return apply(graph.tensor(.linear(.transpose), [b]), inner)
            }
            return nil
        case .number, .constant, .variable, .div, .pow, .function, .tensor, .adjoint:
            return nil
        }
    }

    private func add(_ a: Coefficient, _ b: Coefficient) -> Coefficient? {
        switch (a, b) {
        case (.zero, _): return b
        case (_, .zero): return a
        case (.scaledIdentity(let x), .scaledIdentity(let y)): return .scaledIdentity(graph.add(x, y))
        case (.matrix(let x), .matrix(let y)): return .matrix(graph.add(x, y))
        case (.scaledIdentity(let s), .matrix(let m)), (.matrix(let m), .scaledIdentity(let s)):
            guard let identity else { return nil }
            return .matrix(graph.add(m, graph.mul(s, identity)))
        }
    }

    private func scale(_ a: Coefficient, by s: NodeID) -> Coefficient? {
        switch a {
        case .zero: return .zero
        case .scaledIdentity(let x): return .scaledIdentity(graph.mul(s, x))
        case .matrix(let m): return .matrix(graph.mul(s, m))
        }
    }

    /// `M @ (C v)` as a coefficient.
    private func apply(_ m: NodeID, _ c: Coefficient) -> Coefficient? {
        switch c {
        case .zero: return .zero
        case .scaledIdentity(let s): return .matrix(graph.mul(s, m))
        case .matrix(let inner): return .matrix(graph.tensor(.linear(.matmul), [m, inner]))
        }
    }
}
