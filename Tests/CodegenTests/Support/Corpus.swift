import ExprParse
import Foundation
import Symbolic

/// One program the execution tests generate code for, with points inside its domain.
struct CorpusCase: Sendable {
    let source: String
    var variables: [String]? = nil
    var expand = false
    /// Points in parameter order; three of them, so they also make the array test's columns.
    let points: [[Double]]

    func gradient() throws -> Gradient { try Gradient(source: source, expand: expand, variables: variables) }
}

/// Every program the execution tests run: the worksheets, every function, and the awkward
/// corners of printing (signs, powers, constants, rationals, names).
enum Corpus {
    static let worksheets: [CorpusCase] = [
        CorpusCase(source: "(x + y)z", points: [[1, 3, 2], [0.5, -1.25, 0.75], [2, 2, -3]]),
        CorpusCase(source: "(x^2 + 2y)z^3", points: [[3, 1, 2], [-0.5, 0.25, 1.5], [1.25, -2, -0.75]]),
        CorpusCase(source: "(ln(x) + sin(y))^2 + 4x", variables: ["x", "y", "z"],
                   points: [[NamedConstant.e.value, Double.pi / 2, 2], [1.5, 0.3, -1], [0.25, -2, 4]]),
        CorpusCase(source: "sigmoid(x)", points: [[2], [-1.5], [0.3]]),
        CorpusCase(source: "sigmoid(x)", expand: true, points: [[2], [-1.5], [0.3]]),
        CorpusCase(source: "ln(x)*sigmoid(sqrt(y))/sigmoid((x+y)^2)", points: [[2, 3], [0.5, 0.2], [1.5, 0.75]]),
        CorpusCase(source: "x = ln(t); y = t^3/3; z = 2x + y", points: [[2], [0.7], [3.5]]),
        CorpusCase(source: "x = t^2; y = 2t; z = x^2 y - y^2", points: [[2], [-0.7], [1.5]]),
        CorpusCase(source: "x = 3a + 2b; y = 4a - b; z = 3x^2 - 2x y + y^2", points: [[1, 2], [-0.5, 0.25], [2, -1]]),
        CorpusCase(source: "sin(theta*x1 + x2) + theta*x2^2", variables: ["x1", "x2", "theta"],
                   points: [[1, 2, 0.5], [-0.3, 0.8, 2], [1.5, -1, -0.25]]),
    ]

    /// Functions whose domain is limited: their argument is kept in (0, 1).
    static let limitedDomain: Set<Function> = [.ln, .log2, .log10, .sqrt, .asin, .acos]

    /// One small expression per function of the grammar, with an argument that is itself an
    /// operation (so closed forms hoist it where a spelling repeats it).
    static var functions: [CorpusCase] {
        // stop_gradient's derivative is 0 by definition: the corpus checks partials against
        // finite differences, which stop_gradient deliberately breaks (OpTableTests covers it).
        Function.allCases.filter { $0 != .stopGradient }.map { function in
            let name = function.name
            switch function {
            case .max, .min, .pow, .xlogy:
                return CorpusCase(source: "\(name)(x*y, y + 1) + x", points: [[0.6, 0.7], [1.3, 0.4], [0.9, 2.5]])
            default:
                let points: [[Double]] = limitedDomain.contains(function)
                    ? [[0.6, 0.7], [0.3, 1.2], [0.9, 0.5]]
                    : [[0.6, 0.7], [-0.3, 1.2], [0.9, -0.5]]
                return CorpusCase(source: "\(name)(x*y) + x", points: points)
            }
        }
    }

