import Foundation
import Symbolic
import Testing
import TestSupport

/// The shape rules: every broadcasting and matmul question of WORKSHEETS.md section 6 with its
/// exact answer or NumPy-worded error, plus random shapes checked against NumPy itself.
@Suite struct TensorShapeTests {
    struct Case: Sendable, CustomStringConvertible {
        let a: [Int], b: [Int], result: [Int]?
        var description: String { "\(a) with \(b)" }
    }

    static let worksheetBroadcasts: [Case] = [
        Case(a: [2], b: [2, 1], result: [2, 2]),
        Case(a: [4], b: [4, 1, 1], result: [4, 1, 4]),
        Case(a: [4, 2], b: [2, 4, 1], result: [2, 4, 2]),
        Case(a: [8, 3], b: [2, 8, 1], result: [2, 8, 3]),
        Case(a: [6, 5, 3], b: [6, 5], result: nil),
    ]

    static let worksheetMatmuls: [Case] = [
        Case(a: [5, 4], b: [4, 8], result: [5, 8]),
        Case(a: [3, 5, 4], b: [3, 4, 8], result: [3, 5, 8]),
        Case(a: [3, 5, 4], b: [5, 4, 8], result: nil),
        Case(a: [1, 5, 4], b: [5, 4, 8], result: [5, 5, 8]),
        Case(a: [2, 5, 4], b: [3, 2, 4, 8], result: [3, 2, 5, 8]),
    ]

    @Test(arguments: worksheetBroadcasts) func worksheetBroadcasting(_ c: Case) throws {
        if let expected = c.result {
            #expect(try TensorShape.broadcast(TensorShape(c.a), TensorShape(c.b)) == TensorShape(expected))
            #expect(try TensorShape.broadcast(TensorShape(c.b), TensorShape(c.a)) == TensorShape(expected))
        } else {
            #expect(throws: ShapeError.self) { try TensorShape.broadcast(TensorShape(c.a), TensorShape(c.b)) }
        }
    }

    @Test func broadcastErrorNamesBothShapesAndExplains() {
        do {
            _ = try TensorShape.broadcast([6, 5, 3], [6, 5])
            Issue.record("(6,5,3) + (6,5) broadcast")
        } catch {
            #expect(error.description == "operands could not be broadcast together with shapes (6,5,3) (6,5)")
            #expect(error.explanation == "aligned on the right, axis -1 has 3 vs 5: two sizes broadcast only when they are equal or one of them is 1")
        }
    }

    @Test(arguments: worksheetMatmuls) func worksheetMatmul(_ c: Case) throws {
        if let expected = c.result {
            #expect(try TensorShape.matmul(TensorShape(c.a), TensorShape(c.b)) == TensorShape(expected))
        } else {
            #expect(throws: ShapeError.self) { try TensorShape.matmul(TensorShape(c.a), TensorShape(c.b)) }
        }
    }

    @Test func matmulErrorsNameBothShapes() {
        do {
            _ = try TensorShape.matmul([3, 5, 4], [5, 4, 8])
            Issue.record("batch mismatch accepted")
        } catch {
            #expect(error.description == "matmul: (3,5,4) @ (5,4,8): batch dimensions 3 and 5 do not broadcast")
        }
        do {
            _ = try TensorShape.matmul([5, 4], [3, 8])
            Issue.record("core mismatch accepted")
        } catch {
            #expect(error.description == "matmul: (5,4) @ (3,8): 4 != 3")
            #expect(error.explanation.hasPrefix("the last axis of the left operand (4) must equal the second-to-last axis of the right operand (3)"))
        }
        #expect(throws: ShapeError.matmulScalar(.scalar, [3])) { try TensorShape.matmul(.scalar, [3]) }
    }

    @Test func matmulPromotesVectors() throws {
        #expect(try TensorShape.matmul([4], [4, 8]) == [8])
        #expect(try TensorShape.matmul([5, 4], [4]) == [5])
        #expect(try TensorShape.matmul([4], [4]) == .scalar)
        #expect(try TensorShape.matmul([2, 3, 4], [4]) == [2, 3])
        #expect(try TensorShape.matmul([4], [2, 4, 3]) == [2, 3])
        #expect(throws: ShapeError.self) { try TensorShape.matmul([3], [4]) }
    }

