import Symbolic
import Testing

/// `Rational.decimalText`, which emitters print every terminating constant with.
@Suite struct RationalTextTests {
    /// The spelling as a reader checks it: the fraction's exact decimal.
    @Test(arguments: [
        (1, 2, "0.5"), (-1, 2, "-0.5"), (3, 8, "0.375"), (-109, 1000, "-0.109"), (25, 2, "12.5"), (7, 1, "7"),
        (-7, 1, "-7"), (0, 1, "0"), (1, 1024, "0.0009765625"), (123_456_789, 100, "1234567.89"), (1, 3, nil),
        (5, 6, nil), (1, 5_000_000_000, "0.0000000002"), (Int64.max / 5, 2, "922337203685477580.5"), (Int64.max, 2, nil),
        (Int64.max, 1 << 40, nil),
    ] as [(Int64, Int64, String?)])
    func decimals(_ numerator: Int64, _ denominator: Int64, _ expected: String?) throws {
        let r = try #require(Rational(numerator, denominator))
        #expect(r.decimalText == expected)
    }

    /// Every decimal with up to three places reads back as the same fraction.
    @Test func decimalsRoundTrip() throws {
        for n in Int64(-2_000)...2_000 {
            let r = try #require(Rational(n, 1_000))
            let text = try #require(r.decimalText)
            #expect(Rational(decimal: text) == r, "\(n)/1000 printed \(text)")
        }
    }
}