    static let corners: [CorpusCase] = [
        // Shared subexpressions across value and partials.
        CorpusCase(source: "sin(x*y)*cos(x*y) + (x*y)^2 + exp(x*y)", points: [[0.5, 1.5], [-1, 0.25], [2, 0.1]]),
        // Unary minus everywhere, including the double negations Swift cannot write as `--`.
        CorpusCase(source: "-x * -y - -(x - y) + -(-x)*y + -(-2)*x", points: [[0.5, 1.5], [-1, 0.25], [2, -3]]),
        // A power of zero: d(b^y)/dy is xlogy(b^y, b), whose limit at b = 0 is 0, not 0 * -inf.
        CorpusCase(source: "(x*x)^y + 0^y + x", points: [[0, 2], [0, 1.5], [0.5, 3]]),
        // Symbolic and fractional exponents.
        CorpusCase(source: "x^y + 2^x + x^(1/3) + (x + 1)^(y - 1)", points: [[0.5, 1.5], [1.25, -0.5], [2, 3]]),
        // The named constants.
        CorpusCase(source: "pi*x + e^x + x^e + sin(pi*x)/e", points: [[0.5], [1.25], [2]]),
        // Exact rationals.
        CorpusCase(source: "x/3 + (1/3)*y + 2/3 + x^(2/3)*y/7", points: [[0.5, 1.5], [1.25, -0.5], [2, 3]]),
        // A constant Python could not compute in its own arithmetic.
        CorpusCase(source: "exp(x) + 1/(2 - 2)", points: [[0.5], [1.25], [-2]]),
        // The output is an input, and the output is a constant.
        CorpusCase(source: "x", variables: ["x", "y"], points: [[0.5, 1], [1.25, 2], [-2, 3]]),
        CorpusCase(source: "2*pi", variables: ["x"], points: [[0.5], [1.25], [-2]]),
        // Piecewise functions of literals (found by fuzzing: Swift could not type-check
        // `10.0 > 0.0 ? 1.0 : (10.0 < 0.0 ? ...)`, "ambiguous use of operator '<'").
        CorpusCase(source: "x + sign(10) + x*sign(-2) + sign(1/3)*x + step(10)*x", points: [[0.5], [1.25], [-2]]),
        // ... and with an operation as the argument, which the closed form hoists only to find
        // it unused once the call is pinned (Swift: "initialization of 't0' was never used").
        CorpusCase(source: "x*sign(atan(e)) + max(exp(2), 1)*x + step(sin(pi/2))", points: [[0.5], [1.25], [-2]]),
        // A kink the point stays clear of, and an input used by many stages.
        CorpusCase(source: "relu(x - 1)*abs(y) + max(x, y)^2 - min(x, 2y)", points: [[2, -1], [0.5, 1.5], [3, 0.75]]),
    ]

    /// Variables named after reserved words of Python and Swift (the ones symdiff's own
    /// language accepts as names), several per expression, plus names colliding with the
    /// names generated code uses itself.
    static var hostile: [CorpusCase] {
        let reserved = Set(HostileNames.all).sorted()
        let chunks = stride(from: 0, to: reserved.count, by: 8).map { Array(reserved[$0..<min($0 + 8, reserved.count)]) }
        var cases = chunks.map { names -> CorpusCase in
            let n = names + Array(repeating: "qq", count: 8 - names.count)
            let source = "\(n[0])*\(n[1]) + sin(\(n[2]))*\(n[3]) - \(n[4])/\(n[5]) + \(n[6])^2*\(n[7])"
            var seen = Set<String>()
            let unique = n.filter { seen.insert($0).inserted }
            let point = unique.indices.map { 0.5 + 0.25 * Double($0) }
            return CorpusCase(source: source, variables: unique,
                              points: [point, point.map { $0 + 0.125 }, point.reversed()])
        }
        cases.append(CorpusCase(source: "a*da + t0*dout*out + value*sin(t0*value) + x*X + sin(x - X)",
                                points: [[0.5, 1, 1.5, 2, 0.25, 0.75, 1.25, 0.3], [1, 2, 3, 0.5, 0.25, 0.1, 2, 1],
                                         [-1, 0.5, 0.25, 2, 1, -0.5, 0.3, 0.6]]))
        cases.append(CorpusCase(source: "out = a * da; value = out^2 + dout*t0; lambda = value*self + in", points: [
            [0.5, 1, 1.5, 2, 0.25, 0.75], [1, 2, 3, 0.5, 0.25, 0.1], [-1, 0.5, 0.25, 2, 1, -0.5]]))
        return cases
    }

    static var all: [CorpusCase] { worksheets + functions + corners + hostile }
}

/// The reserved names the hostile-names cases use as variables.
enum HostileNames {
    /// Python's and Swift's keywords and the builtins the issue lists, minus the names symdiff's
    /// own language reserves (its functions and constants cannot be variables).
    static var all: [String] {
        let python = ["False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
                      "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in",
                      "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with",
                      "yield", "match", "case", "type", "_", "np", "numpy", "print", "exec", "eval", "__import__",
                      "open", "os", "sys", "float", "int", "sum", "range", "len", "object"]
        let swift = ["associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import",
                     "init", "inout", "internal", "let", "open", "operator", "private", "protocol", "public",
                     "rethrows", "static", "struct", "subscript", "typealias", "var", "break", "case", "catch",
                     "continue", "default", "defer", "do", "else", "fallthrough", "for", "guard", "if", "in",
                     "repeat", "return", "throw", "switch", "where", "while", "Any", "as", "await", "false", "is",
                     "nil", "self", "Self", "super", "throws", "true", "try", "some", "any", "each", "Type",
                     "Double", "Foundation", "Int", "String", "Swift", "print", "value", "log1p", "copy",
                     "consume", "unsafe", "get", "set", "willSet", "didSet", "mutating", "lazy", "weak"]
        return (python + swift).filter { Function.named($0) == nil && NamedConstant(rawValue: $0) == nil }
    }
}
