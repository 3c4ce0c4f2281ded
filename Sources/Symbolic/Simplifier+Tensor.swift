import ExprParse

/// Canonical forms of ops on whole arrays. They are not reordered or merged with element-wise
/// terms; one rule applies: a numeric factor of an operand of a linear op moves out front
/// (`outer(2*a, x) = 2*outer(a, x)`, `W.T @ (2*a) = 2*(W.T @ a)`), so that a gradient reads
/// `2 * outer(W @ x, x)` as a TA writes it and like terms across a chain rule can meet.
extension Simplifier {
    mutating func tensor(_ op: TensorOp, _ args: [NodeID]) -> NodeID {
        // A constant-filled array stays one through a reshape, a transpose or another broadcast.
        if case .tensor(.layout(.broadcast)) = graph[args[0]].op, graph.isConstant[args[0].int],
           graph.shapes[graph[args[0]].children[0].int].rank == 0 {
            switch op {
            case .layout(.reshape), .layout(.broadcast), .linear(.transpose), .linear(.permute):
                if let shape = try? graph.shape(of: .tensor(op), Children(args)) {
                    return graph.tensor(.layout(.broadcast(shape)), [graph[args[0]].children[0]])
                }
            default:
                break
            }
        }
        if Simplifier.isLinear(op) {
            for (index, arg) in args.enumerated() where Simplifier.isLinearOperand(op, index) {
                let (coefficient, rest) = split(arg)
                guard !coefficient.isOne, graph.shapes[rest.int] == graph.shapes[arg.int] else { continue }
                var inner = args
                inner[index] = rest
                return product([graph.number(coefficient), tensor(op, inner)])
            }
        }
        return graph.tensor(op, args)
    }

    /// Ops that are linear in each operand separately (scaling an operand scales the result).
    static func isLinear(_ op: TensorOp) -> Bool {
        switch op {
        case .linear(let l):
            switch l {
            case .matmul, .transpose, .permute, .outer, .dot: return true
            case .norm: return false
            }
        case .reduction(let r):
            switch r {
            case .sum, .mean: return true
            case .max, .min, .count, .firstExtreme: return false
            }
        case .layout(let l):
            switch l {
            case .sumTo, .reshape, .entry, .take, .takeRows: return true
            // A broadcast stays around its whole operand, so that an element-wise op above it
            // can drop it (NumPy broadcasts implicitly).
            case .broadcast, .pack: return false
            }
        case .softmax: return false
        case .convolution(let c):
            switch c {
            // A bias makes a convolution affine, and max pooling is not linear (a negative
            // factor changes the winners), so only the backward ops and averaging qualify.
            case .conv: return false
            case .pool(let p): return p.kind == .average
            case .inputGrad, .filterGrad, .biasGrad, .avgPoolGrad, .maxPoolGrad, .maxPoolPick: return true
            }
        }
    }

    /// Which operands a linear op is linear in (an index or label operand is not).
    static func isLinearOperand(_ op: TensorOp, _ index: Int) -> Bool {
        switch op {
        case .layout(.take), .layout(.takeRows): return index == 0
        // Routing by x's winners is linear in the upstream only.
        case .convolution(.maxPoolGrad), .convolution(.maxPoolPick): return index == 1
        default: return true
        }
    }
}
