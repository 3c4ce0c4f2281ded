import Symbolic
import Testing

/// Operands stored inline (up to three) or in an array read the same as the array they came from.
@Suite struct ChildrenTests {
    @Test(arguments: 0...6) func operandsReadBackInOrder(count: Int) {
        let ids = (0..<count).map { NodeID($0 * 7 + 1) }
        let children = Children(ids)
        #expect(children.count == count)
        #expect(Array(children) == ids)
        for (index, id) in ids.enumerated() { #expect(children[index] == id) }
        #expect(children == Children(ids))
        #expect(Set([children, Children(ids)]).count == 1)
        if count > 0 { #expect(children != Children(ids.dropLast())) }
    }

    @Test func literalsAndInitialisersAgree() {
        let (a, b, c, d) = (NodeID(3), NodeID(5), NodeID(8), NodeID(13))
        #expect(([] as Children) == Children())
        #expect(([a] as Children) == Children(a))
        #expect(([a, b] as Children) == Children(a, b))
        #expect(([a, b, c, d] as Children) == Children([a, b, c, d]))
        #expect(Children([a, b, c, d]) != Children([a, b, c, a]))
    }

    @Test func theGraphKeepsNaryOperands() {
        let graph = Graph()
        let xs = (0..<5).map { graph.variable("x\($0)") }
        let sum = graph.intern(.add, Children(xs))
        #expect(Array(graph[sum].children) == xs)
        #expect(graph.intern(.add, Children(xs)) == sum)
        #expect(graph.intern(.add, Children(xs.reversed())) != sum)
    }
}
