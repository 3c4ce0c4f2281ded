import ExprParse
import Symbolic

/// How NumPy-style Python spells the math: plain NumPy calls, nothing the user must supply.
///
/// Python's own `**` and `/` follow the same precedence as symdiff's language (`-x**2` is
/// `-(x**2)`), so only leaves, calls and powers differ.
public struct NumPyDialect: Dialect {
    /// The NumPy dialect.
    public init() {}

    /// Integers as `2`, terminating fractions as the decimal they are (`0.3`), others as `1/3`:
    /// Python reads a decimal literal and divides two integers correctly rounded, so each is
    /// exactly the evaluator's Double.
    public func number(_ value: Number) -> Printed {
        switch value {
        case .rational(let r):
            // Python keeps int arithmetic exact, the evaluator (and every other target) works in
            // Double: `10**17 + 1 - 10**17` would be 1 in Python and 0 everywhere else. Large
            // integers are therefore written as floats, and integer bases of powers too.
            if r.isInteger && Swift.abs(r.numerator) >= 1 << 26 { return Printed("\(Double(r.numerator))", Printed.Level.atom) }
            if r.isInteger { return Printed(r.description, Printed.Level.atom) }
            if let decimal = r.decimalText { return Printed(decimal, Printed.Level.atom) }
            return Printed("\(r.numerator)/\(r.denominator)", Printed.Level.product)
        case .real(let d):
            if d.isNaN { return Printed("np.nan", Printed.Level.atom) }
            if d.isInfinite { return Printed(d < 0 ? "-np.inf" : "np.inf", d < 0 ? Printed.Level.unary : Printed.Level.atom) }
            return Printed(Number.format(d), Printed.Level.atom)
        }
    }

    /// `np.pi` and `np.e`.
    public func constant(_ constant: NamedConstant) -> Printed {
        switch constant {
        case .pi: return Printed("np.pi", Printed.Level.atom)
        case .e: return Printed("np.e", Printed.Level.atom)
        }
    }

    /// Names are printed as given (the driver has already renamed reserved ones).
    public func variable(_ name: String) -> Printed { Printed(name, Printed.Level.atom) }

    /// Every function of the language in plain NumPy; kinks follow symdiff's conventions
    /// (`heaviside(0, 0.0)` is 0, as step(0) is), and NaN propagates as in the evaluator.
    public func call(_ function: Function, _ arguments: [String]) -> Printed {
        let a = arguments.first ?? ""
        let b = arguments.count > 1 ? arguments[1] : ""
        let text: String
        switch function {
        case .ln: text = "np.log(\(a))"
        case .log2: text = "np.log2(\(a))"
        case .log10: text = "np.log10(\(a))"
        case .exp: text = "np.exp(\(a))"
        case .sqrt: text = "np.sqrt(\(a))"
        case .sin: text = "np.sin(\(a))"
        case .cos: text = "np.cos(\(a))"
        case .tan: text = "np.tan(\(a))"
        case .asin: text = "np.arcsin(\(a))"
        case .acos: text = "np.arccos(\(a))"
        case .atan: text = "np.arctan(\(a))"
        case .sinh: text = "np.sinh(\(a))"
        case .cosh: text = "np.cosh(\(a))"
        case .tanh: text = "np.tanh(\(a))"
        // e^min(a, 0) / (1 + e^-|a|): 1/(1 + e^-a) for a >= 0 and e^a/(1 + e^a) below, the
        // evaluator's two branches, so the values agree bit for bit, and no exp ever overflows
        // (1/(1 + e^-a) did for a < -709: the value was right, but NumPy warned, and raised under
        // np.seterr). The argument is read twice, so it arrives as a name
        // (`NumPyEmitter.repeatsArgument`).
        // A quotient, so it carries the product level: `sigmoid(c)^-1` must group it.
        case .sigmoid: return Printed("np.exp(np.minimum(\(a), 0.0)) / (1 + np.exp(-np.abs(\(a))))", Printed.Level.product)
        case .relu: text = "np.maximum(\(a), 0.0)"
        case .abs: text = "np.abs(\(a))"
        // ln(1 + e^a), computed by NumPy as max(a, 0) + log1p(exp(-|a|)), like the evaluator.
        case .softplus: text = "np.logaddexp(0.0, \(a))"
        case .sign: text = "np.sign(\(a))"
        case .step: text = "np.heaviside(\(a), 0.0)"
        case .max: text = "np.maximum(\(a), \(b))"
        case .min: text = "np.minimum(\(a), \(b))"
        case .pow: text = "np.power(\(a), \(b))"
        // Only the derivative differs from the identity; the generated backward pass has none.
        case .stopGradient: return Printed(a, OperandText.isAtomic(a) ? Printed.Level.atom : Printed.Level.sum)
        // a*ln(b), 0 where a is 0 and b is not NaN (`b == b` is false only for NaN): the
        // logarithm reads 1 there, so NumPy never evaluates log(0) (no warning) and 0 * log(1)
        // is 0. Arguments arrive as names (`NumPyEmitter.repeatsArgument`).
        case .xlogy:
            let (x, y) = (OperandText.grouped(a), OperandText.grouped(b))
            return Printed("\(x) * np.log(np.where(np.logical_and(\(x) == 0, \(y) == \(y)), 1.0, \(y)))", Printed.Level.product)
        }
        return Printed(text, Printed.Level.atom)
    }

    /// `a**n` for an integer literal `n`; `np.power(a, b)` otherwise, because Python's `**` on
    /// a negative float and a fractional exponent returns a complex number where NumPy (and the
    /// evaluator) give NaN.
    public func power(_ base: Printed, _ exponent: Printed) -> Printed {
        if NumPyDialect.isIntegerLiteral(exponent.text) {
            // The base keeps its level: `(-3.0)**2` is 9, `-3.0**2` is -(3.0**2) in Python.
            let floatBase = NumPyDialect.isIntegerLiteral(base.text) ? Printed(base.text + ".0", base.precedence) : base
            return Printed(floatBase.wrapped(below: Printed.Level.atom) + "**" + exponent.text, Printed.Level.power)
        }
        return Printed("np.power(\(base.text), \(exponent.text))", Printed.Level.atom)
    }

    /// Coefficients as one constant: see `Dialect.splitsCoefficients`.
    public var splitsCoefficients: Bool { false }

    /// Spaced, as staged equations read best (`out = a * z`).
    public var times: String { " * " }
    /// Spaced, like `times`.
    public var over: String { " / " }

    static func isIntegerLiteral(_ text: String) -> Bool {
        let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        return !digits.isEmpty && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }
}
