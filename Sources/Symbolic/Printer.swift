import ExprParse

/// Text plus how tightly it binds, so that parents add exactly the parentheses they need.
public struct Printed: Sendable {
    public var text: String
    public var precedence: Int

    public init(_ text: String, _ precedence: Int) {
        self.text = text
        self.precedence = precedence
    }

    /// Binding strengths shared by every dialect (the input language's, which Python and Swift
    /// agree with for these operators).
    public enum Level {
        public static let sum = 10
        /// NumPy's `@`: tighter than `+` and `-`, but an operand of `*`, `/` or a unary minus is
        /// grouped, since `u * W @ x` means `(u * W) @ x` (Python gives `@` the level of `*`).
        public static let matmul = 15
        public static let product = 20
        public static let unary = 30
        public static let power = 40
        public static let atom = 50
    }

    /// The text, parenthesised when it binds looser than `level`.
    public func wrapped(below level: Int) -> String { precedence < level ? "(\(text))" : text }
}

/// How one target language spells the math. The `Printer` decides structure (sign handling,
/// numerators and denominators, parentheses by precedence); a dialect only spells leaves,
/// calls and the operators that differ between languages.
public protocol Dialect {
    /// An op on whole arrays; the default spells it in the input language (`W @ x`, `W.T`,
    /// `sum(x, axis=1)`), which NumPy reads the same way.
    func tensor(_ op: TensorOp, _ args: [Printed], shapes: [TensorShape]) -> Printed
    /// A non-negative number (the printer handles signs).
    func number(_ value: Number) -> Printed
    func constant(_ constant: NamedConstant) -> Printed
    func variable(_ name: String) -> Printed
    /// A call of `function` on arguments printed at the lowest precedence.
    func call(_ function: Function, _ arguments: [String]) -> Printed
    /// `base ^ exponent`; the dialect wraps its operands as its own syntax requires.
    func power(_ base: Printed, _ exponent: Printed) -> Printed
    /// The text between factors, e.g. `*` or ` * `.
    var times: String { get }
    /// The text between a numerator and a denominator, e.g. `/` or ` / `.
    var over: String { get }
    /// A quotient; the default writes `num over den` with infix parentheses.
    func quotient(_ numerator: Printed, _ denominator: Printed) -> Printed
    /// `text` in the parentheses a parent puts around a looser-binding child; `(text)` by
    /// default. LaTeX needs `\left(text\right)`, so that they grow around a fraction.
    func grouped(_ text: String) -> String
    /// The text between two adjacent factors, given as printed; `times` by default. LaTeX
    /// writes `2 x` but must write `2 \cdot 3`, and only the neighbours can tell which.
    func times(between left: String, and right: String) -> String
    /// Whether a fractional coefficient is split across the line, `2*x/3` (how a TA writes it),
    /// rather than printed as one constant, `2/3 * x` (how code must compute it: the evaluator
    /// multiplies by the constant, and `3 * x / 10` rounds differently and overflows sooner).
    var splitsCoefficients: Bool { get }
}

extension Dialect {
    /// `(text)`: every language but LaTeX.
    public func grouped(_ text: String) -> String { "(\(text))" }
    /// `times`, whatever the neighbours.
    public func times(between left: String, and right: String) -> String { times }
    /// Split, as a TA writes it.
    public var splitsCoefficients: Bool { true }

    /// The text of `printed`, grouped when it binds looser than `level`.
    public func wrap(_ printed: Printed, below level: Int) -> String {
        printed.precedence < level ? grouped(printed.text) : printed.text
    }

    public func quotient(_ numerator: Printed, _ denominator: Printed) -> Printed {
        Printed(wrap(numerator, below: Printed.Level.product) + over + wrap(denominator, below: Printed.Level.unary),
                Printed.Level.product)
    }
}

/// symdiff's own input language: what `grad` prints and what parses back.
///
/// `spaced` puts spaces around `*` and `/` as staged equations do (`b = a * z`); closed forms
/// use the compact style (`2*x*z^3`). `+` and `-` always have spaces.
public struct InputLanguage: Dialect {
    public var spaced: Bool

    public init(spaced: Bool = false) { self.spaced = spaced }

    public func number(_ value: Number) -> Printed {
        switch value {
        case .rational(let r):
            return r.isInteger ? Printed(r.description, Printed.Level.atom) : Printed("\(r.numerator)/\(r.denominator)", Printed.Level.product)
        case .real(let d):
            return Printed(Number.format(d), Printed.Level.atom)
        }
    }

    public func constant(_ constant: NamedConstant) -> Printed { Printed(constant.name, Printed.Level.atom) }
    public func variable(_ name: String) -> Printed { Printed(name, Printed.Level.atom) }

    public func call(_ function: Function, _ arguments: [String]) -> Printed {
        Printed("\(function.name)(\(arguments.joined(separator: ", ")))", Printed.Level.atom)
    }

    public func power(_ base: Printed, _ exponent: Printed) -> Printed {
        Printed(base.wrapped(below: Printed.Level.atom) + "^" + exponent.wrapped(below: Printed.Level.unary), Printed.Level.power)
    }

    public var times: String { spaced ? " * " : "*" }
    public var over: String { spaced ? " / " : "/" }
}

extension Dialect {
    public func tensor(_ op: TensorOp, _ args: [Printed], shapes: [TensorShape]) -> Printed {
        op.printed(args, shapes: shapes)
    }
}
