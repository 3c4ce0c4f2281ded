/// The built-in functions of the input language: the one table of names and arities.
///
/// The parser resolves call names here; Symbolic gives each case its evaluation, derivative and
/// printing (exhaustive switches, so a new case is a compile error until every layer knows it).
/// grammar.md documents the same table for users.
public enum Function: String, CaseIterable, Hashable, Sendable {
    case ln, log2, log10, exp, sqrt
    case sin, cos, tan, asin, acos, atan
    case sinh, cosh, tanh
    case sigmoid, relu, abs, softplus
    /// sign(x): -1, 0 or 1; sign(0) = 0, the convention that makes abs'(0) = 0.
    case sign
    /// step(x): the Heaviside step with step(0) = 0, the convention that makes relu'(0) = 0.
    case step
    case max, min, pow
    /// xlogy(a, b) = a*ln(b), and 0 where a is 0 (unless b is NaN), as in SciPy, JAX and
    /// PyTorch: d(b^y)/dy = xlogy(b^y, b) has the limit 0 at b = 0 for y > 0, where
    /// `b^y*ln(b)` would give 0 * -inf = NaN.
    case xlogy
    /// stop_gradient(x) = x, with derivative 0 (JAX's `lax.stop_gradient`): a value the
    /// function does not depend on, such as the shift `m` of a stable log-sum-exp
    /// `m + ln(e^(a - m) + e^(b - m))`, whose value is the same for any m.
    case stopGradient = "stop_gradient"

    /// The canonical spelling, the one printers use.
    public var name: String { rawValue }

    /// Every spelling the parser accepts for this function (`log` is the natural log, as `ln`).
    public var spellings: [String] {
        switch self {
        case .ln: return ["ln", "log"]
        default: return [rawValue]
        }
    }

    /// The number of arguments a call must have.
    public var arity: Int {
        switch self {
        case .max, .min, .pow, .xlogy: return 2
        case .ln, .log2, .log10, .exp, .sqrt, .sin, .cos, .tan, .asin, .acos, .atan,
             .sinh, .cosh, .tanh, .sigmoid, .relu, .abs, .softplus, .sign, .step, .stopGradient:
            return 1
        }
    }

    private static let bySpelling: [String: Function] = {
        var table: [String: Function] = [:]
        for function in Function.allCases {
            for spelling in function.spellings { table[spelling] = function }
        }
        return table
    }()

    /// The function spelled `name`, if any.
    public static func named(_ name: String) -> Function? { bySpelling[name] }

    /// Every accepted spelling, for "did you mean" suggestions and reserved-name checks.
    public static var allSpellings: [String] { allCases.flatMap(\.spellings) }
}

/// The named constants of the input language.
public enum NamedConstant: String, CaseIterable, Hashable, Sendable {
    case pi, e

    public var name: String { rawValue }

    /// What the constant is, for messages: "e (Euler's number, 2.71828...)".
    public var meaning: String {
        switch self {
        case .pi: return "pi (π, 3.14159...)"
        case .e: return "e (Euler's number, 2.71828...)"
        }
    }

    /// The nearest Double.
    public var value: Double {
        switch self {
        case .pi: return Double.pi
        case .e: return 2.718281828459045
        }
    }
}
