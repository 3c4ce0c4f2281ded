import ExprParse
import Foundation

/// Random well-formed expressions in the input language, for property tests: every function of
/// the grammar, powers, unary minus, implicit multiplication and constants. Arguments of
/// functions with restricted domains are kept inside them (ln and sqrt see 1 + u^2 or exp(u),
/// asin/acos see tanh(u)/2), so most random points are valid.
struct RandomExpressions {
    var rng: SplitMix64
    let variables: [String]

    init(seed: UInt64, variables: [String] = ["x", "y", "z"]) {
        rng = SplitMix64(seed: seed)
        self.variables = variables
    }

    mutating func int(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }

    mutating func leaf() -> String {
        switch int(6) {
        case 0: return ["2", "3", "0.5", "1/3", "pi", "e"][int(6)]
        default: return variables[int(variables.count)]
        }
    }

    mutating func expression(depth: Int) -> String {
        if depth == 0 { return leaf() }
        let a = expression(depth: depth - 1)
        switch int(12) {
        case 0: return "(\(a) + \(expression(depth: depth - 1)))"
        case 1: return "(\(a) - \(expression(depth: depth - 1)))"
        case 2: return "(\(a))*(\(expression(depth: depth - 1)))"
        case 3: return "(\(a))/(2 + (\(expression(depth: depth - 1)))^2)"
        case 4: return "(\(a))^\(["2", "3", "-1", "1/2"][int(4)])".replacingOccurrences(of: "^1/2", with: "^(1/2)")
        case 5: return "-(\(a))"
        case 6: return "2(\(a))"
        case 7:
            let function = [Function.ln, .sqrt, .log2, .log10][int(4)]
            return "\(function.name)(1 + (\(a))^2)"
        case 8:
            let function = [Function.asin, .acos][int(2)]
            return "\(function.name)(tanh(\(a))/2)"
        case 9:
            let function = [Function.exp, .sin, .cos, .atan, .sinh, .cosh, .tanh, .sigmoid, .softplus][int(9)]
            let inner = function == .exp || function == .sinh || function == .cosh ? "sin(\(a))" : a
            return "\(function.name)(\(inner))"
        case 10:
            let function = [Function.relu, .abs, .tan][int(3)]
            return function == .tan ? "tan(atan(\(a))/2)" : "\(function.name)(\(a))"
        default:
            let function = [Function.max, .min, .pow][int(3)]
            if function == .pow { return "pow(1 + (\(a))^2, \(expression(depth: depth - 1)))" }
            return "\(function.name)(\(a), \(expression(depth: depth - 1)))"
        }
    }

    /// A uniform random point in [lo, hi] for each variable.
    mutating func point(_ lo: Double = -1.5, _ hi: Double = 1.5) -> [Double] {
        variables.map { _ in lo + (hi - lo) * Double(rng.next() >> 11) / Double(1 << 53) }
    }
}
