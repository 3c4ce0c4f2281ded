import ExprParse

/// The canonical constructors. Every rule applied here is value-preserving wherever both sides
/// are defined; each is named in a comment at the line that applies it.
extension Simplifier {
    /// A folded constant, or nil when folding would leave the finite numbers (the unfolded node
    /// then evaluates to the same IEEE result).
    func finite(_ n: Number) -> Number? { n.doubleValue.isFinite ? n : nil }

    // MARK: - Sums

    /// Canonical sum of canonical terms.
    /// - flatten: (a + b) + c = a + b + c
    /// - fold: numeric terms are added exactly
    /// - collect: 2*x + 3*x = 5*x, x + x = 2*x, x - x = 0 (like terms share everything but
    ///   their numeric coefficient)
    /// - zero: x + 0 = x
    /// - distribute: a term `c*(a + b)` with a numeric c joins as `c*a + c*b`, so that like
    ///   terms across a chain rule meet (10*t^4 - 8*t rather than 8*t^4 + 2*(t^4 - 4*t))
    mutating func sum(_ terms: [NodeID]) -> NodeID {
        var flat: [NodeID] = []
        for term in terms {
            if graph[term].op == .add { flat.append(contentsOf: graph[term].children); continue }
            let (coefficient, rest) = split(term)
            if !coefficient.isOne, graph[rest].op == .add {
                // distribute: inside a sum, 2*(x + y) joins as 2*x + 2*y so like terms meet.
                for inner in graph[rest].children { flat.append(product([graph.number(coefficient), inner])) }
                continue
            }
            flat.append(term)
        }
        work += flat.count
        var constant = Number.zero
        var coefficients: [NodeID: Number] = [:]
        var order: [NodeID] = []
        var inexact: [NodeID] = []
        for term in flat {
            if let n = graph.numberValue(term) {
                if let folded = finite(constant + n) { constant = folded } else { inexact.append(term) }
                continue
            }
            let (coefficient, rest) = split(term)
            if let existing = coefficients[rest] {
                if let folded = finite(existing + coefficient) { coefficients[rest] = folded } else { inexact.append(term) }
            } else {
                coefficients[rest] = coefficient
                order.append(rest)
            }
        }
        var result: [NodeID] = inexact
        for rest in order {
            guard let coefficient = coefficients[rest], !coefficient.isZero else { continue }
            result.append(scaled(rest, by: coefficient))
        }
        if !constant.isZero { result.append(graph.number(constant)) }
        if result.isEmpty { return graph.integer(0) }
        if result.count == 1 { return result[0] }
        return graph.intern(.add, Children(CanonicalOrder(graph).sortedTerms(result)))
    }

    /// `term = coefficient * rest` with a numeric coefficient (1 when there is none).
    func split(_ term: NodeID) -> (Number, NodeID) {
        let node = graph[term]
        guard node.op == .mul, let first = node.children.first, let c = graph.numberValue(first) else { return (.one, term) }
        let rest = node.children.dropFirst()
        return (c, rest.count == 1 ? node.children[1] : graph.intern(.mul, Children(rest)))
    }

    /// `coefficient * rest` where `rest` is a canonical non-numeric term without a coefficient.
    func scaled(_ rest: NodeID, by coefficient: Number) -> NodeID {
        if coefficient.isOne { return rest }
        let c = graph.number(coefficient)
        if graph[rest].op == .mul { return graph.intern(.mul, Children([c] + Array(graph[rest].children))) }
        return graph.intern(.mul, [c, rest])
    }

    // MARK: - Products

    /// Canonical product of canonical factors.
    /// - flatten: (a*b)*c = a*b*c
    /// - fold: numeric factors multiply exactly into one leading coefficient
    /// - zero: x*0 = 0 (as in SymPy; inf*0 is the one case where the sides differ)
    /// - powers: x*x = x^2, x^2*x^3 = x^5, x/x = 1 (exponents of equal bases add)
    /// - one: 1*x = x
    /// A number times a sum stays a product here (`2*(x + y)`, as a TA writes it); `sum`
    /// distributes it only where it is a term of a larger sum.
    mutating func product(_ factors: [NodeID]) -> NodeID {
        var pending = factors
        var coefficient = Number.one
        var exponents: [NodeID: [NodeID]] = [:]
        var bases: [NodeID] = []
        var extra: [NodeID] = []
        while !pending.isEmpty {
            var next: [NodeID] = []
            for factor in pending {
                let node = graph[factor]
                if node.op == .mul { next.append(contentsOf: node.children); continue }
                if let n = graph.numberValue(factor) {
                    if let folded = finite(coefficient * n) { coefficient = folded } else { extra.append(factor) }
                    continue
                }
                let (base, exponent) = node.op == .pow ? (node.children[0], node.children[1]) : (factor, graph.integer(1))
                if exponents[base] == nil { bases.append(base) }
                exponents[base, default: []].append(exponent)
            }
            work += pending.count
            pending = next
        }
        if coefficient.isZero { return graph.integer(0) }
        var result: [NodeID] = extra
        var spliced: [NodeID] = []
        for base in bases {
            guard let list = exponents[base] else { continue }
            let exponent = list.count == 1 ? list[0] : sum(list)
            let factor = power(base, exponent)
            if let n = graph.numberValue(factor) {
                if let folded = finite(coefficient * n) { coefficient = folded } else { result.append(factor) }
            } else if graph[factor].op == .mul {
                spliced.append(factor)
            } else {
                result.append(factor)
            }
        }
        if !spliced.isEmpty {
            // (x*y)^2 came back as x^2*y^2: merge its factors with the rest once more.
            return product(result + spliced + [graph.number(coefficient)])
        }
        if result.isEmpty { return graph.number(coefficient) }
        if result.count == 1 && coefficient.isOne { return result[0] }
        result = CanonicalOrder(graph).sortedFactors(result)
        if coefficient.isOne { return graph.intern(.mul, Children(result)) }
        return graph.intern(.mul, Children([graph.number(coefficient)] + result))
    }

