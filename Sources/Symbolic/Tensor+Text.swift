/// Tensors as text: printed the way NumPy prints arrays (nested brackets, long arrays elided
/// with `...`), as JSON nested lists, and parsed back from nested-list literals such as
/// `[[1, 2], [3, 4]]` (the syntax of `--at` values and of JSON value files).
extension Tensor {
    /// NumPy's default threshold: arrays with more elements than this are summarised.
    public static let elisionThreshold = 1000
    /// Elements shown at each end of a summarised axis (NumPy's `edgeitems`).
    public static let edgeItems = 3

    /// One element as Python's `repr` writes a float: the shortest digits that read back as the
    /// same double (`0.08800000000000001`, `0.1`), `1.0` for whole numbers, exponent form below
    /// 1e-4 and from 2^53 on (`1e-07`, `3e+20`), and `nan`, `inf`, `-inf`. Arrays format their
    /// elements together (`formatted`), so that one array has one style.
    public static func formatElement(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x < 0 ? "-inf" : "inf" }
        return "\(x)"
    }

    /// The array as NumPy's `repr` shows it, without the `array(...)` wrapper: rows of a matrix
    /// on separate lines, a blank line between blocks of rank 3 and more, and axes longer than
    /// `2 * edgeItems` summarised with `...` when the array has more than `elisionThreshold`
    /// elements. A scalar is just its number. `multiline: false` puts everything on one line;
    /// a smaller `threshold` elides sooner (for the cells of `--trace` tables).
    ///
    /// The elements shown share one style, chosen as NumPy's `arrayprint` chooses it
    /// (`TensorNumberStyle`): positional, or scientific for the whole array when the magnitudes
    /// shown span too much, each element with the shortest digits that read back as the same
    /// double (NumPy's `floatmode='unique'`; NumPy's default rounds to 8 digits, which does not
    /// read back). A matrix (or anything of rank 2 and more) printed on several lines has its
    /// columns aligned as NumPy aligns them: the integer parts padded on the left, the fractions on
    /// the right, so that the decimal points line up (`[[ 0.1458, 0.2917],` / ` [-0.9927, 1.5   ]]`),
    /// and `nan` and `inf` right-aligned to the full width.
    ///
    /// Printed on several lines, a row longer than NumPy's `linewidth` (75 characters, counting
    /// `leadingWidth` characters that the caller prints before the first line and as indent of
    /// the others, `df/dx = `) is wrapped as NumPy wraps it: as many elements as fit, the next
    /// line indented under the row's first element, every element of the array padded to one
    /// width (a vector too, once it wraps; a vector that fits keeps its plain `[1.0, 2.5]`).
    public func formatted(multiline: Bool = true, threshold: Int = Tensor.elisionThreshold,
                          leadingWidth: Int = 0) -> String {
        let elide = count > threshold
        var shown: [Double] = []
        collectShown(axis: 0, offset: 0, elide: elide, into: &shown)
        let style = TensorNumberStyle(shown)
        let aligned = multiline ? alignedWidths(shown, style) : nil
        var out = ""
        var layout = Layout(multiline: multiline, style: style, widths: rank >= 2 ? aligned : nil,
                            leadingWidth: leadingWidth, lineWidth: nil)
        render(axis: 0, offset: 0, elide: elide, layout: layout, into: &out)
        guard multiline, rank >= 1, leadingWidth + Self.longestLine(out) > Tensor.lineWidth else { return out }
        out = ""
        layout.widths = aligned
        layout.lineWidth = Tensor.lineWidth
        render(axis: 0, offset: 0, elide: elide, layout: layout, into: &out)
        return out
    }

    /// NumPy's default `linewidth`.
    public static let lineWidth = 75

    /// How `render` lays the elements out.
    struct Layout {
        var multiline: Bool
        var style: TensorNumberStyle
        /// Integer and fraction widths every element is padded to, or nil for no padding.
        var widths: (integer: Int, fraction: Int)?
        /// Characters before the first line (and indenting the others) that the caller prints.
        var leadingWidth: Int
        /// Where rows wrap, or nil for rows on one line however long.
        var lineWidth: Int?
    }

    /// The widths that line the decimal points up, as NumPy aligns the elements of an array
    /// printed on several lines: the integer parts padded on the left, the fractions on the
    /// right, `nan` and `inf` right-aligned to the full width.
    private func alignedWidths(_ shown: [Double], _ style: TensorNumberStyle) -> (integer: Int, fraction: Int) {
        var integer = 0, fraction = 0
        for x in shown where x.isFinite {
            let parts = style.text(x).split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
            integer = Swift.max(integer, parts[0].count)
            fraction = Swift.max(fraction, parts.count > 1 ? parts[1].count : 0)
        }
        // A non-finite element is right-aligned to the whole width; it may widen the integers.
        for x in shown where !x.isFinite {
            integer = Swift.max(integer, style.text(x).count - fraction - 1)
        }
        return (integer, fraction)
    }

    private static func longestLine(_ text: String) -> Int {
        var longest = 0, current = 0
        for character in text {
            if character == "\n" {
                longest = Swift.max(longest, current)
                current = 0
            } else {
                current += 1
            }
        }
        return Swift.max(longest, current)
    }

    /// The elements `render` prints, in order: all of them, or each summarised axis's edges.
    func collectShown(axis: Int, offset: Int, elide: Bool, into shown: inout [Double]) {
        if axis == rank {
            shown.append(scalars[offset])
            return
        }
        let n = sizes[axis]
        let stride = sizes[(axis + 1)...].reduce(1, *)
        let skip = elide && n > 2 * Tensor.edgeItems
        for i in 0..<n where !skip || i < Tensor.edgeItems || i >= n - Tensor.edgeItems {
            collectShown(axis: axis + 1, offset: offset + i * stride, elide: elide, into: &shown)
        }
    }

    /// One element as `layout` pads it.
    private func element(_ x: Double, _ layout: Layout) -> String {
        let text = layout.style.text(x)
        guard let widths = layout.widths else { return text }
        guard x.isFinite else {
            let width = widths.integer + 1 + widths.fraction
            return String(repeating: " ", count: Swift.max(0, width - text.count)) + text
        }
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let fraction = parts.count > 1 ? parts[1].count : (widths.fraction > 0 ? -1 : 0)
        return String(repeating: " ", count: widths.integer - parts[0].count) + text
            + String(repeating: " ", count: Swift.max(0, widths.fraction - fraction))
    }

    func render(axis: Int, offset: Int, elide: Bool, layout: Layout, into out: inout String) {
        if axis == rank {
            out += element(scalars[offset], layout)
            return
        }
        let n = sizes[axis]
        let stride = sizes[(axis + 1)...].reduce(1, *)
        let below = rank - axis - 1
        let skip = elide && n > 2 * Tensor.edgeItems
        let shown = (0..<n).filter { !skip || $0 < Tensor.edgeItems || $0 >= n - Tensor.edgeItems }
        out += "["
        if below == 0 {
            // The innermost axis: elements (and `...`) on one line, or wrapped at the line width,
            // continuing under the row's first element. The column counts from the line's start.
            let indent = String(repeating: " ", count: axis + 1)
            var column = layout.leadingWidth + axis + 1
            for (k, i) in shown.enumerated() {
                var word = ""
                render(axis: axis + 1, offset: offset + i * stride, elide: elide, layout: layout, into: &word)
                if skip, i == n - Tensor.edgeItems { word = "..., " + word }
                if k > 0 {
                    // Room for ", ", the word and the "," or "]" after it.
                    if let width = layout.lineWidth, column + 2 + word.count + 1 > width {
                        out += ",\n" + indent
                        column = layout.leadingWidth + axis + 1
                    } else {
                        out += ", "
                        column += 2
                    }
                }
                out += word
                column += word.count
            }
            out += "]"
            return
        }
        let separator = layout.multiline
            ? "," + String(repeating: "\n", count: below) + String(repeating: " ", count: axis + 1)
            : ", "
        for (k, i) in shown.enumerated() {
            if k > 0 { out += separator }
            if skip, i == n - Tensor.edgeItems { out += "..." + separator }
            render(axis: axis + 1, offset: offset + i * stride, elide: elide, layout: layout, into: &out)
        }
        out += "]"
    }

    /// Nested JSON lists of exactly this shape (a bare number for a scalar), every element in
    /// Swift's shortest round-trip form so that reading it back gives the same doubles. JSON has
    /// no NaN or infinity: they are written `NaN`, `Infinity`, `-Infinity` as Python's `json`
    /// module writes them.
    public var jsonText: String {
        var out = ""
        renderJSON(axis: 0, offset: 0, into: &out)
        return out
    }

    func renderJSON(axis: Int, offset: Int, into out: inout String) {
        if axis == rank {
            let x = scalars[offset]
            if x.isNaN { out += "NaN" } else if x.isInfinite { out += x < 0 ? "-Infinity" : "Infinity" } else { out += "\(x)" }
            return
        }
        let stride = sizes[(axis + 1)...].reduce(1, *)
        out += "["
        for i in 0..<sizes[axis] {
            if i > 0 { out += ", " }
            renderJSON(axis: axis + 1, offset: offset + i * stride, into: &out)
        }
        out += "]"
    }

    /// Parses a number or a nested list of numbers (`[[1, 2], [3, 4]]` is shape (2, 2), `[]` is
    /// (0,), `2.5` is a scalar). Numbers are JSON's plus a leading `+`, `nan`, `inf`, `-inf`.
    /// Rows must all have the same length: `[[1, 2], [3]]` throws `raggedRows` naming row 1.
    /// Nesting is limited to `Tensor.maxRank` and the element count to `TensorShape.maxElements`.
    public static func parse(_ text: String) throws(TensorError) -> Tensor {
        var parser = NestedListParser(Array(text.utf8))
        let value = try parser.parseValue(depth: 0)
        parser.skipSpace()
        guard parser.position == parser.bytes.count else {
            throw .syntax(offset: parser.position, message: "unexpected text after the array")
        }
        return try Tensor(nested: value)
    }

    /// A tensor from a parsed nested list, checking that it is rectangular. The shape is read
    /// from the first element at each depth; every other row is compared with it.
    public init(nested: NestedList) throws(TensorError) {
        var sizes: [Int] = []
        var probe = nested
        while case .list(let items) = probe {
            sizes.append(items.count)
            guard sizes.count <= Tensor.maxRank else { throw .tooDeep(limit: Tensor.maxRank) }
            guard let first = items.first else { break }
            probe = first
        }
        let count: Int
        do { count = try TensorShape.checkedCount(sizes, shape: TensorShape(sizes)) } catch { throw .shape(error) }
        var scalars: [Double] = []
        scalars.reserveCapacity(count)
        var path: [Int] = []
        try Tensor.flatten(nested, sizes: sizes, depth: 0, path: &path, into: &scalars)
        self.init(unchecked: sizes, scalars)
    }

    static func flatten(_ value: NestedList, sizes: [Int], depth: Int, path: inout [Int],
                        into scalars: inout [Double]) throws(TensorError) {
        switch value {
        case .number(let x):
            guard depth == sizes.count else { throw .mixedDepth(path: path) }
            scalars.append(x)
        case .list(let items):
            guard depth < sizes.count else { throw .mixedDepth(path: path) }
            guard items.count == sizes[depth] else {
                // A row differs from the first row at this depth: report it against its sibling
                // when it has one, else against the expected length.
                throw .raggedRows(path: path.isEmpty ? [0] : path, found: items.count, expected: sizes[depth])
            }
            for (i, item) in items.enumerated() {
                path.append(i)
                try flatten(item, sizes: sizes, depth: depth + 1, path: &path, into: &scalars)
                path.removeLast()
            }
        }
    }
}

