#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A numeric constant in the graph: exact while it can be, a Double once it cannot.
///
/// Arithmetic on two rationals stays rational unless the result overflows 64-bit parts, in
/// which case it falls back to Double; anything involving a Double is a Double. This keeps
/// `2/3*x` printing as `2*x/3` while bounding the cost of `2^2^2^2^2^2`-style growth.
public enum Number: Hashable, Sendable, CustomStringConvertible {
    case rational(Rational)
    case real(Double)

    public static let zero = Number.rational(.zero)
    public static let one = Number.rational(.one)
    public static let minusOne = Number.rational(.minusOne)

    public init(_ value: Int64) {
        self = Rational(value).map(Number.rational) ?? .real(Double(value))
    }

    /// The literal's exact value when it is a terminating decimal that fits, else its Double.
    public init(literal text: String, value: Double) {
        self = Rational(decimal: text).map(Number.rational) ?? .real(value)
    }

    public var doubleValue: Double {
        switch self {
        case .rational(let r): return r.doubleValue
        case .real(let d): return d
        }
    }

    public var rational: Rational? {
        if case .rational(let r) = self { return r }
        return nil
    }

    public var isZero: Bool { doubleValue == 0 }
    public var isOne: Bool { self == .one || self == .real(1) }
    public var isNegative: Bool { doubleValue < 0 }
    public var isInteger: Bool { rational?.isInteger ?? false }

    public static func + (a: Number, b: Number) -> Number {
        if let x = a.rational, let y = b.rational, let r = x.adding(y) { return .rational(r) }
        return .real(a.doubleValue + b.doubleValue)
    }

    public static func * (a: Number, b: Number) -> Number {
        if let x = a.rational, let y = b.rational, let r = x.multiplied(by: y) { return .rational(r) }
        return .real(a.doubleValue * b.doubleValue)
    }

    public static prefix func - (a: Number) -> Number {
        switch a {
        case .rational(let r): return .rational(r.negated)
        case .real(let d): return .real(-d)
        }
    }

    /// `a/b`, or `nil` for a zero divisor: folding must not invent an infinity that evaluation
    /// would report (the unfolded node evaluates to the same IEEE result later).
    public static func / (a: Number, b: Number) -> Number? {
        if b.isZero { return nil }
        if let x = a.rational, let y = b.rational, let r = x.divided(by: y) { return .rational(r) }
        return .real(a.doubleValue / b.doubleValue)
    }

    /// `self^exponent` when it is exactly representable as a rational; `nil` otherwise, so the
    /// power stays symbolic (`2^(1/2)` stays `sqrt(2)`, `2^65536` stays unevaluated).
    public func exactPower(_ exponent: Number) -> Number? {
        guard let base = rational, let e = exponent.rational else { return nil }
        if base.isZero && !e.isNegative && !e.isZero { return .zero }
        guard let raised = base.power(e.numerator) else { return nil }
        if e.denominator == 1 { return .rational(raised) }
        // IEEE pow gives NaN for a negative base and a fractional exponent; folding (-8)^(1/3)
        // to -2 would make simplified and unsimplified code disagree, so leave it alone.
        guard !base.isNegative else { return nil }
        return raised.root(e.denominator).map(Number.rational)
    }

    public var description: String {
        switch self {
        case .rational(let r): return r.description
        case .real(let d): return Number.format(d)
        }
    }

    /// Shortest round-tripping text for a Double, in a form the input language parses
    /// (`1e-300`, `0.1`, `3`, `inf`/`nan` are left to callers).
    public static func format(_ d: Double) -> String {
        if d == d.rounded(), Swift.abs(d) < 1e15 { return String(Int64(d)) }
        var text = "\(d)"
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }
}
