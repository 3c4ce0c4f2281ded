import ExprParse
import Symbolic

/// How LaTeX math mode spells the math, for `symdiff grad --format latex`.
///
/// `Printer(graph, LaTeXDialect()).render(node)` gives text to put between `$ $`:
/// ```
/// 2*x*z^3                    2 x z^{3}
/// sigmoid(x)*(1 - sigmoid(x)) \sigma(x) \left(1 - \sigma(x)\right)
/// t^2 + 2/t                  t^{2} + \frac{2}{t}
/// ```
/// Choices, each for readability without ambiguity:
/// - Factors are separated by a space, as a textbook writes `2 x`, except that a factor
///   starting with a digit gets `\cdot` (`2 \cdot 3`, `x \cdot 2^{y}`), as does a fraction
///   after a number (`2 \cdot \frac{1}{3}` is not the mixed number 2⅓).
/// - Grouping parentheses are `\left( \right)`, so they grow around a fraction; a call keeps
///   plain ones (`\sin(x)`) unless its argument holds a fraction.
/// - Quotients are `\frac{}{}`, whose braces already group, so neither side gets parentheses.
/// - Names follow `LaTeXDialect.identifier(_:)`.
///
/// See also `latexPartialLine(output:variable:body:)`.
public struct LaTeXDialect: Dialect {
    /// The LaTeX dialect.
    public init() {}

    /// Integers as digits, fractions as `\frac{1}{3}`, non-finite values by name, and
    /// scientific notation as `1.5 \cdot 10^{-300}`.
    public func number(_ value: Number) -> Printed {
        switch value {
        case .rational(let r):
            if r.isInteger { return Printed(r.description, Printed.Level.atom) }
            let sign = r.isNegative ? "-" : ""
            let magnitude = r.isNegative ? r.negated : r
            return Printed("\(sign)\\frac{\(magnitude.numerator)}{\(magnitude.denominator)}",
                           r.isNegative ? Printed.Level.unary : LaTeXDialect.fractionLevel)
        case .real(let d):
            return LaTeXDialect.real(d)
        }
    }

    /// A fraction binds like a power: a product or a minus sign needs no parentheses around
    /// it, but a power's base does (`\left(\frac{1}{2}\right)^{2}`).
    static let fractionLevel = Printed.Level.power

    private static func real(_ d: Double) -> Printed {
        if d.isNaN { return Printed("\\mathrm{NaN}", Printed.Level.atom) }
        if d.isInfinite { return Printed(d < 0 ? "-\\infty" : "\\infty", d < 0 ? Printed.Level.unary : Printed.Level.atom) }
        let text = Number.format(d)
        let sign = text.hasPrefix("-") ? "-" : ""
        let unsigned = sign.isEmpty ? text : String(text.dropFirst())
        guard let e = unsigned.firstIndex(where: { $0 == "e" || $0 == "E" }) else {
            return Printed(text, sign.isEmpty ? Printed.Level.atom : Printed.Level.unary)
        }
        let mantissa = unsigned[..<e]
        var exponent = unsigned[unsigned.index(after: e)...]
        if exponent.hasPrefix("+") { exponent = exponent.dropFirst() }
        let power = "10^{\(exponent)}"
        if !sign.isEmpty { return Printed("-" + (mantissa == "1" ? power : "\(mantissa) \\cdot \(power)"), Printed.Level.unary) }
        return mantissa == "1" ? Printed(power, Printed.Level.power) : Printed("\(mantissa) \\cdot \(power)", Printed.Level.product)
    }

    /// `\pi` and `e`.
    public func constant(_ constant: NamedConstant) -> Printed {
        switch constant {
        case .pi: return Printed("\\pi", Printed.Level.atom)
        case .e: return Printed("e", Printed.Level.atom)
        }
    }

    /// The name as `LaTeXDialect.identifier(_:)` writes it (`theta` → `\theta`, `x1` → `x_{1}`).
    public func variable(_ name: String) -> Printed { Printed(LaTeXDialect.identifier(name), Printed.Level.atom) }

