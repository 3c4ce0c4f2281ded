import Foundation

extension NestedList {
    /// The nested list in a value decoded by `JSONSerialization` (arrays of numbers), for
    /// `--inputs values.json`. Booleans, strings, null and objects are refused with the path of
    /// the element; nesting is limited to `Tensor.maxRank`.
    public init(jsonObject: Any) throws(TensorError) {
        var path: [Int] = []
        self = try NestedList.convert(jsonObject, path: &path)
    }

    static func convert(_ value: Any, path: inout [Int]) throws(TensorError) -> NestedList {
        if let items = value as? [Any] {
            guard path.count < Tensor.maxRank else { throw .tooDeep(limit: Tensor.maxRank) }
            var out: [NestedList] = []
            out.reserveCapacity(items.count)
            for (i, item) in items.enumerated() {
                path.append(i)
                out.append(try convert(item, path: &path))
                path.removeLast()
            }
            return .list(out)
        }
        // JSON numbers arrive as NSNumber, and `is Bool` holds for every NSNumber 0 or 1 on
        // Linux; a JSON true is the NSNumber whose type code is "c" (char).
        guard let number = value as? NSNumber, String(cString: number.objCType) != "c" else {
            throw .notANumber(path: path)
        }
        return .number(number.doubleValue)
    }
}
