import ExprParse
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every operation a graph node can hold: the one op table.
///
/// For each case, this file and `Op+Derivative.swift` keep its facts side by side: name, arity,
/// numeric evaluation, and local partial derivatives. Switches over `Op` and `Function` are
/// exhaustive with no `default`, so adding an op (or a `Function` in ExprParse) is a compile
/// error in every layer until each of them knows it.
///
/// Two families share the table. The *structural* ops `sub`, `div` and `neg` appear only in
/// graphs built as the user wrote them (and in adjoints); the *canonical* form produced by
/// `Simplifier` uses only n-ary `add`/`mul`, `pow` and functions, like SymPy's Add/Mul/Pow.
public enum Op: Hashable, Sendable {
    /// An exact or floating-point constant.
    case number(Number)
    /// `pi` or `e`, kept symbolic so that they print by name and stay exact.
    case constant(NamedConstant)
    /// An input of the program.
    case variable(String)
    /// Sum of two or more children.
    case add
    /// `a - b`.
    case sub
    /// Product of two or more children.
    case mul
    /// `a / b`.
    case div
    /// `-a`.
    case neg
    /// `a ^ b`.
    case pow
    /// A built-in function of the language (`Function.pow` never appears: it becomes `.pow`).
    case function(Function)
    /// An op on whole arrays (matmul, reductions, softmax, layout); see `TensorOp`.
    case tensor(TensorOp)
    /// The adjoint variable of a node (`dW`) as a value the backward pass reads: VJPs are
    /// written over it, so that a staged backward line reads `dW = outer(db, x)`.
    case adjoint(NodeID)

    /// Ops used by tests that iterate over the whole table.
    public static var representatives: [Op] {
        [.number(.one), .constant(.pi), .constant(.e), .variable("x"), .add, .sub, .mul, .div, .neg, .pow]
            + Function.allCases.filter { $0 != .pow }.map(Op.function)
    }

    /// Short name used in staged listings and graph labels.
    public var name: String {
        switch self {
        case .number(let n): return n.description
        case .constant(let c): return c.name
        case .variable(let v): return v
        case .add: return "add"
        case .sub: return "sub"
        case .mul: return "mul"
        case .div: return "div"
        case .neg: return "neg"
        case .pow: return "pow"
        case .function(let f): return f.name
        case .tensor(let t): return t.name
        case .adjoint: return "adjoint"
        }
    }

    /// Whether the op applies element by element (with broadcasting), so that its gradient is
    /// `upstream * partial`; the others have VJPs.
    public var isElementwise: Bool {
        switch self {
        case .add, .sub, .mul, .div, .neg, .pow, .function: return true
        case .number, .constant, .variable, .tensor, .adjoint: return false
        }
    }

    /// The number of children, or `nil` for the n-ary `add` and `mul`.
    public var arity: Int? {
        switch self {
        case .number, .constant, .variable, .adjoint: return 0
        case .add, .mul, .tensor: return nil
        case .sub, .div, .pow: return 2
        case .neg: return 1
        case .function(let f): return f.arity
        }
    }

    /// Whether the node computes something (as opposed to a leaf).
    public var isOperation: Bool {
        switch self {
        case .number, .constant, .variable, .adjoint: return false
        case .add, .sub, .mul, .div, .neg, .pow, .function, .tensor: return true
        }
    }

    var isLeafConstant: Bool {
        switch self {
        case .number, .constant: return true
        case .variable, .add, .sub, .mul, .div, .neg, .pow, .function, .tensor, .adjoint: return false
        }
    }

