import ExprParse

/// The index of a node in a `Graph`. Children always have smaller ids than their parents, so
/// ascending id order is a topological order and every pass over the graph is a loop.
public struct NodeID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let index: Int32
    @inlinable public init(_ index: Int) { self.index = Int32(truncatingIfNeeded: index) }
    @inlinable public var int: Int { Int(index) }
    @inlinable public static func < (lhs: NodeID, rhs: NodeID) -> Bool { lhs.index < rhs.index }
    public var description: String { "%\(index)" }
}

/// One operation applied to earlier nodes. Its shape is `Graph.shapes[id]`, kept beside the
/// nodes as an index into a table of distinct shapes (`NodeFacts`), so that a scalar program's
/// nodes carry none.
public struct Node: Hashable, Sendable {
    public let op: Op
    public let children: Children

    public init(op: Op, children: Children) {
        self.op = op
        self.children = children
    }
}

/// What a declaration says about an input: its shape, and whether it holds class labels
/// (integers that are never differentiated).
public struct InputDeclaration: Hashable, Sendable {
    public var shape: TensorShape
    public var isLabel: Bool
    public init(shape: TensorShape, isLabel: Bool = false) {
        self.shape = shape
        self.isLabel = isLabel
    }
}

/// A hash-consed expression DAG: an arena of nodes addressed by `NodeID`.
///
/// `intern` stores each distinct `(op, children)` once, so structurally equal expressions are
/// the same id (common subexpressions are shared for free) and equality is an integer compare.
/// The arena is a class because every pass (building, differentiating, simplifying) appends to
/// the one shared arena, and rules written as math (`x * y`) need to reach it.
///
/// The arena's arrays are `@exclusivity(unchecked)`: only `intern`, `reserveCapacity` and
/// `growTable` write them, and those call no code of anyone else's while they do, so no access
/// can overlap a write. Checked, every `graph[id]` and each of the ten array accesses of an
/// `intern` called into the runtime's access tracking: 5% of emitting a 10^5-op gradient.
///
/// A node costs 40 bytes of `Node` (an `Op` of 24, operands of 16), 8 of structural hash, 4 of
/// facts (shape and flags), 4 of first-variable index and 5.3-10.7 of memo table: 61-67 bytes.
/// It cost 107-115 with an `Op` of 48 (an inline convolution payload, now boxed), 24 bytes of
/// operands, an 8-byte shape, three 1-byte flags, a 4-byte visit mark and a table at most half
/// full (chain 262144, 2.36 * 10^6 nodes: 420 -> 370 MB live after the gradient with the
/// smaller facts, operands and table; the 24-byte `Op` took another 57 MB off).
public final class Graph {
    @exclusivity(unchecked) public private(set) var nodes: [Node] = []
    /// Per node, its shape and flags (`NodeFacts`): the shape as an index into `shapeList`.
    @exclusivity(unchecked) @usableFromInline private(set) var facts: [UInt32] = []
    /// The distinct shapes, addressed by `facts`; entry 0 is `()`.
    @exclusivity(unchecked) @usableFromInline private(set) var shapeList: [TensorShape] = [.scalar]
    private var shapeIndex: [TensorShape: UInt32] = [:]
    /// Open-addressing memo: slot -> node index, -1 when empty; see `intern`.
    @exclusivity(unchecked) private var table: [Int32] = []
    /// A structural hash of each node, stable across runs; canonical ordering of sums and
    /// products sorts on it, so the order never depends on the order nodes were created in.
    @exclusivity(unchecked) public private(set) var structuralHash: [UInt64] = []
    /// Per node, an index into `variableNames` of the first variable (in `NaturalOrder`) it depends
    /// on (-1 for constants); canonical order uses it to write `ln(x) + sin(y)`, not the reverse.
    @exclusivity(unchecked) private var firstVariableIndex: [Int32] = []
    @exclusivity(unchecked) private var variableNames: [String] = []
    /// Whether the node's value depends on no variable (it is a constant expression).
    @inlinable public var isConstant: NodeFlag { NodeFlag(self, mask: NodeFacts.constantBit, whenSet: true) }
    /// The shape of every node's value, computed when the node is interned (`()` for scalars).
    @inlinable public var shapes: NodeShapes { NodeShapes(self) }
    /// Whether each node's shape is `()`: the scalar fast paths test this flag rather than
    /// reading a shape, which retains and releases its array of dimensions.
    @inlinable public var isScalar: NodeFlag { NodeFlag(self, mask: NodeFacts.shapeMask, whenSet: false) }
    /// Whether gradient can reach the node from a real input: false for constants, labels,
    /// adjoint placeholders and ops that pass no gradient (a one-hot mask, an element count).
    @inlinable public var isDifferentiable: NodeFlag { NodeFlag(self, mask: NodeFacts.differentiableBit, whenSet: true) }
    /// Declared inputs; an undeclared variable is a real scalar.
    public private(set) var declarations: [String: InputDeclaration] = [:]
    /// Nodes built with operands whose shapes do not fit (a bug in a rule, never the user's
    /// input, which `ProgramGraph` checks first); such a node gets shape `()`. Tests assert 0.
    public private(set) var shapeFaults = 0
    /// The name of the adjoint variable each `.adjoint(node)` placeholder stands for (`dW`),
    /// set by the backward pass that made it, so that every printer names it alike.
    public internal(set) var adjointVariableNames: [NodeID: String] = [:]