    // MARK: - Powers

    /// Canonical power.
    /// - x^0 = 1, x^1 = x, 1^x = 1, 0^n = 0 for n > 0
    /// - fold: exact rational powers (4^(1/2) = 2); inexact ones stay symbolic (sqrt(2))
    /// - nest: (x^m)^n = x^(m*n) for integer n (true for every real x where both are defined)
    /// - distribute: (x*y)^n = x^n*y^n for integer n
    mutating func power(_ base: NodeID, _ exponent: NodeID) -> NodeID {
        if graph.isNumber(exponent, .zero) { return graph.integer(1) }
        if graph.isNumber(exponent, .one) { return base }
        if graph.isNumber(base, .one) { return base }
        let n = graph.numberValue(exponent)
        if let b = graph.numberValue(base), let n, let p = b.exactPower(n) { return graph.number(p) }
        if let n, n.isInteger {
            let node = graph[base]
            if node.op == .pow {
                return power(node.children[0], product([node.children[1], exponent]))
            }
            if node.op == .mul {
                return product(node.children.map { power($0, exponent) })
            }
        }
        return graph.intern(.pow, [base, exponent])
    }

    // MARK: - Functions

    /// Canonical function call.
    /// - sqrt(x) = x^(1/2) and pow(x, y) = x^y, so roots and powers combine
    /// - ln(exp(x)) = x; exp(ln(x)) is left alone (it differs for x <= 0)
    /// - exact values at exact points: ln(1) = 0, ln(e) = 1, exp(0) = 1, sin(0) = tan(0) =
    ///   asin(0) = atan(0) = sinh(0) = tanh(0) = 0, cos(0) = cosh(0) = 1, sigmoid(0) = 1/2,
    ///   and abs, sign, step, relu, max, min of rationals
    /// - abs(abs(x)) = abs(x)
    /// - xlogy(0, y) = 0, and xlogy(x, c) = x*ln(c) for a positive constant c
    mutating func function(_ f: Function, _ args: [NodeID]) -> NodeID {
        let a = args[0]
        let value = graph.numberValue(a)?.rational
        let isZero = value?.isZero ?? false
        switch f {
        case .sqrt: return power(a, graph.rational(1, 2))
        case .pow: return power(a, args[1])
        case .ln:
            if graph[a].op == .function(.exp) { return graph[a].children[0] }
            if value?.isOne ?? false { return graph.integer(0) }
            if graph[a].op == .constant(.e) { return graph.integer(1) }
        case .exp:
            if isZero { return graph.integer(1) }
        case .sin, .tan, .asin, .atan, .sinh, .tanh:
            if isZero { return graph.integer(0) }
        case .cos, .cosh:
            if isZero { return graph.integer(1) }
        case .sigmoid:
            if isZero { return graph.rational(1, 2) }
        case .abs:
            if let value { return graph.number(.rational(value.magnitude)) }
            if graph[a].op == .function(.abs) { return a }
        case .sign:
            if let value { return graph.integer(value.isZero ? 0 : (value.isNegative ? -1 : 1)) }
        case .step:
            if let value { return graph.integer(!value.isNegative && !value.isZero ? 1 : 0) }
        case .relu:
            if let value { return value.isNegative ? graph.integer(0) : a }
        case .max, .min:
            if let x = value, let y = graph.numberValue(args[1])?.rational {
                return (f == .max) == (y < x) ? a : args[1]
            }
        case .xlogy:
            if isZero { return graph.integer(0) }
            if graph.isPositiveConstant(args[1]) { return product([a, function(.ln, [args[1]])]) }
        case .stopGradient:
            // A constant has no gradient to stop.
            if value != nil || graph.isConstant[a.int] { return a }
        case .log2, .log10, .acos, .softplus:
            break
        }
        return graph.intern(.function(f), Children(args))
    }
}
