extension NestedList {
    /// The nested list in a JSON value (arrays of numbers), for `--inputs values.json`.
    /// Booleans, strings, null and objects are refused with the path of the element; nesting
    /// is limited to `Tensor.maxRank`.
    public init(json: JSONValue) throws(TensorError) {
        var path: [Int] = []
        self = try NestedList.convert(json, path: &path)
    }

    static func convert(_ value: JSONValue, path: inout [Int]) throws(TensorError) -> NestedList {
        switch value {
        case .array(let items):
            guard path.count < Tensor.maxRank else { throw .tooDeep(limit: Tensor.maxRank) }
            var out: [NestedList] = []
            out.reserveCapacity(items.count)
            for (i, item) in items.enumerated() {
                path.append(i)
                out.append(try convert(item, path: &path))
                path.removeLast()
            }
            return .list(out)
        case .number(let number):
            return .number(number)
        case .null, .bool, .string, .object:
            throw .notANumber(path: path)
        }
    }
}
