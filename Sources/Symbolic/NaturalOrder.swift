/// Names in the order a reader expects: runs of digits compare as numbers, so `x2` comes before
/// `x10` and `w1_9` before `w1_10`. Everything else compares byte by byte (names are ASCII).
public enum NaturalOrder {
    /// Whether `a` sorts before `b`.
    public static func precedes(_ a: String, _ b: String) -> Bool { compare(a, b) < 0 }

    /// -1, 0 or 1. Equal numbers with different zero padding (`x01`, `x1`) fall back to the
    /// plain byte order, so the order stays total and agrees with `==`.
    public static func compare(_ a: String, _ b: String) -> Int {
        if a == b { return 0 }
        let x = Array(a.utf8), y = Array(b.utf8)
        var (i, j) = (0, 0)
        while i < x.count && j < y.count {
            if isDigit(x[i]) && isDigit(y[j]) {
                var (si, sj) = (i, j)
                while si < x.count && x[si] == UInt8(ascii: "0") { si += 1 }
                while sj < y.count && y[sj] == UInt8(ascii: "0") { sj += 1 }
                var (ei, ej) = (si, sj)
                while ei < x.count && isDigit(x[ei]) { ei += 1 }
                while ej < y.count && isDigit(y[ej]) { ej += 1 }
                // A longer run without leading zeros is a larger number; equal lengths compare
                // digit by digit.
                if ei - si != ej - sj { return ei - si < ej - sj ? -1 : 1 }
                for k in 0..<(ei - si) where x[si + k] != y[sj + k] { return x[si + k] < y[sj + k] ? -1 : 1 }
                (i, j) = (ei, ej)
            } else {
                if x[i] != y[j] { return x[i] < y[j] ? -1 : 1 }
                i += 1
                j += 1
            }
        }
        if i < x.count || j < y.count { return i < x.count ? 1 : -1 }
        return a < b ? -1 : 1
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