    /// One bit per node for `reachable`, all clear between calls.
    private var visitMarks: [UInt64] = []

    public init() {}

    public var count: Int { nodes.count }

    public subscript(id: NodeID) -> Node { nodes[id.int] }

    /// The node for `(op, children)`, creating it if it does not exist yet.
    ///
    /// The memo is an open-addressing table keyed by the structural hash, which every node needs
    /// anyway for canonical ordering: a `Dictionary<Node, NodeID>` would hash each node's op and
    /// children a second time, and that was a sixth of the time of building a 10^5-op gradient.
    public func intern(_ op: Op, _ children: Children) -> NodeID {
        var hash = op.hashSeed
        for child in children {
            hash = (hash ^ structuralHash[child.int]) &* 0x100000001b3
            hash = hash ^ (hash >> 29)
        }
        if (nodes.count + 1) * 4 > table.count * 3 { growTable() }
        let mask = table.count - 1
        var slot = Int(truncatingIfNeeded: hash ^ (hash >> 32)) & mask
        while true {
            let entry = Int(table[slot])
            if entry < 0 { break }
            if structuralHash[entry] == hash, nodes[entry].op == op, nodes[entry].children == children {
                return NodeID(entry)
            }
            slot = (slot + 1) & mask
        }
        assert(children.allSatisfy { $0.int < nodes.count }, "children must precede their parent")
        let id = NodeID(nodes.count)
        table[slot] = Int32(truncatingIfNeeded: nodes.count)
        // Scalars dominate: a scalar op on scalars needs no shape rule.
        var scalarOperands = true
        for child in children where facts[child.int] & NodeFacts.shapeMask != 0 { scalarOperands = false }
        var fact: UInt32 = 0
        if !(scalarOperands && op.isElementwise) {
            var shape = TensorShape.scalar
            do { shape = try self.shape(of: op, children) } catch { shapeFaults += 1 }
            fact = index(of: shape)
        }
        var differentiable = false
        for child in children where facts[child.int] & NodeFacts.differentiableBit != 0 { differentiable = true }
        switch op {
        case .variable(let name): differentiable = declarations.isEmpty || !(declarations[name]?.isLabel ?? false)
        case .tensor(let t): differentiable = differentiable && t.isDifferentiable
        default: break
        }
        if differentiable { fact |= NodeFacts.differentiableBit }
        // An operation is constant when all its children are; a leaf when it is a number or pi/e.
        var constant = op.isOperation || op.isLeafConstant
        var first: Int32 = -1
        if case .variable(let name) = op {
            first = Int32(truncatingIfNeeded: variableNames.count)
            variableNames.append(name)
        }
        for child in children {
            constant = constant && facts[child.int] & NodeFacts.constantBit != 0
            let candidate = firstVariableIndex[child.int]
            if candidate >= 0 && (first < 0 || NaturalOrder.precedes(variableNames[Int(candidate)], variableNames[Int(first)])) { first = candidate }
        }
        if constant { fact |= NodeFacts.constantBit }
        nodes.append(Node(op: op, children: children))
        facts.append(fact)
        structuralHash.append(hash)
        firstVariableIndex.append(first)
        return id
    }