    @Test func stepsExplainTheRule() {
        #expect(TensorShape.broadcastSteps([4, 2], [2, 4, 1]) == [
            "(4, 2) and (2, 4, 1)",
            "pad on the left with 1s: (1, 4, 2) and (2, 4, 1)",
            "stretch the 1s: axis 0: 1 -> 2 (left); axis 2: 1 -> 2 (right)",
            "result: (2, 4, 2)",
        ])
        #expect(TensorShape.broadcastSteps([6, 5, 3], [6, 5]) == [
            "(6, 5, 3) and (6, 5)",
            "pad on the left with 1s: (6, 5, 3) and (1, 6, 5)",
            "axis 2 (-1 from the end): 3 vs 5: neither is 1, so the shapes do not broadcast",
        ])
        #expect(TensorShape.broadcastSteps([3], [3]).last == "result: (3,)")
    }

    @Test func unbroadcastSaysWhatTheBackwardPassSums() throws {
        #expect(try TensorShape([3]).unbroadcast(from: [2, 3]) == Unbroadcast(summedAxes: [0], keptAxes: [], droppedLeading: 1))
        #expect(try TensorShape([2, 1]).unbroadcast(from: [2, 3]) == Unbroadcast(summedAxes: [1], keptAxes: [1], droppedLeading: 0))
        // (4,) + (4,1,1) -> (4,1,4): the vector was padded twice; the other stretched its last axis.
        #expect(try TensorShape([4]).unbroadcast(from: [4, 1, 4]) == Unbroadcast(summedAxes: [0, 1], keptAxes: [], droppedLeading: 2))
        #expect(try TensorShape([4, 1, 1]).unbroadcast(from: [4, 1, 4]) == Unbroadcast(summedAxes: [2], keptAxes: [2], droppedLeading: 0))
        #expect(try TensorShape([2, 3]).unbroadcast(from: [2, 3]).isIdentity)
        #expect(try TensorShape.scalar.unbroadcast(from: [2, 3]).summedAxes == [0, 1])
        #expect(throws: ShapeError.self) { try TensorShape([3]).unbroadcast(from: [2, 4]) }
        #expect(throws: ShapeError.self) { try TensorShape([2, 3]).unbroadcast(from: [3]) }
    }

    @Test func elementCountsAreCheckedNeverTrap() throws {
        #expect(try TensorShape([2, 3, 4]).elementCount() == 24)
        #expect(try TensorShape.scalar.elementCount() == 1)
        #expect(try TensorShape([0, Int.max]).elementCount() == 0)
        #expect(throws: ShapeError.tooManyElements([Int.max, 2], limit: TensorShape.maxElements)) {
            try TensorShape([Int.max, 2]).elementCount()
        }
        #expect(throws: ShapeError.self) { try TensorShape([TensorShape.maxElements + 1]).elementCount() }
        #expect(throws: ShapeError.negativeDimension([2, -1])) { try TensorShape([2, -1]).elementCount() }
        #expect(throws: ShapeError.self) { try TensorShape.broadcast([1 << 20, 1], [1 << 20]) }
    }

    @Test func reductionsAndTransposes() throws {
        let s: TensorShape = [2, 3, 4]
        #expect(try s.reduced(axis: nil) == .scalar)
        #expect(try s.reduced(axis: nil, keepdims: true) == [1, 1, 1])
        #expect(try s.reduced(axis: 1) == [2, 4])
        #expect(try s.reduced(axis: -1, keepdims: true) == [2, 3, 1])
        do {
            _ = try s.reduced(axis: 3)
            Issue.record("axis 3 accepted")
        } catch {
            #expect(error.description == "axis 3 is out of bounds for array of dimension 3")
        }
        #expect(s.transposed() == [2, 4, 3])
        #expect(TensorShape([5]).transposed() == [5])
        #expect(try s.permuted([2, 0, 1]) == [4, 2, 3])
        #expect(throws: ShapeError.self) { try s.permuted([0, 0, 1]) }
        #expect(throws: ShapeError.self) { try s.permuted([0, 1]) }
    }

    @Test func printingFollowsPython() {
        #expect(TensorShape.scalar.description == "()")
        #expect(TensorShape([2]).description == "(2,)")
        #expect(TensorShape([2, 4, 2]).description == "(2, 4, 2)")
        #expect(TensorShape([6, 5, 3]).compactDescription == "(6,5,3)")
        #expect(TensorShape([.named("N"), .fixed(3)]).description == "(N, 3)")
    }

    @Test func namedDimensionsDecideWhatTheyCan() throws {
        let n = TensorShape([.named("N"), .fixed(3)])
        #expect(try TensorShape.broadcast(n, [3]) == n)
        #expect(try TensorShape.broadcast(n, [1, 1]) == n)
        #expect(try TensorShape.matmul(n, [3, 4]) == TensorShape([.named("N"), .fixed(4)]))
        #expect(throws: ShapeError.unresolvedDimension(name: "N", shape: n)) { try TensorShape.broadcast(n, [5, 3]) }
        #expect(n.bound(["N": 5]) == [5, 3])
        #expect(throws: ShapeError.self) { try n.elementCount() }
    }

    /// Seeded random shape pairs; NumPy's `broadcast_shapes` and the shape of `np.matmul` on
    /// zero arrays are the reference.
    @Test func randomShapesAgreeWithNumPy() throws {
        guard try ExternalTools.requirePythonWithNumPy() else { return }
        var rng = SplitMix64(seed: 12)
        var pairs: [([Int], [Int])] = []
        for _ in 0..<300 {
            func shape() -> [Int] { (0..<Int.random(in: 0...4, using: &rng)).map { _ in [1, 1, 2, 3][Int.random(in: 0...3, using: &rng)] } }
            pairs.append((shape(), shape()))
        }
        let json = "[" + pairs.map { "[\($0.0), \($0.1)]" }.joined(separator: ", ") + "]"
        let script = """
            import json, sys, numpy as np
            out = []
            for a, b in json.loads(sys.argv[1]):
                try: bc = list(np.broadcast_shapes(tuple(a), tuple(b)))
                except ValueError: bc = None
                try: mm = list(np.matmul(np.zeros(a), np.zeros(b)).shape) if a and b else None
                except ValueError: mm = None
                out.append([bc, mm])
            print(json.dumps(out))
            """
        let run = try ExternalTools.run("python3", ["-c", script, json])
        try #require(run.status == 0, "\(run.stderr)")
        let answers = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[Any]])
        for ((a, b), answer) in zip(pairs, answers) {
            let bc = answer[0] as? [Int], mm = answer[1] as? [Int]
            let ours = try? TensorShape.broadcast(TensorShape(a), TensorShape(b)).sizes
            let ourMatmul = try? TensorShape.matmul(TensorShape(a), TensorShape(b)).sizes
            #expect(ours == bc, "broadcast \(a) \(b)")
            #expect(ourMatmul == mm, "matmul \(a) \(b)")
        }
    }
}