    /// Standard operator names where LaTeX has them (`\ln`, `\arcsin`, `\max`), `\operatorname`
    /// for the rest; `e^{x}` for exp and `\sigma(x)` for the sigmoid, as course notes write them.
    public func call(_ function: Function, _ arguments: [String]) -> Printed {
        let a = arguments.first ?? ""
        let b = arguments.count > 1 ? arguments[1] : ""
        switch function {
        case .ln: return applied("\\ln", a)
        case .log2: return applied("\\log_{2}", a)
        case .log10: return applied("\\log_{10}", a)
        // e^{x} reads better than \exp(x) in every worksheet answer (sigma' = e^{-x} / ...).
        case .exp: return Printed("e^{\(a)}", Printed.Level.power)
        case .sqrt: return Printed("\\sqrt{\(a)}", Printed.Level.atom)
        case .sin: return applied("\\sin", a)
        case .cos: return applied("\\cos", a)
        case .tan: return applied("\\tan", a)
        case .asin: return applied("\\arcsin", a)
        case .acos: return applied("\\arccos", a)
        case .atan: return applied("\\arctan", a)
        case .sinh: return applied("\\sinh", a)
        case .cosh: return applied("\\cosh", a)
        case .tanh: return applied("\\tanh", a)
        case .sigmoid: return applied("\\sigma", a)
        case .relu: return applied("\\operatorname{relu}", a)
        case .abs: return Printed("\\left|\(a)\\right|", Printed.Level.atom)
        case .softplus: return applied("\\operatorname{softplus}", a)
        case .sign: return applied("\\operatorname{sign}", a)
        // Not H(x): "step" is the language's name, and H conventions at 0 vary between texts.
        case .step: return applied("\\operatorname{step}", a)
        case .max: return applied("\\max", a + ", " + b)
        case .min: return applied("\\min", a + ", " + b)
        case .xlogy: return applied("\\operatorname{xlogy}", a + ", " + b)
        case .stopGradient: return applied("\\operatorname{sg}", a)
        // Never in a graph (`Op.pow` is used instead), but spelled the same for completeness.
        case .pow: return power(Printed(a, OperandText.isAtomic(a) ? Printed.Level.atom : Printed.Level.sum), Printed(b, Printed.Level.sum))
        }
    }