    /// The index of `shape` in `shapeList`, adding it when it is new (0 for `()`).
    private func index(of shape: TensorShape) -> UInt32 {
        if shape.rank == 0 { return 0 }
        if let known = shapeIndex[shape] { return known }
        precondition(shapeList.count <= Int(NodeFacts.shapeMask), "too many distinct shapes for a node record")
        shapeList.append(shape)
        let index = UInt32(shapeList.count - 1)
        shapeIndex[shape] = index
        return index
    }

    /// Makes room for `count` nodes in total, so that building a program of known size does not
    /// rehash the memo table over and over as it grows.
    public func reserveCapacity(_ count: Int) {
        nodes.reserveCapacity(count)
        facts.reserveCapacity(count)
        structuralHash.reserveCapacity(count)
        firstVariableIndex.reserveCapacity(count)
        if count * 4 > table.count * 3 { growTable(to: count * 4 / 3 + 1) }
    }

    /// Doubles the memo table (at least) and re-inserts every node by its stored hash.
    ///
    /// The table is kept at most three quarters full (an Int32 per slot: 5.3-10.7 bytes per
    /// node); at half, as before, it was 8-16.
    private func growTable(to minimum: Int = 0) {
        var capacity = Swift.max(1024, table.count * 2)
        while capacity < minimum { capacity *= 2 }
        table = [Int32](repeating: -1, count: capacity)
        let mask = capacity - 1
        for (index, hash) in structuralHash.enumerated() {
            var slot = Int(truncatingIfNeeded: hash ^ (hash >> 32)) & mask
            while table[slot] >= 0 { slot = (slot + 1) & mask }
            table[slot] = Int32(truncatingIfNeeded: index)
        }
    }

    /// The first variable (in `NaturalOrder`) that `id` depends on, "" for a constant expression.
    public func firstVariable(_ id: NodeID) -> String {
        let index = firstVariableIndex[id.int]
        return index < 0 ? "" : variableNames[Int(index)]
    }

    // MARK: - Shapes

    /// Declares an input's shape (and whether it holds labels) before its variable node is made.
    public func declare(_ name: String, _ declaration: InputDeclaration) {
        declarations[name] = declaration
    }

    /// The shape `op` gives on `children`, or why they do not fit. Element-wise ops broadcast
    /// their operands (NumPy's rule); the ops on whole arrays have their own rules.
    public func shape(of op: Op, _ children: Children) throws(ShapeError) -> TensorShape {
        switch op {
        case .number, .constant: return .scalar
        case .variable(let name): return declarations[name]?.shape ?? .scalar
        case .adjoint(let node): return shapes[node.int]
        case .add, .sub, .mul, .div, .neg, .pow, .function:
            var result = TensorShape.scalar
            for child in children { result = try TensorShape.broadcast(result, shapes[child.int]) }
            return result
        case .tensor(let t): return try t.shape(children.map { shapes[$0.int] })
        }
    }

    /// `id` stretched to `shape` by an explicit broadcast node, or `id` when it already has it.
    public func fitted(_ id: NodeID, to shape: TensorShape) -> NodeID {
        shapes[id.int] == shape ? id : intern(.tensor(.layout(.broadcast(shape))), Children(id))
    }

