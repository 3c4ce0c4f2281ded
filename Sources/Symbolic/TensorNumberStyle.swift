/// How the numbers of one printed array are written: all positional, or all in scientific
/// notation with one mantissa length and one exponent width, as NumPy's `arrayprint` decides it
/// (`FloatingFormat` with `suppress=False`). Mixing the two in one array misaligned its columns
/// (`[[1.5, 2e-07, 3.0], [4.0, 5.0, 600000000.0]]`); NumPy prints `[[1.5e+00, 2.0e-07, 3.0e+00], ...`.
///
/// The rule, over the finite non-zero magnitudes shown: scientific when the largest is at least
/// 1e8, the smallest below 1e-4, or the largest more than 1000 times the smallest. Every element
/// keeps the shortest digits that read back as the same double (NumPy's `floatmode='unique'`);
/// in scientific notation the mantissas are padded with zeros to the longest one's fraction (at
/// least one digit, as `1.0` is written for whole numbers) and the exponents to the widest (at
/// least two digits, `e-07`), so that every number of the array has the same shape.
public struct TensorNumberStyle: Sendable, Equatable {
    /// Scientific notation: the mantissa's fraction digits and the exponent's digits, common to the array.
    public let scientific: (fraction: Int, exponent: Int)?

    public static func == (a: TensorNumberStyle, b: TensorNumberStyle) -> Bool {
        a.scientific?.fraction == b.scientific?.fraction && a.scientific?.exponent == b.scientific?.exponent
    }

    /// The style NumPy would choose for these elements (the ones an elided array shows).
    public init(_ elements: [Double]) {
        let magnitudes = elements.filter { $0.isFinite && $0 != 0 }.map { Swift.abs($0) }
        guard let largest = magnitudes.max(), let smallest = magnitudes.min(),
              largest >= 1e8 || smallest < 1e-4 || largest / smallest > 1e3 else {
            scientific = nil
            return
        }
        var fraction = 1, exponent = 2
        for x in elements where x.isFinite {
            let digits = TensorNumberStyle.shortestDigits(x)
            fraction = Swift.max(fraction, digits.digits.count - 1)
            exponent = Swift.max(exponent, String(Swift.abs(digits.exponent)).count)
        }
        scientific = (fraction, exponent)
    }

    /// The text of one element in this style; `nan`, `inf` and `-inf` as they are.
    public func text(_ x: Double) -> String {
        guard let scientific, x.isFinite else { return Tensor.formatElement(x) }
        let (digits, exponent) = TensorNumberStyle.shortestDigits(x)
        let first = digits.prefix(1)
        let rest = digits.dropFirst()
        let fraction = rest + String(repeating: "0", count: Swift.max(0, scientific.fraction - rest.count))
        let power = String(Swift.abs(exponent))
        let paddedPower = String(repeating: "0", count: Swift.max(0, scientific.exponent - power.count)) + power
        return (x.sign == .minus ? "-" : "") + first + "." + fraction + "e" + (exponent < 0 ? "-" : "+") + paddedPower
    }

    /// The shortest significant digits that read back as `x` (Swift's `description`, the same
    /// digits as Python's `repr`), without sign or trailing zeros, and the decimal exponent of the
    /// first: 0.00125 is ("125", -3), 600000000 is ("6", 8), 0 is ("0", 0).
    static func shortestDigits(_ x: Double) -> (digits: String, exponent: Int) {
        if x == 0 { return ("0", 0) }
        let text = Swift.abs(x).description
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        let parts = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let integer = parts[0]
        let all = integer + (parts.count > 1 ? parts[1] : "")
        guard let lead = all.firstIndex(where: { $0 != "0" }) else { return ("0", 0) }
        exponent += integer.count - 1 - all.distance(from: all.startIndex, to: lead)
        var digits = String(all[lead...])
        while digits.count > 1, digits.hasSuffix("0") { digits.removeLast() }
        return (digits, exponent)
    }
}
