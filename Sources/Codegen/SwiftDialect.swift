import ExprParse
import Symbolic

/// How Swift with Foundation spells the math, on `Double`.
///
/// Two Swift rules shape it: every number has a decimal point, so that no literal is inferred
/// as `Int`; and binary operators always have spaces on both sides, because Swift lexes `*-`
/// as one (undefined) operator, so `a * -b` must never be written `a*-b`.
public struct SwiftDialect: Dialect {
    /// The Swift dialect.
    public init() {}

    /// `2.0`, `0.3`, `1.0 / 3.0`: a decimal literal and a division of two exact Doubles are
    /// both correctly rounded, as the evaluator's value is.
    public func number(_ value: Number) -> Printed {
        switch value {
        case .rational(let r):
            if r.isInteger { return Printed("\(r.numerator).0", Printed.Level.atom) }
            if let decimal = r.decimalText { return Printed(decimal, Printed.Level.atom) }
            return Printed("\(r.numerator).0 / \(r.denominator).0", Printed.Level.product)
        case .real(let d):
            if d.isNaN { return Printed("Double.nan", Printed.Level.atom) }
            if d.isInfinite { return Printed(d < 0 ? "-Double.infinity" : "Double.infinity", d < 0 ? Printed.Level.unary : Printed.Level.atom) }
            let text = Number.format(d)
            let isFloatLiteral = text.contains(".") || text.contains("e") || text.contains("E")
            return Printed(isFloatLiteral ? text : text + ".0", Printed.Level.atom)
        }
    }

    /// `Double.pi`, and e as `exp(1.0)`: glibc's correctly rounded exp(1) is the evaluator's
    /// constant, and it avoids the platform-dependent `M_E`.
    public func constant(_ constant: NamedConstant) -> Printed {
        switch constant {
        case .pi: return Printed("Double.pi", Printed.Level.atom)
        case .e: return Printed("exp(1.0)", Printed.Level.atom)
        }
    }

    /// Names are printed as given (the driver has already renamed reserved ones).
    public func variable(_ name: String) -> Printed { Printed(name, Printed.Level.atom) }

    /// Every function of the language with Foundation and the standard library. Spellings
    /// that repeat an argument (see `SwiftEmitter.repeatsArgument`) get plain names from the
    /// driver; anything else is parenthesised so the text stays correct, if repeated.
    public func call(_ function: Function, _ arguments: [String]) -> Printed {
        let a = OperandText.grouped(arguments.first ?? "")
        let b = OperandText.grouped(arguments.count > 1 ? arguments[1] : "")
        let plain = arguments.first ?? ""
        switch function {
        case .ln: return called("log", plain)
        case .log2: return called("log2", plain)
        case .log10: return called("log10", plain)
        case .exp: return called("exp", plain)
        case .sqrt: return called("sqrt", plain)
        case .sin: return called("sin", plain)
        case .cos: return called("cos", plain)
        case .tan: return called("tan", plain)
        case .asin: return called("asin", plain)
        case .acos: return called("acos", plain)
        case .atan: return called("atan", plain)
        case .sinh: return called("sinh", plain)
        case .cosh: return called("cosh", plain)
        case .tanh: return called("tanh", plain)
        case .sigmoid: return Printed("1.0 / (1.0 + exp(-\(a)))", Printed.Level.product)
        // Swift's max(x, y) is `y >= x ? y : x`, so a NaN first argument comes back as NaN.
        case .relu: return called("max", plain, "0.0")
        case .abs: return called("abs", plain)
        // ln(1 + e^a) without overflow, the evaluator's formula.
        case .softplus: return Printed("max(\(a), 0.0) + log1p(exp(-abs(\(a))))", Printed.Level.sum)
        case .sign: return conditional("\(a) > 0.0 ? 1.0 : (\(a) < 0.0 ? -1.0 : (\(member(a)).isNaN ? \(a) : 0.0))")
        case .step: return conditional("\(a) > 0.0 ? 1.0 : (\(member(a)).isNaN ? \(a) : 0.0)")
        // Swift's max and min drop a NaN second argument; the evaluator (and NumPy) propagate it.
        case .max: return conditional("\(member(a)).isNaN || \(member(b)).isNaN ? Double.nan : max(\(a), \(b))")
        case .min: return conditional("\(member(a)).isNaN || \(member(b)).isNaN ? Double.nan : min(\(a), \(b))")
        case .pow: return called("pow", plain, arguments.count > 1 ? arguments[1] : "")
        // The evaluator's a*ln(b) with xlogy(0, b) = 0 unless b is NaN.
        case .stopGradient: return Printed(a, OperandText.isAtomic(a) ? Printed.Level.atom : Printed.Level.sum)
        case .xlogy: return conditional("\(a) == 0.0 ? (\(member(b)).isNaN ? \(b) : 0.0) : \(a) * log(\(b))")
        }
    }

    /// A call, which binds like an atom.
    private func called(_ name: String, _ arguments: String...) -> Printed {
        Printed("\(name)(\(arguments.joined(separator: ", ")))", Printed.Level.atom)
    }

    /// A `?:` expression, which binds looser than any operator: the printer parenthesises it
    /// everywhere but at the top of a statement.
    private func conditional(_ text: String) -> Printed { Printed(text, 0) }

    /// `pow(a, b)` from Foundation, as the evaluator computes every power.
    ///
    /// Squares and cubes of a name are written as products: `pow(z, 3.0)` costs about 20 ns a
    /// call, `z * z * z` about 1 (and agrees with the correctly rounded pow to an ulp or two).
    public func power(_ base: Printed, _ exponent: Printed) -> Printed {
        if base.precedence == Printed.Level.atom, base.text.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }),
           let n = ["2.0": 2, "3.0": 3][exponent.text] {
            return Printed(Array(repeating: base.text, count: n).joined(separator: " * "), Printed.Level.product)
        }
        return Printed("pow(\(base.text), \(exponent.text))", Printed.Level.atom)
    }

    /// Coefficients as one constant: see `Dialect.splitsCoefficients`.
    public var splitsCoefficients: Bool { false }

    /// Spaced: see the type's documentation.
    public var times: String { " * " }
    /// Spaced: see the type's documentation.
    public var over: String { " / " }

    /// `text` as the receiver of a member access: `2.0.isNaN` does not lex, `(2.0).isNaN` does.
    private func member(_ text: String) -> String {
        guard let first = text.first, first.isNumber else { return text }
        return "(\(text))"
    }
}
