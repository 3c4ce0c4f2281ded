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

    static let mlpInputs = 16

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
        }
        return out
    }

    /// The evaluation point: input i (0-based, in `variables` order) is 0.1 + 0.8 * frac.
    static func pointValue(_ i: Int) -> Double { 0.1 + 0.8 * Double((i * 7919) % 1000) / 1000 }
}
