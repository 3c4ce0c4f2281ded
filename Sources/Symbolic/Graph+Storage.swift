/// The layout of a `Graph`'s per-node word of facts: the node's shape as an index into the
/// graph's table of distinct shapes (0 for `()`, almost every node of a scalar program) and two
/// flags. It replaces an 8-byte `TensorShape` and three 1-byte flags per node.
@usableFromInline enum NodeFacts {
    /// Bits 0-28: the index of the shape in `Graph.shapeList`, 0 for `()` (5 * 10^8 shapes,
    /// far above `Limits.maxNodes`: a shape is new only with a new node).
    @usableFromInline static let shapeMask: UInt32 = (1 << 29) - 1
    /// Bit 29: the node is a constant expression.
    @usableFromInline static let constantBit: UInt32 = 1 << 29
    /// Bit 30: gradient can reach the node.
    @usableFromInline static let differentiableBit: UInt32 = 1 << 30
}

/// A read-only view of one per-node flag of a graph, indexed by node index like the `[Bool]`
/// it replaces (`graph.isScalar[id.int]`): the flag is whether the node's facts have any bit
/// of `mask` set (or, when `whenSet` is false, none).
public struct NodeFlag: RandomAccessCollection {
    @usableFromInline let graph: Graph
    @usableFromInline let mask: UInt32
    @usableFromInline let whenSet: Bool

    @inlinable init(_ graph: Graph, mask: UInt32, whenSet: Bool) {
        self.graph = graph
        self.mask = mask
        self.whenSet = whenSet
    }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { graph.count }
    @inlinable public subscript(index: Int) -> Bool { (graph.facts[index] & mask != 0) == whenSet }
}

/// The shape of every node, indexed by node index (`graph.shapes[id.int]`): `()` for a scalar,
/// else an entry of the graph's table of distinct shapes.
public struct NodeShapes: RandomAccessCollection {
    @usableFromInline let graph: Graph

    @inlinable init(_ graph: Graph) { self.graph = graph }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { graph.count }
    @inlinable public subscript(index: Int) -> TensorShape {
        let shape = Int(graph.facts[index] & NodeFacts.shapeMask)
        return shape == 0 ? .scalar : graph.shapeList[shape]
    }
}
