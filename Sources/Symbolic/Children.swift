/// The operands of a node, in order: up to three ids stored in the node itself, more in an array.
///
/// Every node of a program and of its reverse pass has at most three operands; only the n-ary
/// sums and products of simplified closed forms have more. Kept inline, a node costs no heap
/// block for its operands: as `[NodeID]` each of the 3*10^5 nodes of a 10^5-op gradient
/// allocated one (48 bytes, and a malloc and a free), and so did every `intern` call that found
/// its node already there. A literal `[a, b]` builds one without an array.
///
/// The storage is an enum of 14 bytes (16 with padding), so that a `Node` is 40 bytes (an `Op`
/// of 24 and the operands); as three ids, a count and an optional array side by side it was 24:
/// 8 bytes more for each of the 3 * 10^6 nodes of a 10^6-op gradient.
public struct Children: RandomAccessCollection, Hashable, Sendable, ExpressibleByArrayLiteral {
    /// Up to three operands inline, unused slots 0 (so that equal operand lists are equal field
    /// by field), with their count; or all of them, when there are more than three.
    @usableFromInline enum Storage: Hashable, Sendable {
        case inline(NodeID, NodeID, NodeID, UInt8)
        case list([NodeID])
    }

    @usableFromInline let storage: Storage

    /// No operands (a leaf).
    @inlinable public init() {
        storage = .inline(NodeID(0), NodeID(0), NodeID(0), 0)
    }

    /// One operand.
    @inlinable public init(_ a: NodeID) {
        storage = .inline(a, NodeID(0), NodeID(0), 1)
    }

    /// Two operands.
    @inlinable public init(_ a: NodeID, _ b: NodeID) {
        storage = .inline(a, b, NodeID(0), 2)
    }

    /// The operands in `ids`, in order.
    @inlinable public init(_ ids: some Collection<NodeID>) {
        let count = ids.count
        if count > 3 {
            storage = .list(Array(ids))
            return
        }
        var iterator = ids.makeIterator()
        let a = count > 0 ? iterator.next() ?? NodeID(0) : NodeID(0)
        let b = count > 1 ? iterator.next() ?? NodeID(0) : NodeID(0)
        let c = count > 2 ? iterator.next() ?? NodeID(0) : NodeID(0)
        storage = .inline(a, b, c, UInt8(count))
    }

    @inlinable public init(arrayLiteral ids: NodeID...) {
        switch ids.count {
        case 0: self.init()
        case 1: self.init(ids[0])
        case 2: self.init(ids[0], ids[1])
        default: self.init(ids)
        }
    }

    /// The number of operands.
    @inlinable public var count: Int {
        switch storage {
        case .inline(_, _, _, let count): return Int(count)
        case .list(let ids): return ids.count
        }
    }
    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { count }

    @inlinable public subscript(position: Int) -> NodeID {
        switch storage {
        case .inline(let a, let b, let c, let count):
            precondition(position >= 0 && position < Int(count), "operand index out of range")
            switch position {
            case 0: return a
            case 1: return b
            default: return c
            }
        case .list(let ids): return ids[position]
        }
    }
}
