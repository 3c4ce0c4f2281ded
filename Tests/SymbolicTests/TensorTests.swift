import Foundation
import Symbolic
import Testing

/// Tensor values a student checks by hand: the worksheet's ||W x||^2 pieces, the stable
/// cross-entropy, the tie rule, printing and parsing, and refusals that never trap.
@Suite struct TensorTests {
    let w = try! Tensor(shape: [2, 2], scalars: [0.1, 0.5, -0.3, 0.8])
    let x = Tensor(vector: [0.2, 0.4])

    /// WORKSHEETS.md section 6: W x = [0.22, 0.26], f = 0.116, df/dW = 2 (W x) x^T,
    /// df/dx = 2 W^T W x.
    @Test func worksheetSquaredNorm() throws {
        let wx = try Tensor.matmul(w, x)
        #expect(wx.sizes == [2])
        #expect(close(wx.scalars[0], 0.22) && close(wx.scalars[1], 0.26))
        #expect(wx.formatted() == "[0.22000000000000003, 0.26000000000000006]")
        let f = try wx.map { $0 * $0 }.sum()
        #expect(f.sizes == [] && close(f.scalarValue ?? .nan, 0.116))
        let twoWx = wx.map { 2 * $0 }
        let dW = try Tensor.matmul(twoWx.reshaped([2, 1]), x.reshaped([1, 2]))
        #expect(dW.formatted() == "[[0.08800000000000002, 0.17600000000000005],\n [0.10400000000000004, 0.20800000000000007]]")
        #expect(dW.formatted(multiline: false) == "[[0.08800000000000002, 0.17600000000000005], [0.10400000000000004, 0.20800000000000007]]")
        let dx = try Tensor.matmul(w.transposed(), twoWx)
        #expect(dx.formatted() == "[-0.11200000000000002, 0.6360000000000001]")
    }

    @Test func crossEntropyIsStable() throws {
        let z = Tensor(vector: [1000, 1001, 1002])
        let loss = try Tensor.crossEntropy(logits: z, label: 2)
        #expect(close(loss, 0.4076059644443804, 1e-15))
        #expect(try Tensor.crossEntropy(logits: z, label: 0) > 2.4)
        let p = try z.softmax()
        #expect(p.scalars.allSatisfy { $0.isFinite })
        #expect(try close(p.sum().scalarValue ?? 0, 1))
        #expect(try close(z.logsumexp().scalarValue ?? 0, 1002.4076059644444))
        #expect(try z.map { -$0 }.logSoftmax().scalars.allSatisfy { $0.isFinite })
        let batch = try Tensor(shape: [2, 3], scalars: [1000, 1001, 1002, -1000, -1001, -1002])
        #expect(try close(Tensor.crossEntropy(logits: batch, labels: [2, 0]), 0.4076059644443804, 1e-14))
    }

