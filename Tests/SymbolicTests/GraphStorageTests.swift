import Testing
@testable import Symbolic

/// The graph's compact per-node storage reads back what was built: shapes and flags packed into
/// one word, visit marks as bits, the memo table fuller than before, and the sizes the memory
/// budget counts on.
@Suite struct GraphStorageTests {
    @Test func operandsTakeSixteenBytesOfANode() {
        #expect(MemoryLayout<Children>.stride == 16)
        #expect(MemoryLayout<Node>.stride <= MemoryLayout<Op>.stride + 16)
        // The convolution case is boxed, so no op payload makes every node larger.
        #expect(MemoryLayout<Op>.stride == 24)
        #expect(MemoryLayout<Node>.stride == 40)
    }

    /// Shapes and the three flags of every node of a program with arrays, labels and constants.
    @Test func shapesAndFlagsReadBack() throws {
        let graph = Graph()
        graph.declare("W", InputDeclaration(shape: [2, 3]))
        graph.declare("y", InputDeclaration(shape: [3], isLabel: true))
        let (w, y, s) = (graph.variable("W"), graph.variable("y"), graph.variable("s"))
        let two = graph.integer(2)
        let product = try graph.elementwise(.mul, [w, s])
        let masked = try graph.elementwise(.mul, [product, y])
        let constant = graph.intern(.add, Children(two, graph.constant(.pi)))
        let total = graph.intern(.tensor(.reduction(.sum(axis: nil, keepdims: false))), Children(masked))
        #expect(graph.shapes[w.int] == [2, 3] && graph.shapes[y.int] == [3] && graph.shapes[s.int] == .scalar)
        #expect(graph.shapes[product.int] == [2, 3] && graph.shapes[masked.int] == [2, 3])
        #expect(graph.shapes[total.int] == .scalar && graph.shapes[constant.int] == .scalar)
        for id in [w, y, product, masked] { #expect(!graph.isScalar[id.int]) }
        for id in [s, two, constant, total] { #expect(graph.isScalar[id.int]) }
        #expect(graph.isScalar.contains(false) && graph.isScalar.count == graph.count)
        #expect(graph.isConstant[two.int] && graph.isConstant[constant.int])
        #expect(!graph.isConstant[w.int] && !graph.isConstant[y.int] && !graph.isConstant[total.int])
        #expect(graph.isDifferentiable[w.int] && graph.isDifferentiable[s.int] && graph.isDifferentiable[total.int])
        #expect(!graph.isDifferentiable[y.int] && !graph.isDifferentiable[two.int] && !graph.isDifferentiable[constant.int])
        #expect(graph.shapeFaults == 0)
    }

    /// The visit marks are cleared after each walk: the same walk twice, and a walk that stops
    /// early, see what they should.
    @Test func reachableClearsItsMarks() {
        let graph = Graph()
        let x = graph.variable("x")
        var chain = x
        for _ in 0..<200 { chain = graph.intern(.function(.sin), Children(graph.intern(.mul, Children(chain, x)))) }
        let all = graph.reachable(from: [chain])
        #expect(all.count == 401)
        #expect(graph.reachable(from: [chain]) == all)
        let half = graph.reachable(from: [chain]) { $0.int < 200 }
        #expect(half == [x] + (199...400).map(NodeID.init))
        #expect(graph.reachable(from: [chain]) == all)
    }

    /// Past a few growths of the memo table (3/4 full at most), every node is found again.
    @Test func theMemoFindsEveryNodeAfterGrowing() {
        let graph = Graph()
        let x = graph.variable("x")
        let ids = (0..<5000).map { graph.intern(.mul, Children(graph.integer(Int64($0)), x)) }
        #expect(Set(ids).count == ids.count)
        #expect((0..<5000).map { graph.intern(.mul, Children(graph.integer(Int64($0)), x)) } == ids)
        #expect(graph.count == 1 + 2 * 5000)
    }
}
