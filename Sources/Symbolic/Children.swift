/// The operands of a node, in order: up to three ids stored in the node itself, more in an array.
///
/// Every node of a program and of its reverse pass has at most three operands; only the n-ary
/// sums and products of simplified closed forms have more. Kept inline, a node costs no heap
/// block for its operands: as `[NodeID]` each of the 3*10^5 nodes of a 10^5-op gradient
/// allocated one (48 bytes, and a malloc and a free), and so did every `intern` call that found
/// its node already there. A literal `[a, b]` builds one without an array.
public struct Children: RandomAccessCollection, Hashable, Sendable, ExpressibleByArrayLiteral {
    @usableFromInline let first: NodeID
    @usableFromInline let second: NodeID
    @usableFromInline let third: NodeID
    @usableFromInline let stored: UInt8
    /// All operands when there are more than three, else nil.
    @usableFromInline let overflow: [NodeID]?

    /// No operands (a leaf).
    @inlinable public init() {
        (first, second, third, stored, overflow) = (NodeID(0), NodeID(0), NodeID(0), 0, nil)
    }

    /// One operand.
    @inlinable public init(_ a: NodeID) {
        (first, second, third, stored, overflow) = (a, NodeID(0), NodeID(0), 1, nil)
    }

    /// Two operands.
    @inlinable public init(_ a: NodeID, _ b: NodeID) {
        (first, second, third, stored, overflow) = (a, b, NodeID(0), 2, nil)
    }

    /// The operands in `ids`, in order.
    @inlinable public init(_ ids: some Collection<NodeID>) {
        var iterator = ids.makeIterator()
        let count = ids.count
        let a = count > 0 ? iterator.next() ?? NodeID(0) : NodeID(0)
        let b = count > 1 ? iterator.next() ?? NodeID(0) : NodeID(0)
        let c = count > 2 ? iterator.next() ?? NodeID(0) : NodeID(0)
        // Unused slots are 0, so that equal operand lists are equal field by field.
        (first, second, third, stored, overflow) = (a, b, c, UInt8(Swift.min(count, 4)), count > 3 ? Array(ids) : nil)
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
    @inlinable public var count: Int { overflow?.count ?? Int(stored) }
    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { count }

    @inlinable public subscript(position: Int) -> NodeID {
        if let overflow { return overflow[position] }
        precondition(position >= 0 && position < count, "operand index out of range")
        switch position {
        case 0: return first
        case 1: return second
        default: return third
        }
    }

    @inlinable public static func == (lhs: Children, rhs: Children) -> Bool {
        lhs.stored == rhs.stored && lhs.first == rhs.first && lhs.second == rhs.second && lhs.third == rhs.third
            && lhs.overflow == rhs.overflow
    }

    @inlinable public func hash(into hasher: inout Hasher) {
        hasher.combine(stored)
        hasher.combine(first)
        hasher.combine(second)
        hasher.combine(third)
        hasher.combine(overflow)
    }
}
