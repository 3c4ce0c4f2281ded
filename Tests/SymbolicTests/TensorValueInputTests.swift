import Symbolic
import Testing

/// The pieces `eval --inputs values.json`, `--at` and `reshape` will need: JSON arrays to
/// tensors, labels as integers, and NumPy's reshape with -1.
@Suite struct TensorValueInputTests {
    static func fromJSON(_ text: String) throws -> Tensor {
        try Tensor(nested: NestedList(json: JSONValue(parsing: Array(text.utf8))))
    }

    static func jsonMessage(_ text: String) -> String {
        do {
            _ = try fromJSON(text)
            return "accepted"
        } catch let error as TensorError {
            return error.description
        } catch {
            return "JSON: \(error)"
        }
    }

    @Test func jsonArraysBecomeTensors() throws {
        let m = try Self.fromJSON("[[0.1, 0.5], [-0.3, 0.8]]")
        #expect(m.sizes == [2, 2] && m.scalars == [0.1, 0.5, -0.3, 0.8])
        // 0 and 1 are numbers, not booleans.
        #expect(try Self.fromJSON("[0, 1, 2, 1.0, 1e300]").scalars == [0, 1, 2, 1, 1e300])
        #expect(try Self.fromJSON("7") == Tensor(scalar: 7))
        #expect(try Self.fromJSON("[]").sizes == [0])
        #expect(Self.jsonMessage("[1, true]") == "element 1 is not a number")
        #expect(Self.jsonMessage("[[1, 2], [3, \"4\"]]") == "element [1][1] is not a number")
        #expect(Self.jsonMessage("[[1, 2], [3, null]]") == "element [1][1] is not a number")
        #expect(Self.jsonMessage("{\"a\": 1}") == "expected a number or a list of numbers")
        #expect(Self.jsonMessage("[[1, 2], [3]]") == "ragged rows: row 1 has 1 element where row 0 has 2")
        #expect(Self.jsonMessage(String(repeating: "[", count: 40) + String(repeating: "]", count: 40))
                == "the array is nested more than 32 levels deep")
    }

    @Test func labelsMustBeWholeNumbers() throws {
        #expect(try Tensor(vector: [2, 0, 1]).labels() == [2, 0, 1])
        #expect(try Tensor(scalar: -3).labels() == [-3])
        #expect(throws: TensorError.notAnInteger(value: 1.5, index: 1)) { try Tensor(vector: [0, 1.5]).labels() }
        #expect(TensorError.notAnInteger(value: 1.5, index: 1).description == "label 1.5 at position 1 is not an integer")
        #expect(throws: TensorError.self) { try Tensor(vector: [.nan]).labels() }
        #expect(throws: TensorError.self) { try Tensor(vector: [1e19]).labels() }
        #expect(throws: TensorError.self) { try Tensor(vector: [9.223372036854775807e18]).labels() }
    }

    @Test func reshapeFollowsNumPy() throws {
        let x = try Tensor.filled(1, shape: [2, 3, 4])
        #expect(try x.reshaped([2, -1]).sizes == [2, 12])
        #expect(try x.reshaped([-1]).sizes == [24])
        #expect(try x.reshaped([4, 3, 2]).sizes == [4, 3, 2])
        #expect(try Tensor(scalar: 1).reshaped([1, 1]).sizes == [1, 1])
        // As in NumPy, -1 next to a 0 is ambiguous and refused.
        #expect(throws: TensorError.self) { try Tensor(vector: []).reshaped([0, -1]) }
        #expect(try Tensor(vector: []).reshaped([3, 0]).sizes == [3, 0])
        func message(_ target: [Int]) -> String {
            do {
                _ = try x.reshaped(target)
                return "accepted"
            } catch {
                return error.description
            }
        }
        #expect(message([5, -1]) == "cannot reshape array of size 24 into shape (5,-1)")
        #expect(message([-1, -1]) == "cannot reshape array of size 24 into shape (-1,-1)")
        #expect(message([25]) == "cannot reshape array of size 24 into shape (25,)")
        #expect(message([-2, -12]) == "cannot reshape array of size 24 into shape (-2,-12)")
        #expect(message([Int.max, Int.max, -1]) == "cannot reshape array of size 24 into shape (\(Int.max),\(Int.max),-1)")
        #expect(message([0, -1]) == "cannot reshape array of size 24 into shape (0,-1)")
    }
}
