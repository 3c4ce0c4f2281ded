import Foundation
import Symbolic
import Testing

/// Arrays print in one style as NumPy's arrayprint chooses it (scientific for the whole array
/// when its magnitudes span too much), with aligned columns, and every number reads back as the
/// exact double it prints.
@Suite struct TensorNumberStyleTests {
    /// The array of the bug report: e-notation and positional numbers mixed in one matrix left
    /// its columns misaligned (`[[1.5, 2e-07, 3.0],` over `[4.0, 5.0, 600000000.0]]`).
    @Test func mixedMagnitudesSwitchTheWholeArrayToScientific() throws {
        let x = try Tensor(shape: [2, 3], scalars: [1.5, 2e-7, 3, 4, 5, 6e8])
        // numpy (floatmode='unique'): [[1.5e+00, 2.0e-07, 3.0e+00], [4.0e+00, 5.0e+00, 6.0e+08]]
        #expect(x.formatted() == "[[1.5e+00, 2.0e-07, 3.0e+00],\n [4.0e+00, 5.0e+00, 6.0e+08]]")
        #expect(x.formatted(multiline: false) == "[[1.5e+00, 2.0e-07, 3.0e+00], [4.0e+00, 5.0e+00, 6.0e+08]]")
    }

    /// NumPy's three triggers: a magnitude of 1e8 or more, one below 1e-4, or a ratio above 1000.
    /// Zeros and non-finite numbers do not count; they take the style of the rest.
    @Test func numpysRuleForScientificNotation() {
        #expect(Tensor(vector: [1, 2.5]).formatted() == "[1.0, 2.5]")
        #expect(Tensor(vector: [1e8, 1]).formatted() == "[1.0e+08, 1.0e+00]")
        #expect(Tensor(vector: [99999999, 1e5]).formatted() == "[99999999.0, 100000.0]")
        #expect(Tensor(vector: [1e-4, 0.1]).formatted() == "[0.0001, 0.1]")
        #expect(Tensor(vector: [9e-5, 0.01]).formatted() == "[9.0e-05, 1.0e-02]")
        #expect(Tensor(vector: [0.001, 1]).formatted() == "[0.001, 1.0]")
        #expect(Tensor(vector: [0.001, 2]).formatted() == "[1.0e-03, 2.0e+00]")
        #expect(Tensor(vector: [0, -0.0, 1e-7]).formatted() == "[0.0e+00, -0.0e+00, 1.0e-07]")
        #expect(Tensor(vector: [0, .nan, 1]).formatted() == "[0.0, nan, 1.0]")
        #expect(Tensor(vector: [1, -0.5, .nan, -.infinity, 1e-7, 3e20]).formatted()
                == "[1.0e+00, -5.0e-01, nan, -inf, 1.0e-07, 3.0e+20]")
        // Exponents are as wide as the widest; mantissas as long as the longest.
        #expect(Tensor(vector: [1e-100, 1.25]).formatted() == "[1.00e-100, 1.25e+000]")
    }

    /// Each element keeps the shortest digits that read back as the same double (NumPy's
    /// `floatmode='unique'`), where the old printer rounded to 8 decimals.
    @Test func digitsAreTheShortestThatReadBack() throws {
        #expect(Tensor(vector: [0.1 + 0.2, 1]).formatted() == "[0.30000000000000004, 1.0]")
        let m = try Tensor(shape: [2, 2], scalars: [0.1 + 0.2, 1, -2.5, .nan])
        #expect(m.formatted() == "[[ 0.30000000000000004,  1.0                ],\n [-2.5                ,                  nan]]")
    }

    /// Only the elements an elided array shows choose its style, as in NumPy.
    @Test func anElidedArrayIsStyledByWhatItShows() {
        var values = (0..<2000).map { Double($0 % 7) + 1 }
        values[1000] = 1e12
        #expect(Tensor(vector: values).formatted() == "[1.0, 2.0, 3.0, ..., 3.0, 4.0, 5.0]")
        #expect(Tensor(vector: (0..<2000).map(Double.init)).formatted()
                == "[0.000e+00, 1.000e+00, 2.000e+00, ..., 1.997e+03, 1.998e+03, 1.999e+03]")
    }

    /// The round trip: whatever the mix of magnitudes, signs and zeros, the printed array parses
    /// back (`Tensor.parse`, the reader of `--at` literals) to the same doubles, bit for bit.
    @Test func everyPrintedNumberReadsBackExactly() throws {
        var seeded = SplitMix64(seed: 20261126)
        for trial in 0..<400 {
            let rows = Int.random(in: 1...4, using: &seeded), columns = Int.random(in: 1...5, using: &seeded)
            let scalars: [Double] = (0..<(rows * columns)).map { _ in
                switch Int.random(in: 0..<6, using: &seeded) {
                case 0: return 0
                case 1: return -0.0
                case 2: return Double.random(in: -1...1, using: &seeded) * pow(10, Double(Int.random(in: -300...300, using: &seeded)))
                case 3: return Double(Int.random(in: -1000...1000, using: &seeded))
                case 4: return Double(bitPattern: UInt64.random(in: 0..<0x7FF0_0000_0000_0000, using: &seeded)) * (Bool.random(using: &seeded) ? 1 : -1)
                default: return Double.random(in: -10...10, using: &seeded)
                }
            }
            let tensor = try Tensor(shape: [rows, columns], scalars: scalars)
            for text in [tensor.formatted(), tensor.formatted(multiline: false), Tensor(vector: scalars).formatted(),
                         tensor.formatted(leadingWidth: 30), Tensor(vector: scalars).formatted(leadingWidth: 8)] {
                let back = try Tensor.parse(text)
                #expect(back.scalars.map(\.bitPattern) == scalars.map(\.bitPattern), "trial \(trial): \(text)")
            }
        }
    }

    /// Rows longer than NumPy's 75 columns wrap as NumPy's repr wraps them: as many padded
    /// elements as fit after the caller's label, the rest under the row's first element.
    @Test func longRowsWrapAtSeventyFiveColumns() throws {
        let v = Tensor(vector: (1...12).map { Double($0) / 3 })
        #expect(v.formatted(leadingWidth: 8) == """
            [0.3333333333333333, 0.6666666666666666, 1.0               ,
             1.3333333333333333, 1.6666666666666667, 2.0               ,
             2.3333333333333335, 2.6666666666666665, 3.0               ,
             3.3333333333333335, 3.6666666666666665, 4.0               ]
            """)
        // Every line, with the label before the first and the indent before the others, fits.
        let m = try Tensor(shape: [3, 7], scalars: (0..<21).map { -1.5 + Double($0) * 0.123456789 })
        for line in m.formatted(leadingWidth: 9).split(separator: "\n") { #expect(9 + line.count <= 75, "\(line)") }
        // What fits stays on one line, unpadded.
        #expect(Tensor(vector: [1, 2.5, -3]).formatted(leadingWidth: 8) == "[1.0, 2.5, -3.0]")
        // A summarised vector wraps around its `...` too (scientific: 0.14 to 285 spans 2000x).
        let long = Tensor(vector: (0..<2000).map { Double($0) / 7 })
        #expect(long.formatted(leadingWidth: 8) == """
            [0.0000000000000000e+00, 1.4285714285714285e-01,
             2.8571428571428570e-01, ..., 2.8528571428571430e+02,
             2.8542857142857144e+02, 2.8557142857142856e+02]
            """)
    }
}