extension Tensor: CustomStringConvertible {
    /// `formatted(multiline: false)`: one line, NumPy-style, long arrays elided.
    public var description: String { formatted(multiline: false) }
}

/// A parsed nested-list literal before its shape is checked: the intermediate form of
/// `Tensor.parse`, and what a JSON value file's arrays are converted to.
public indirect enum NestedList: Equatable, Sendable {
    case number(Double)
    case list([NestedList])
}

/// A recursive-descent parser for nested lists over UTF-8 bytes; positions are byte offsets.
struct NestedListParser {
    let bytes: [UInt8]
    var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func skipSpace() {
        while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
    }

    mutating func parseValue(depth: Int) throws(TensorError) -> NestedList {
        skipSpace()
        guard position < bytes.count else { throw .syntax(offset: position, message: "expected a number or '['") }
        if bytes[position] == UInt8(ascii: "[") {
            guard depth < Tensor.maxRank else { throw .tooDeep(limit: Tensor.maxRank) }
            position += 1
            var items: [NestedList] = []
            skipSpace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
                position += 1
                return .list(items)
            }
            while true {
                items.append(try parseValue(depth: depth + 1))
                skipSpace()
                guard position < bytes.count else { throw .syntax(offset: position, message: "expected ',' or ']'") }
                if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                if bytes[position] == UInt8(ascii: "]") { position += 1; return .list(items) }
                throw .syntax(offset: position, message: "expected ',' or ']'")
            }
        }
        return .number(try parseNumber())
    }

    mutating func parseNumber() throws(TensorError) -> Double {
        let start = position
        while position < bytes.count {
            let b = bytes[position]
            let isNumberByte = (b >= 0x30 && b <= 0x39) || b == UInt8(ascii: ".") || b == UInt8(ascii: "-")
                || b == UInt8(ascii: "+") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E")
                || (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z"))
            guard isNumberByte else { break }
            position += 1
        }
        let token = String(decoding: bytes[start..<position], as: UTF8.self)
        switch token {
        case "nan": return .nan
        case "inf", "+inf": return .infinity
        case "-inf": return -.infinity
        default:
            // Double(String) alone would also take "infinity" or hex; insist on a decimal number.
            guard let first = token.utf8.first, first != UInt8(ascii: "."),
                  token.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || [UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "e"), UInt8(ascii: "E")].contains($0) }),
                  let value = Double(token) else {
                throw .syntax(offset: start, message: token.isEmpty ? "expected a number or '['" : "'\(token)' is not a number")
            }
            return value
        }
    }
}