    @Test func crossEntropyRefusesBadLabels() {
        let z = Tensor(vector: [1, 2, 3])
        #expect(throws: TensorError.labelOutOfRange(label: 3, classes: 3, row: nil)) { try Tensor.crossEntropy(logits: z, label: 3) }
        #expect(throws: TensorError.labelOutOfRange(label: -1, classes: 3, row: nil)) { try Tensor.crossEntropy(logits: z, label: -1) }
        let batch = try? Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        #expect(throws: TensorError.labelCount(labels: 1, rows: 2)) { try Tensor.crossEntropy(logits: batch ?? z, labels: [0]) }
        #expect(throws: TensorError.labelOutOfRange(label: 7, classes: 3, row: 1)) { try Tensor.crossEntropy(logits: batch ?? z, labels: [0, 7]) }
        #expect(TensorError.labelOutOfRange(label: 7, classes: 3, row: 1).description
                == "label 7 in row 1 is out of range: there are 3 classes (0 to 2)")
        #expect(throws: TensorError.self) { try Tensor.crossEntropy(logits: z, labels: [0]) }
        #expect(throws: TensorError.self) { try Tensor.crossEntropy(logits: Tensor(vector: []), label: 0) }
    }

    @Test func onehot() throws {
        #expect(try Tensor.onehot([1], classes: 3).formatted() == "[0.0, 1.0, 0.0]")
        #expect(try Tensor.onehot([2, 0], shape: [2], classes: 3).sizes == [2, 3])
        #expect(throws: TensorError.self) { try Tensor.onehot([3], classes: 3) }
        #expect(throws: TensorError.self) { try Tensor.onehot([0, 1], shape: [3], classes: 3) }
    }

    /// Ties go to the first maximum in row-major order, as NumPy's argmax and the backward pass.
    @Test func tiesGoToTheFirstMaximum() throws {
        let t = try Tensor(shape: [2, 3], scalars: [1, 3, 3, 2, 2, 1])
        #expect(try t.argmax().indices == [1])
        #expect(try t.argmax(axis: 1).indices == [1, 0])
        #expect(try t.argmax(axis: 0).indices == [1, 0, 0])
        #expect(try t.argmin(axis: 1).indices == [0, 2])
        #expect(try t.max(axis: 1, keepdims: true).sizes == [2, 1])
        let withNaN = Tensor(vector: [1, .nan, 5, .nan])
        #expect(try withNaN.argmax().indices == [1])
        #expect(try withNaN.max().scalarValue?.isNaN == true)
        #expect(throws: TensorError.emptyReduction(operation: "max")) { try Tensor(vector: []).max() }
        #expect(try Tensor(vector: []).sum().scalarValue == 0)
    }

    @Test func unbroadcastSumsTheStretchedAxes() throws {
        let g = try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        #expect(try g.sum(toShape: [3]).scalars == [5, 7, 9])
        #expect(try g.sum(toShape: [2, 1]).scalars == [6, 15])
        #expect(try g.sum(toShape: []).scalars == [21])
        #expect(try g.sum(toShape: [2, 3]) == g)
        #expect(throws: TensorError.self) { try g.sum(toShape: [2]) }
        #expect(throws: TensorError.self) { try g.sum(toShape: [1, 2, 3]) }
        #expect(try Tensor(vector: [1, 2]).broadcast(to: [2, 2]).scalars == [1, 2, 1, 2])
        #expect(throws: TensorError.self) { try Tensor(vector: [1, 2]).broadcast(to: [3]) }
    }

    @Test func broadcastFailureIsAnErrorNotATrap() {
        let a = try? Tensor.filled(1, shape: [6, 5, 3]), b = try? Tensor.filled(1, shape: [6, 5])
        do {
            _ = try Tensor.zip(a ?? Tensor(scalar: 0), b ?? Tensor(scalar: 0), +)
            Issue.record("(6,5,3) + (6,5) succeeded")
        } catch {
            #expect(error.description == "operands could not be broadcast together with shapes (6,5,3) (6,5)")
        }
        #expect(throws: TensorError.self) { try Tensor.matmul(Tensor(scalar: 2), Tensor(vector: [1])) }
    }

    @Test func sizesAreCheckedAndCapped() {
        #expect(throws: TensorError.self) { try Tensor.filled(0, shape: [100_000, 100_000]) }
        #expect(throws: TensorError.self) { try Tensor.filled(0, shape: [Int.max, Int.max]) }
        #expect(throws: TensorError.self) { try Tensor.filled(0, shape: [-1]) }
        #expect(throws: TensorError.countMismatch(shape: [2, 2], count: 3)) { try Tensor(shape: [2, 2], scalars: [1, 2, 3]) }
        #expect(TensorError.countMismatch(shape: [2, 2], count: 3).description == "shape (2, 2) needs 4 values, got 3")
        #expect(throws: TensorError.self) { try Tensor(vector: [1, 2, 3]).reshaped([2, 2]) }
        #expect(Tensor(vector: [1, 2]).element(at: [5]) == nil)
        #expect(Tensor(vector: [1, 2]).element(at: [-1]) == 2)
    }

    @Test func printingFollowsNumPy() throws {
        #expect(Tensor(scalar: 0.116).formatted() == "0.116")
        #expect(Tensor(vector: []).formatted() == "[]")
        #expect(Tensor(vector: [1, -0.5, .nan, -.infinity, 1e-7, 3e20]).formatted() == "[1.0e+00, -5.0e-01, nan, -inf, 1.0e-07, 3.0e+20]")
        let cube = try Tensor(shape: [2, 2, 2], scalars: [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(cube.formatted() == "[[[1.0, 2.0],\n  [3.0, 4.0]],\n\n [[5.0, 6.0],\n  [7.0, 8.0]]]")
        let long = Tensor(vector: (0..<2000).map(Double.init))
        #expect(long.formatted() == "[0.000e+00, 1.000e+00, 2.000e+00, ..., 1.997e+03, 1.998e+03, 1.999e+03]")
        #expect(Tensor(vector: (0..<10).map(Double.init)).formatted(threshold: 6) == "[0.0, 1.0, 2.0, ..., 7.0, 8.0, 9.0]")
        #expect("\(Tensor(vector: [1, 2]))" == "[1.0, 2.0]")
        let wide = try Tensor(shape: [100, 20], scalars: (0..<2000).map { Double($0 + 100) })
        let lines = wide.formatted().split(separator: "\n")
        #expect(lines.count == 7)
        // Columns aligned as NumPy aligns them (widths over the elements shown).
        #expect(lines[0] == "[[ 100.0,  101.0,  102.0, ...,  117.0,  118.0,  119.0],")
        #expect(lines[3] == " ...,")
        #expect(lines[6] == " [2080.0, 2081.0, 2082.0, ..., 2097.0, 2098.0, 2099.0]]")
    }

    @Test func jsonRoundTrips() throws {
        let t = try Tensor(shape: [2, 2], scalars: [0.1, 1.0 / 3.0, -2, 1e-300])
        #expect(t.jsonText == "[[0.1, 0.3333333333333333], [-2.0, 1e-300]]")
        #expect(try Tensor.parse(t.jsonText) == t)
        #expect(Tensor(scalar: 5).jsonText == "5.0")
        #expect(Tensor(vector: [.nan, .infinity]).jsonText == "[NaN, Infinity]")
    }

    @Test func parsesNestedLists() throws {
        let m = try Tensor.parse("[[1, 2], [3, 4]]")
        #expect(m.sizes == [2, 2] && m.scalars == [1, 2, 3, 4])
        #expect(try Tensor.parse(" [0.1,0.5 ,-3e-1, +2] ").scalars == [0.1, 0.5, -0.3, 2])
        #expect(try Tensor.parse("2.5") == Tensor(scalar: 2.5))
        #expect(try Tensor.parse("[]").sizes == [0])
        #expect(try Tensor.parse("[[], []]").sizes == [2, 0])
        #expect(try Tensor.parse("[[[1], [2]]]").sizes == [1, 2, 1])
        #expect(try Tensor.parse("[nan, -inf]").scalars[1] == -.infinity)
    }

    @Test func parseErrorsSayWhere() {
        func message(_ text: String) -> String {
            do {
                _ = try Tensor.parse(text)
                return "accepted"
            } catch {
                return error.description
            }
        }
        #expect(message("[[1, 2], [3]]") == "ragged rows: row 1 has 1 element where row 0 has 2")
        #expect(message("[[1, 2], [3, 4], [5, 6, 7]]") == "ragged rows: row 2 has 3 elements where row 0 has 2")
        #expect(message("[[[1, 2]], [[3, 4], [5, 6]]]") == "ragged rows: row 1 has 2 elements where row 0 has 1")
        #expect(message("[[[1, 2]], [[3]]]") == "ragged rows: row [1][0] has 1 element where row [0][0] has 2")
        #expect(message("[[1, 2], 3]") == "mixed nesting: element 1 is a number where a list was expected, or a list where a number was expected")
        #expect(message("[1, 2,]") == "expected a number or '[' at character 7")
        #expect(message("[1, 2") == "expected ',' or ']' at character 6")
        #expect(message("[1 2]") == "expected ',' or ']' at character 4")
        #expect(message("[1, x]") == "'x' is not a number at character 5")
        #expect(message("[1, infinity]") == "'infinity' is not a number at character 5")
        #expect(message("[1] 2") == "unexpected text after the array at character 5")
        #expect(message("") == "expected a number or '[' at character 1")
        #expect(message(String(repeating: "[", count: 100_000)) == "the array is nested more than 32 levels deep")
    }
}
