import Symbolic

/// How the execution tests call a generated tensor function: the order of its named-dimension
/// parameters and its arguments written as Python or Swift literals.
public enum TensorArguments {
    /// The named dimensions in the order the generated Swift signature takes them: as the
    /// inputs declare them, then any other node's shape.
    public static func dimensionOrder(_ gradient: Gradient) -> [String] {
        var order: [String] = []
        let shapes = gradient.staged.inputNodes.map { gradient.graph.shapes[$0.int] }
            + (0..<gradient.graph.count).map { gradient.graph.shapes[$0] }
        for shape in shapes {
            for case .named(let name) in shape.dimensions where !order.contains(name) { order.append(name) }
        }
        return order
    }

    /// A nested Python list (or a number for a scalar) with every digit; labels as ints.
    public static func python(_ t: Tensor, labels: Bool = false) -> String {
        func item(_ v: Double) -> String { labels ? String(Int(v)) : "\(v)" }
        func nest(_ axis: Int, _ offset: Int) -> String {
            if axis == t.rank { return item(t.scalars[offset]) }
            let stride = t.sizes[(axis + 1)...].reduce(1, *)
            return "[" + (0..<t.sizes[axis]).map { nest(axis + 1, offset + $0 * stride) }.joined(separator: ", ") + "]"
        }
        return nest(0, 0)
    }

    /// A Swift argument: a number for a scalar, a flat row-major array otherwise.
    public static func swift(_ t: Tensor, label: Bool) -> String {
        let numbers = t.scalars.map { label ? String(Int($0)) : "\($0)" }
        return t.rank == 0 ? (numbers.first ?? "0") : "[" + numbers.joined(separator: ", ") + "]"
    }
}