    /// An element-wise op as a user wrote it: the result shape is the broadcast of the
    /// operands', and every differentiable operand of another shape is broadcast by a node of
    /// its own, so the backward pass sums it back exactly there (constants, labels and counts
    /// stretch implicitly: no gradient flows to them). Throws when the shapes do not broadcast.
    public func elementwise(_ op: Op, _ children: [NodeID]) throws(ShapeError) -> NodeID {
        if children.allSatisfy({ isScalar[$0.int] }) { return intern(op, Children(children)) }
        let result = try shape(of: op, Children(children))
        return intern(op, Children(children.map { isDifferentiable[$0.int] ? fitted($0, to: result) : $0 }))
    }

    /// `elementwise` for rules that build well-shaped expressions (VJPs, simplification).
    func elementwiseNode(_ op: Op, _ children: [NodeID]) -> NodeID {
        if children.allSatisfy({ isScalar[$0.int] }) { return intern(op, Children(children)) }
        do { return try elementwise(op, children) } catch {
            shapeFaults += 1
            return intern(op, Children(children))
        }
    }

    /// The broadcast shape of two nodes (`()` when they do not broadcast, which is a fault).
    func resultShape(_ a: NodeID, _ b: NodeID) -> TensorShape {
        let (sa, sb) = (shapes[a.int], shapes[b.int])
        if sa.rank == 0 { return sb }
        if sb.rank == 0 || sa == sb { return sa }
        return (try? TensorShape.broadcast(sa, sb)) ?? .scalar
    }

    // MARK: - Leaves

    public func number(_ value: Number) -> NodeID { intern(.number(value), []) }
    public func integer(_ value: Int64) -> NodeID { number(Number(value)) }
    public func rational(_ numerator: Int64, _ denominator: Int64) -> NodeID {
        number(Rational(numerator, denominator).map(Number.rational) ?? .real(Double(numerator) / Double(denominator)))
    }
    public func variable(_ name: String) -> NodeID { intern(.variable(name), []) }
    public func constant(_ constant: NamedConstant) -> NodeID { intern(.constant(constant), []) }

    /// The numeric value of a number node.
    public func numberValue(_ id: NodeID) -> Number? {
        if case .number(let n) = nodes[id.int].op { return n }
        return nil
    }

    public func isNumber(_ id: NodeID, _ value: Number) -> Bool { numberValue(id) == value }

    /// Ids of every node reachable from `roots`, ascending (so children come first). Nodes for
    /// which `stop` holds are included but not descended into.
    ///
    /// Cost is proportional to what is visited, not to the graph: the visited marks are one bit
    /// per node, reused across calls and cleared through the result, so printing one backward
    /// line of a 10^6-node program does not touch 10^6 flags (nor keep 4 bytes per node, as a
    /// generation-stamped array did).
    public func reachable(from roots: [NodeID], stoppingAt stop: (NodeID) -> Bool = { _ in false }) -> [NodeID] {
        let words = (nodes.count + 63) / 64
        if visitMarks.count < words { visitMarks.append(contentsOf: repeatElement(0, count: words - visitMarks.count)) }
        var stack = roots
        var result: [NodeID] = []
        while let id = stack.popLast() {
            if isMarked(id) { continue }
            visitMarks[id.int >> 6] |= UInt64(1) << UInt64(id.int & 63)
            result.append(id)
            if stop(id) { continue }
            for child in nodes[id.int].children where !isMarked(child) { stack.append(child) }
        }
        // Every marked node is in the result: clearing their words leaves all marks clear.
        for id in result { visitMarks[id.int >> 6] = 0 }
        result.sort()
        return result
    }

    @inline(__always) private func isMarked(_ id: NodeID) -> Bool {
        visitMarks[id.int >> 6] & (UInt64(1) << UInt64(id.int & 63)) != 0
    }
}
