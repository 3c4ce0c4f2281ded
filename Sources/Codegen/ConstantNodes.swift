import Symbolic

/// Which nodes are constant expressions (numbers, `pi`, `e`, and operations on them only).
///
/// `Graph.isConstant` is meant to answer this, but it is `false` for every operation node
/// (its flag starts from `isLeafConstant`, which is false for operations), so `1/0` counts as
/// a computation on inputs. Code generation must know which subexpressions Python evaluates
/// in its own int/float arithmetic, so it decides for itself. (Reported to Symbolic.)
struct ConstantNodes {
    private let flags: [Bool]

    init(_ graph: Graph) {
        var flags = [Bool](repeating: false, count: graph.count)
        for (index, node) in graph.nodes.enumerated() {
            switch node.op {
            case .number, .constant:
                flags[index] = true
            case .variable, .adjoint:
                flags[index] = false
            case .add, .sub, .mul, .div, .neg, .pow, .function, .tensor:
                // Children precede their parents, so their flags are already final.
                flags[index] = node.children.allSatisfy { flags[$0.int] }
            }
        }
        self.flags = flags
    }

    /// Whether `id` depends on no input.
    func contains(_ id: NodeID) -> Bool { id.int < flags.count && flags[id.int] }
}
