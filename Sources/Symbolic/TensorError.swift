/// Why a tensor operation or a tensor value was refused; one human message each.
public enum TensorError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A shape rule failed (broadcasting, matmul, an axis, the element cap).
    case shape(ShapeError)
    /// `scalars.count` does not match the shape's element count.
    case countMismatch(shape: TensorShape, count: Int)
    /// An operation needs a particular rank, e.g. cross-entropy's logits (K,) or (N, K).
    case wrongRank(operation: String, expected: String, got: TensorShape)
    /// A class label outside `0..<classes`; `row` is the batch row, nil for one example.
    case labelOutOfRange(label: Int, classes: Int, row: Int?)
    /// The number of labels differs from the number of rows of the logits.
    case labelCount(labels: Int, rows: Int)
    /// max/min/argmax/cross-entropy over nothing (NumPy: "zero-size array to reduction
    /// operation maximum which has no identity").
    case emptyReduction(operation: String)
    /// A label that is not a whole number; `index` is its flat row-major position.
    case notAnInteger(value: Double, index: Int)
    /// A JSON value that is not a number or a list of them, at `path`.
    case notANumber(path: [Int])
    /// A literal whose rows do not all have the same length; `path` locates the offending row
    /// (`[1]` is row 1, `[1, 0]` row 0 of block 1), `expected` is the length of the first row.
    case raggedRows(path: [Int], found: Int, expected: Int)
    /// A literal that mixes numbers and lists at the same depth, at `path`.
    case mixedDepth(path: [Int])
    /// Malformed literal text at a character offset (0-based).
    case syntax(offset: Int, message: String)
    /// A literal nested more deeply than `Tensor.maxRank`.
    case tooDeep(limit: Int)

    public var description: String {
        switch self {
        case .shape(let e): return e.description
        case .countMismatch(let s, let n):
            return "shape \(s) needs \(s.sizes.flatMap { try? TensorShape.checkedCount($0, shape: s) } ?? 0) values, got \(n)"
        case .wrongRank(let op, let expected, let got):
            return "\(op) expects \(expected), got shape \(got)"
        case .labelOutOfRange(let label, let classes, let row):
            let whereText = row.map { " in row \($0)" } ?? ""
            return "label \(label)\(whereText) is out of range: there are \(classes) classes (0 to \(classes - 1))"
        case .labelCount(let labels, let rows):
            return "\(labels) labels for \(rows) rows of logits: give one label per row"
        case .emptyReduction(let op):
            return "\(op) of an empty array has no value"
        case .notAnInteger(let value, let index):
            return "label \(Tensor.formatElement(value)) at position \(index) is not an integer"
        case .notANumber(let path):
            return path.isEmpty ? "expected a number or a list of numbers" : "element \(TensorError.pathText(path)) is not a number"
        case .raggedRows(let path, let found, let expected):
            return "ragged rows: row \(TensorError.pathText(path)) has \(found) element\(found == 1 ? "" : "s") where row \(TensorError.pathText(TensorError.firstSibling(path))) has \(expected)"
        case .mixedDepth(let path):
            return "mixed nesting: element \(TensorError.pathText(path)) is a number where a list was expected, or a list where a number was expected"
        case .syntax(let offset, let message):
            return "\(message) at character \(offset + 1)"
        case .tooDeep(let limit):
            return "the array is nested more than \(limit) levels deep"
        }
    }

    /// `[1]` prints as `1`, deeper paths as `[1][0]`.
    static func pathText(_ path: [Int]) -> String {
        path.count == 1 ? String(path[0]) : path.map { "[\($0)]" }.joined()
    }

    /// The all-zeros path of the same depth: the row whose length fixed the shape.
    static func firstSibling(_ path: [Int]) -> [Int] {
        [Int](repeating: 0, count: path.count)
    }
}
