import ExprParse

/// Local derivative rules: for each op, ∂out/∂input_i as an expression of its inputs and, where
/// that is cheaper, of its own output `out`. The chain rule is not here: `Reverse.swift`
/// multiplies these by the upstream adjoint and accumulates, once, for every op.
///
/// Kinks follow fixed conventions: relu'(0) = step(0) = 0, abs'(0) = sign(0) = 0, and max/min
/// send the whole gradient to their first argument on a tie.
extension Op {
    /// ∂out/∂inputs[index]. `inputs` are the node's children, `out` the node itself.
    func partial(_ index: Int, inputs x: [Term], out: Term) -> Term {
        let zero = out.constant(0), one = out.constant(1)
        switch self {
        case .number, .constant, .variable, .adjoint:
            return zero
        case .tensor:
            // Ops on whole arrays have VJPs (`TensorOp.vjp`), not partials.
            return zero
        case .add:
            return one
        case .sub:
            return index == 0 ? one : -one
        case .mul:
            // Product of the other factors: no division by a factor that may be zero.
            var product = one
            for (i, factor) in x.enumerated() where i != index { product = product * factor }
            return product
        case .div:
            // d(a/b)/db = -a/b^2 = -(out/b): one op fewer than the textbook form.
            return index == 0 ? 1 / x[1] : -(out / x[1])
        case .neg:
            return -one
        case .pow:
            let (base, exponent) = (x[0], x[1])
            // d(b^y)/dy = b^y*ln(b), written xlogy(out, b): at b = 0 with y > 0 the power is 0
            // on both sides, the derivative's limit is 0, and out*ln(b) would be 0 * -inf.
            if index == 1 { return out.apply(.xlogy, base) }
            if let n = out.graph.numberValue(exponent.id) {
                // d(x^n)/dx = n*x^(n-1), with n-1 folded exactly: 2*x for x^2.
                return Term(out.graph.number(n), out.graph) * base.raised(to: Term(out.graph.number(n + .minusOne), out.graph))
            }
            return exponent * base.raised(to: exponent - 1)
        case .function(let f):
            return f.partial(index, inputs: x, out: out)
        }
    }
}

extension Function {
    func partial(_ index: Int, inputs x: [Term], out: Term) -> Term {
        let a = x[0]
        let zero = out.constant(0)
        switch self {
        case .ln: return 1 / a
        case .log2: return 1 / (a * out.constant(2).apply(.ln))
        case .log10: return 1 / (a * out.constant(10).apply(.ln))
        case .exp: return out
        case .sqrt: return 1 / (2 * out)
        case .sin: return a.apply(.cos)
        case .cos: return -a.apply(.sin)
        case .tan: return 1 + out * out
        case .asin: return 1 / (1 - a * a).apply(.sqrt)
        case .acos: return -(1 / (1 - a * a).apply(.sqrt))
        case .atan: return 1 / (1 + a * a)
        case .sinh: return a.apply(.cosh)
        case .cosh: return a.apply(.sinh)
        case .tanh: return 1 - out * out
        case .sigmoid: return out * (1 - out)
        case .relu: return a.apply(.step)
        case .abs: return a.apply(.sign)
        case .softplus: return a.apply(.sigmoid)
        case .sign, .step, .stopGradient: return zero
        case .max:
            // Ties go to the first argument: step(b - a) is 0 when a == b.
            let toSecond = (x[1] - a).apply(.step)
            return index == 0 ? 1 - toSecond : toSecond
        case .min:
            let toSecond = (a - x[1]).apply(.step)
            return index == 0 ? 1 - toSecond : toSecond
        case .pow:
            return Op.pow.partial(index, inputs: x, out: out)
        case .xlogy:
            // d(a*ln(b))/da = ln(b), d/db = a/b.
            return index == 0 ? x[1].apply(.ln) : a / x[1]
        }
    }

    /// The function written with elementary ops, as worksheets decompose it, or `nil` when it is
    /// already elementary. sigmoid(x) becomes `1/(1 + exp(-x))`, which stages exactly as the
    /// worksheet hint: a = -x, b = exp(a), c = 1 + b, d = 1/c.
    func expansion(_ x: [Term]) -> Term? {
        let a = x[0]
        switch self {
        case .sigmoid: return 1 / (1 + (-a).apply(.exp))
        case .tanh:
            let (p, m) = (a.apply(.exp), (-a).apply(.exp))
            return (p - m) / (p + m)
        case .sinh: return (a.apply(.exp) - (-a).apply(.exp)) / 2
        case .cosh: return (a.apply(.exp) + (-a).apply(.exp)) / 2
        case .softplus: return (1 + a.apply(.exp)).apply(.ln)
        case .log2: return a.apply(.ln) / a.constant(2).apply(.ln)
        case .log10: return a.apply(.ln) / a.constant(10).apply(.ln)
        case .ln, .exp, .sqrt, .sin, .cos, .tan, .asin, .acos, .atan, .relu, .abs, .sign, .step,
             .max, .min, .pow, .xlogy, .stopGradient:
            return nil
        }
    }
}