    /// A run-independent seed for `Graph.structuralHash` (Swift's `Hasher` is randomised per
    /// process, and canonical order must not change between runs).
    var hashSeed: UInt64 {
        func fnv(_ text: String, _ seed: UInt64) -> UInt64 {
            var h: UInt64 = 0xcbf29ce484222325 ^ seed
            for byte in text.utf8 { h = (h ^ UInt64(byte)) &* 0x100000001b3 }
            return h
        }
        func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
            var h = (a ^ b) &* 0x9E3779B97F4A7C15
            h ^= h >> 31
            return h
        }
        switch self {
        case .number(.rational(let r)): return mix(mix(0x51, UInt64(bitPattern: r.numerator)), UInt64(bitPattern: r.denominator))
        case .number(.real(let d)): return mix(0x52, d.bitPattern)
        case .constant(let c): return fnv(c.name, 0x53)
        case .variable(let v): return fnv(v, 0x54)
        case .add: return 0x1001
        case .sub: return 0x1002
        case .mul: return 0x1003
        case .div: return 0x1004
        case .neg: return 0x1005
        case .pow: return 0x1006
        case .function(let f): return fnv(f.rawValue, 0x55)
        case .tensor(let t): return mix(0x57, t.hashSeed)
        case .adjoint(let node): return mix(0x56, UInt64(bitPattern: Int64(node.index)))
        }
    }

    // MARK: - Evaluation

    /// The op applied to already evaluated children, with IEEE semantics for domain errors
    /// (`ln(-1)` is NaN, `1/0` is inf): evaluation never traps.
    public func evaluate(_ args: [Double]) -> Double {
        switch self {
        case .number(let n): return n.doubleValue
        case .constant(let c): return c.value
        case .variable: return .nan
        case .add: return args.reduce(0, +)
        case .sub: return args[0] - args[1]
        case .mul: return args.reduce(1, *)
        case .div: return args[0] / args[1]
        case .neg: return -args[0]
        case .pow: return LibM.pow(args[0], args[1])
        case .function(let f): return f.evaluate(args[0], args.count > 1 ? args[1] : 0)
        case .tensor(let t):
            // A scalar program may still reduce a scalar (`sum(x)`): evaluate it as a tensor.
            return (try? t.evaluate(args.map(Tensor.init(scalar:)), bindings: [:]))?.scalarValue ?? .nan
        case .adjoint: return .nan
        }
    }
}

extension Function {
    /// Numeric value of the function at `x` (and `y` for the binary ones).
    ///
    /// Kinked functions follow the documented conventions: sign(0) = 0 and step(0) = 0, so that
    /// abs'(0) = sign(0) = 0 and relu'(0) = step(0) = 0. NaN propagates through every one of
    /// them, as it does through NumPy's `maximum`, `sign` and `heaviside`.
    public func evaluate(_ x: Double, _ y: Double = 0) -> Double {
        switch self {
        case .ln: return LibM.log(x)
        case .log2: return LibM.log2(x)
        case .log10: return LibM.log10(x)
        case .exp: return LibM.exp(x)
        case .sqrt: return x.squareRoot()
        case .sin: return LibM.sin(x)
        case .cos: return LibM.cos(x)
        case .tan: return LibM.tan(x)
        case .asin: return LibM.asin(x)
        case .acos: return LibM.acos(x)
        case .atan: return LibM.atan(x)
        case .sinh: return LibM.sinh(x)
        case .cosh: return LibM.cosh(x)
        case .tanh: return LibM.tanh(x)
        case .sigmoid:
            // Split on the sign so exp never overflows: both branches are exact rearrangements.
            if x >= 0 { return 1 / (1 + LibM.exp(-x)) }
            let t = LibM.exp(x)
            return t / (1 + t)
        case .relu: return x.isNaN ? x : (x > 0 ? x : 0)
        case .abs: return Swift.abs(x)
        case .softplus:
            // ln(1 + e^x) = max(x, 0) + ln(1 + e^-|x|): no overflow for large x.
            return x.isNaN ? x : Swift.max(x, 0) + LibM.log1p(LibM.exp(-Swift.abs(x)))
        case .sign: return x.isNaN ? x : (x > 0 ? 1 : (x < 0 ? -1 : 0))
        case .step: return x.isNaN ? x : (x > 0 ? 1 : 0)
        case .max: return x.isNaN || y.isNaN ? .nan : (x >= y ? x : y)
        case .min: return x.isNaN || y.isNaN ? .nan : (x <= y ? x : y)
        case .pow: return LibM.pow(x, y)
        case .xlogy: return x == 0 && !y.isNaN ? 0 : x * LibM.log(y)
        case .stopGradient: return x
        }
    }

    /// Whether the function has a kink where its derivative takes a convention (reported by
    /// evaluation when a point lands exactly on it).
    public var hasKink: Bool {
        switch self {
        case .relu, .abs, .max, .min, .sign, .step: return true
        case .ln, .log2, .log10, .exp, .sqrt, .sin, .cos, .tan, .asin, .acos, .atan,
             .sinh, .cosh, .tanh, .sigmoid, .softplus, .pow, .xlogy, .stopGradient:
            return false
        }
    }
}
