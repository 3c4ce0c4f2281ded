// The scalable benchmark families as symdiff programs (statements, one per line).
// scripts/bench_peers.py builds the same functions natively for SymPy, SymEngine and CasADi;
// Benchmarks/README.md is the specification both follow.

enum Family: String, CaseIterable {
    /// a1 = sin(x)*x + y; a(k+1) = sin(ak)*ak + y; N steps deep. Inputs x, y.
    case chain
    /// f = sum_i sin(x_i*x_(i+1)) + x_i^2*exp(-x_i), i = 1..N, x_(N+1) = x_1. Inputs x1..xN.
    case wide
    /// A two-layer tanh network unrolled to scalars, squared loss; N is about the number of
    /// weights (hidden units H = max(1, N/(D+2)) with D = 16 numeric inputs).
    case mlp
    /// The same network with every weight an input and the data as constants (issue 11's
    /// family): H = D = isqrt(N) - 1 hidden units over D constants c_1..c_D with three decimal
    /// digits, a third of them negative, `hj = tanh(c_1*wj_1 + ... + c_D*wj_D + bj)`,
    /// `o = v1*h1 + ... + vH*hH + c`, `loss = (o - 0.5)^2`. (D + 1)^2 ≈ N inputs.
    case mlpw

    static let mlpInputs = 16

    static func mlpwWidth(_ n: Int) -> Int {
        var d = 1
        while (d + 2) * (d + 2) <= n { d += 1 }
        return d
    }

    /// c_i for mlpw: 0.100 ... 0.999, negative for every third i, as program text (`-0.231`).
    static func mlpwConstant(_ i: Int) -> (negative: Bool, magnitude: String) {
        (i % 3 == 0, "0.\((i * 7919) % 900 + 100)")
    }

    /// The input dimension's numeric values x_j = ((j mod 9) + 1)/10, j = 1..D.
    static func mlpInput(_ j: Int) -> String { "0.\((j % 9) + 1)" }

    static func mlpHidden(_ n: Int) -> Int { max(1, n / (mlpInputs + 2)) }

    /// Input names in a fixed order (the order used for evaluation points and gradients).
    func variables(_ n: Int) -> [String] {
        switch self {
        case .chain: return ["x", "y"]
        case .wide: return (1...n).map { "x\($0)" }
        case .mlp:
            let h = Family.mlpHidden(n)
            var v: [String] = []
            for k in 1...h {
                v.append("b\(k)")
                for j in 1...Family.mlpInputs { v.append("w\(k)_\(j)") }
            }
            for k in 1...h { v.append("v\(k)") }
            v.append("c")
            return v
        case .mlpw:
            let d = Family.mlpwWidth(n)
            var v: [String] = []
            for j in 1...d {
                for i in 1...d { v.append("w\(j)_\(i)") }
                v.append("b\(j)")
            }
            for j in 1...d { v.append("v\(j)") }
            v.append("c")
            return v
        }
    }

    func program(_ n: Int) -> String {
        var out = ""
        switch self {
        case .chain:
            out.reserveCapacity(n * 32)
            out += "a1 = sin(x)*x + y\n"
            if n >= 2 {
                for k in 1..<n { out += "a\(k + 1) = sin(a\(k))*a\(k) + y\n" }
            }
        case .wide:
            out.reserveCapacity(n * 48)
            func term(_ i: Int) -> String {
                let next = i == n ? 1 : i + 1
                return "sin(x\(i)*x\(next)) + x\(i)^2*exp(-x\(i))"
            }
            if n == 1 { return "f = " + term(1) + "\n" }
            out += "s1 = " + term(1) + "\n"
            for i in 2...n { out += (i == n ? "f" : "s\(i)") + " = s\(i - 1) + " + term(i) + "\n" }
        case .mlp:
            let h = Family.mlpHidden(n)
            out.reserveCapacity(h * (Family.mlpInputs * 16 + 32))
            for k in 1...h {
                out += "h\(k) = tanh(b\(k)"
                for j in 1...Family.mlpInputs { out += " + \(Family.mlpInput(j))*w\(k)_\(j)" }
                out += ")\n"
            }
            out += "o = c"
            for k in 1...h { out += " + v\(k)*h\(k)" }
            out += "\nloss = (o - 0.5)^2\n"
        case .mlpw:
            let d = Family.mlpwWidth(n)
            out.reserveCapacity(d * d * 16 + d * 16)
            for j in 1...d {
                out += "h\(j) = tanh("
                for i in 1...d {
                    let c = Family.mlpwConstant(i)
                    out += i == 1 ? "" : (c.negative ? " - " : " + ")
                    out += (i == 1 && c.negative ? "-" : "") + "\(c.magnitude)*w\(j)_\(i)"
                }
                out += " + b\(j))\n"
            }
            out += "o = v1*h1"
            if d >= 2 { for j in 2...d { out += " + v\(j)*h\(j)" } }
            out += " + c\nloss = (o - 0.5)^2\n"
        }
        return out
    }

    /// The evaluation point: input i (0-based, in `variables` order) is 0.1 + 0.8 * frac.
    static func pointValue(_ i: Int) -> Double { 0.1 + 0.8 * Double((i * 7919) % 1000) / 1000 }
}
