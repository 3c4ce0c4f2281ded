#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exact fraction of two 64-bit integers, always in lowest terms with a positive denominator.
///
/// Worksheet constants (`3x^2`, `1/2`, `2/3`, `0.1`) stay exact through simplification so that a
/// printed gradient shows `1/2`, never `0.5000000001`. Every operation reports overflow by
/// returning `nil`; callers then fall back to `Double` (see `Number`), so exact arithmetic can
/// never grow without bound.
public struct Rational: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let numerator: Int64
    public let denominator: Int64

    /// Creates `numerator/denominator` in lowest terms; `nil` for a zero denominator or when
    /// normalising overflows (`Int64.min` cannot be negated).
    public init?(_ numerator: Int64, _ denominator: Int64 = 1) {
        guard denominator != 0, numerator != .min, denominator != .min else { return nil }
        let divisor = Rational.gcd(Swift.abs(numerator), Swift.abs(denominator))
        var n = numerator / divisor
        var d = denominator / divisor
        if d < 0 { n = -n; d = -d }
        self.numerator = n
        self.denominator = d
    }

    public static let zero = Rational(unchecked: 0, 1)
    public static let one = Rational(unchecked: 1, 1)
    public static let minusOne = Rational(unchecked: -1, 1)
    public static let half = Rational(unchecked: 1, 2)

    private init(unchecked numerator: Int64, _ denominator: Int64) {
        self.numerator = numerator
        self.denominator = denominator
    }

    /// Parses a decimal literal such as `3`, `3.14`, `.5`, `1e-3` or `2.5E+4` exactly, or returns
    /// `nil` when it does not fit in 64-bit numerator and denominator.
    public init?(decimal text: String) {
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            guard let parsed = Int(text[text.index(after: e)...]), Swift.abs(parsed) <= 36 else { return nil }
            exponent = parsed
        }
        var digits = ""
        if let dot = mantissa.firstIndex(of: ".") {
            let fraction = mantissa[mantissa.index(after: dot)...]
            digits = String(mantissa[..<dot]) + fraction
            exponent -= fraction.count
        } else {
            digits = String(mantissa)
        }
        // Leading zeros are harmless; strip them so long literals like 0.000001 still fit.
        let trimmed = digits.drop(while: { $0 == "0" })
        guard trimmed.count <= 18 else { return nil }
        guard let value = trimmed.isEmpty ? 0 : Int64(trimmed) else { return nil }
        guard let scale = Rational.powerOfTen(Swift.abs(exponent)) else { return nil }
        if exponent >= 0 {
            let (product, overflow) = value.multipliedReportingOverflow(by: scale)
            guard !overflow else { return nil }
            self.init(product, 1)
        } else {
            self.init(value, scale)
        }
    }

    private static func powerOfTen(_ n: Int) -> Int64? {
        var result: Int64 = 1
        for _ in 0..<n {
            let (product, overflow) = result.multipliedReportingOverflow(by: 10)
            if overflow { return nil }
            result = product
        }
        return result
    }

    static func gcd(_ a: Int64, _ b: Int64) -> Int64 {
        var (a, b) = (a, b)
        while b != 0 { (a, b) = (b, a % b) }
        return a == 0 ? 1 : a
    }

    public var isInteger: Bool { denominator == 1 }
    public var isZero: Bool { numerator == 0 }
    public var isOne: Bool { numerator == 1 && denominator == 1 }
    public var isNegative: Bool { numerator < 0 }
    /// The nearest Double, correctly rounded as a literal is: `Double(n) / Double(d)` when both
    /// parts are exact Doubles (IEEE division rounds once), else the exact decimal text read by
    /// the correctly rounding `Double(String)`. Dividing rounded parts would round twice, and
    /// `0.1234567890123456789` would then differ in the last bit from the same literal in
    /// emitted code.
    public var doubleValue: Double {
        let exact: Int64 = 1 << 53
        if Swift.abs(numerator) <= exact && denominator <= exact { return Double(numerator) / Double(denominator) }
        if let text = decimalText, let value = Double(text) { return value }
        return Double(numerator) / Double(denominator)
    }

    /// The exact decimal spelling (`0.3`, `-0.109`, `12.5`) when the fraction terminates and
    /// its digits fit 64 bits, `nil` otherwise (`1/3`). Emitters write decimals this way, so
    /// `0.3*x` stays one literal times x, as the evaluator computes it.
    public var decimalText: String? {
        if isInteger { return "\(numerator)" }
        var rest = denominator, twos = 0, fives = 0
        while rest % 2 == 0 { rest /= 2; twos += 1 }
        while rest % 5 == 0 { rest /= 5; fives += 1 }
        guard rest == 1 else { return nil }
        // n/d = n * 2^(k-twos) * 5^(k-fives) / 10^k with k digits after the point.
        let places = Swift.max(twos, fives)
        var scaled = Swift.abs(numerator)
        for _ in 0 ..< places - twos {
            let (product, overflow) = scaled.multipliedReportingOverflow(by: 2)
            guard !overflow else { return nil }
            scaled = product
        }
        for _ in 0 ..< places - fives {
            let (product, overflow) = scaled.multipliedReportingOverflow(by: 5)
            guard !overflow else { return nil }
            scaled = product
        }
        // Written digit by digit from the right: emitters print one of these per constant of a
        // 10^5-weight network, and the String operations (count, padding, insert) cost ten times more.
        var integerDigits = 1
        var whole = scaled
        for _ in 0 ..< places { whole /= 10 }
        while whole >= 10 { whole /= 10; integerDigits += 1 }
        let sign = isNegative ? 1 : 0
        let length = sign + integerDigits + 1 + places
        return String(unsafeUninitializedCapacity: length) { buffer in
            var n = scaled
            var position = length - 1
            for _ in 0 ..< places {
                buffer[position] = UInt8(ascii: "0") + UInt8(n % 10)
                n /= 10
                position -= 1
            }
            buffer[position] = UInt8(ascii: ".")
            position -= 1
            while position >= sign {
                buffer[position] = UInt8(ascii: "0") + UInt8(n % 10)
                n /= 10
                position -= 1
            }
            if sign == 1 { buffer[0] = UInt8(ascii: "-") }
            return length
        }
    }

    public var negated: Rational { Rational(unchecked: -numerator, denominator) }
    public var magnitude: Rational { isNegative ? negated : self }

    public func adding(_ other: Rational) -> Rational? {
        let (a, o1) = numerator.multipliedReportingOverflow(by: other.denominator)
        let (b, o2) = other.numerator.multipliedReportingOverflow(by: denominator)
        let (n, o3) = a.addingReportingOverflow(b)
        let (d, o4) = denominator.multipliedReportingOverflow(by: other.denominator)
        guard !(o1 || o2 || o3 || o4) else { return nil }
        return Rational(n, d)
    }

    public func multiplied(by other: Rational) -> Rational? {
        // Cross-reduce first so that products of reduced fractions overflow as late as possible.
        let g1 = Rational.gcd(Swift.abs(numerator), other.denominator)
        let g2 = Rational.gcd(Swift.abs(other.numerator), denominator)
        let (n, o1) = (numerator / g1).multipliedReportingOverflow(by: other.numerator / g2)
        let (d, o2) = (denominator / g2).multipliedReportingOverflow(by: other.denominator / g1)
        guard !(o1 || o2) else { return nil }
        return Rational(n, d)
    }

    public var reciprocal: Rational? { Rational(denominator, numerator) }

    public func divided(by other: Rational) -> Rational? {
        other.reciprocal.flatMap { multiplied(by: $0) }
    }

    /// `self^exponent` for an integer exponent, exactly, or `nil` on overflow or `0^negative`.
    public func power(_ exponent: Int64) -> Rational? {
        if exponent == 0 { return .one }
        if exponent < 0 { return reciprocal?.power(exponent == .min ? .max : -exponent) }
        if isZero || isOne { return self }
        if self == .minusOne { return exponent % 2 == 0 ? .one : self }
        // Beyond 63 doublings even 2^n overflows, so stop before looping on huge exponents.
        guard exponent <= 64 else { return nil }
        var result = Rational.one
        for _ in 0..<exponent {
            guard let next = result.multiplied(by: self) else { return nil }
            result = next
        }
        return result
    }

    /// The exact `q`-th root when it exists (`8` and `3` give `2`; `4/9` and `2` give `2/3`).
    public func root(_ q: Int64) -> Rational? {
        guard q >= 1, q <= 64 else { return nil }
        if q == 1 { return self }
        if isNegative { return q % 2 == 1 ? magnitude.root(q)?.negated : nil }
        guard let n = Rational.integerRoot(numerator, q), let d = Rational.integerRoot(denominator, q) else { return nil }
        return Rational(n, d)
    }

    private static func integerRoot(_ value: Int64, _ q: Int64) -> Int64? {
        // Double gets within one of the true root for every Int64, so check the neighbours exactly.
        let guess = Int64(LibM.pow(Double(value), 1 / Double(q)).rounded())
        for candidate in Swift.max(0, guess - 1)...(guess + 1) {
            var product: Int64 = 1
            var overflow = false
            for _ in 0..<q {
                let (p, o) = product.multipliedReportingOverflow(by: candidate)
                if o { overflow = true; break }
                product = p
            }
            if !overflow && product == value { return candidate }
        }
        return nil
    }

    public static func < (lhs: Rational, rhs: Rational) -> Bool {
        // Compare exactly when possible, in Double only when the cross products overflow.
        let (a, o1) = lhs.numerator.multipliedReportingOverflow(by: rhs.denominator)
        let (b, o2) = rhs.numerator.multipliedReportingOverflow(by: lhs.denominator)
        if o1 || o2 { return lhs.doubleValue < rhs.doubleValue }
        return a < b
    }

    public var description: String { isInteger ? "\(numerator)" : "\(numerator)/\(denominator)" }
}