    /// Ops on whole arrays as matrix calculus writes them: `W x` for a product, `W^\\top`,
    /// `u v^\\top` for an outer product, `\\sum` with its axis, `\\operatorname{softmax}(z)`.
    public func tensor(_ op: TensorOp, _ args: [Printed], shapes: [TensorShape]) -> Printed {
        func a(_ i: Int) -> String { args[i].text }
        func atom(_ i: Int) -> String { wrap(args[i], below: Printed.Level.power) }
        switch op {
        case .linear(let l):
            switch l {
            case .matmul:
                // Juxtaposition: W x, a product binds like `*`.
                // Matrix products associate, so a chain needs no parentheses (`W^\\top W x`);
                // the level is a unary's so that a scalar factor joins it (`2 W^\\top W x`).
                return Printed(wrap(args[0], below: Printed.Level.unary) + " " + wrap(args[1], below: Printed.Level.unary), Printed.Level.unary)
            case .transpose:
                // The transposed inverse as matrix calculus writes it: A^{-\top}.
                if args[0].precedence == Printed.Level.power, args[0].text.hasSuffix("^{-1}") {
                    return Printed(String(args[0].text.dropLast(5)) + "^{-\\top}", Printed.Level.power)
                }
                return Printed(atom(0) + "^\\top", Printed.Level.power)
            case .permute(let axes): return applied("\\operatorname{transpose}_{(\(axes.map(String.init).joined(separator: ",")))}", a(0))
            // `(W x) x^\\top`: the column is grouped, as a course writes an outer product.
            case .outer: return Printed(wrap(args[0], below: Printed.Level.atom) + " " + atom(1) + "^\\top", Printed.Level.unary)
            case .dot: return Printed(atom(0) + "^\\top " + wrap(args[1], below: Printed.Level.atom), Printed.Level.unary)
            case .norm: return Printed("\\left\\lVert \(a(0)) \\right\\rVert", Printed.Level.atom)
            }
        case .reduction(let r):
            let axis = r.axis.map { "_{\($0)}" } ?? ""
            switch r {
            case .sum: return Printed("\\sum\(axis) " + wrap(args[0], below: Printed.Level.power), Printed.Level.product)
            case .mean: return applied("\\operatorname{mean}\(axis)", a(0))
            case .max: return applied("\\max\(axis)", a(0))
            case .min: return applied("\\min\(axis)", a(0))
            case .count: return Printed("n\(axis)(\(a(0)))", Printed.Level.atom)
            case .firstExtreme(let isMax, _): return applied("\\mathbb{1}[\\operatorname{arg\(isMax ? "max" : "min")}\(axis)]", a(0))
            }
        case .softmax(let s):
            switch s {
            case .softmax: return applied("\\operatorname{softmax}", a(0))
            case .logSoftmax: return applied("\\log \\operatorname{softmax}", a(0))
            case .logsumexp: return applied("\\operatorname{logsumexp}", a(0))
            case .crossEntropy: return applied("\\operatorname{CE}", a(0) + ", " + a(1))
            case .onehot(let k): return Printed("\\mathbf{e}_{\(a(0))}^{(\(k))}", Printed.Level.atom)
            }
        case .matrix(let m):
            switch m {
            case .trace: return applied("\\operatorname{tr}", a(0))
            case .inverse: return Printed(atom(0) + "^{-1}", Printed.Level.power)
            case .det: return applied("\\det", a(0))
            case .logdet: return applied("\\log\\det", a(0))
            case .identity(let n): return Printed("I_{\(n)}", Printed.Level.atom)
            }
        case .layout:
            // Layout ops read the same in both: `broadcast_to(x, (2, 3))`, `z[y]`.
            return op.printed(args, shapes: shapes)
        case .convolution:
            // The input-language call with its name as an operator (`_` escaped, or it would
            // be a subscript): \operatorname{conv2d\_input\_grad}(g, w, stride=2).
            let call = op.printed(args, shapes: shapes)
            let name = op.name.split(separator: "_", omittingEmptySubsequences: false).joined(separator: "\\_")
            return Printed("\\operatorname{\(name)}" + call.text.dropFirst(op.name.count), Printed.Level.atom)
        }
    }

    /// `name(argument)`, with growing parentheses when the argument is as tall as a fraction.
    private func applied(_ name: String, _ argument: String) -> Printed {
        let tall = argument.contains("\\frac")
        return Printed(tall ? "\(name)\\left(\(argument)\\right)" : "\(name)(\(argument))", Printed.Level.atom)
    }

    /// `base^{exponent}`: the braces group the exponent, so only the base may need parentheses.
    public func power(_ base: Printed, _ exponent: Printed) -> Printed {
        Printed(wrap(base, below: Printed.Level.atom) + "^{" + exponent.text + "}", Printed.Level.power)
    }

    /// `\frac{numerator}{denominator}`; the braces group both sides.
    public func quotient(_ numerator: Printed, _ denominator: Printed) -> Printed {
        Printed("\\frac{\(numerator.text)}{\(denominator.text)}", LaTeXDialect.fractionLevel)
    }

    /// `\left(text\right)`, so the parentheses grow with what they hold.
    public func grouped(_ text: String) -> String { "\\left(\(text)\\right)" }

    /// A space between most factors (`2 x z^{3}`); see `times(between:and:)` for `\cdot`.
    public var times: String { " " }

    /// ` \cdot ` where a space would let two factors run together: before a factor that
    /// starts with a digit (`2 \cdot 3` is not 23), before a negated factor (`a \cdot -b`
    /// is not `a - b`), and before a fraction that follows a number (`2 \cdot \frac{1}{3}` is
    /// not 2⅓).
    public func times(between left: String, and right: String) -> String {
        guard let first = right.first else { return times }
        if first == "-" || (first.isASCII && first.isNumber) { return " \\cdot " }
        if right.hasPrefix("\\frac"), let last = left.last, last.isASCII && last.isNumber { return " \\cdot " }
        return times
    }

    /// Not used: `quotient` writes `\frac` instead of an infix operator.
    public var over: String { " / " }
}
