import Foundation
import Testing

/// `eval` prints arrays in one style each, as NumPy does: an array that mixes e-notation numbers
/// with ordinary ones is written wholly in scientific notation with aligned columns, and every
/// number pastes back into `--at` as the same double.
@Suite struct ArrayPrintingCommandTests {
    /// The report's command: df/dx mixes 5.5e-09 with 0.6, and the gradient of a matrix with
    /// 2e-07 and 6e+08 printed `2e-07` and `1200000000.0` in one column set before.
    @Test func mixedMagnitudesPrintInScientificNotation() {
        let run = runSymdiff(["eval", "x: (3,); X: (2, 3); sum(X * x * 1e-9) + sum(X*1e5)",
                              "--at", "x=[1,2,3],X=[[1.5,2e-7,3],[4,5,6e8]]"])
        #expect(run.stdout == """
            f = 60000001350001.82
            df/dx = [5.5000000000000004e-09, 5.0000002000000000e-09,
                     6.0000000300000010e-01]
            df/dX = [[100000.000000001, 100000.000000002, 100000.000000003],
                     [100000.000000001, 100000.000000002, 100000.000000003]]

            """)
        #expect(run.status == 0)
        let square = runSymdiff(["eval", "X: (2, 3); sum(X^2)", "--at", "X=[[1.5,2e-7,3],[4,5,6e8]]"])
        #expect(square.stdout == """
            f = 3.6000000000000006e+17
            df/dX = [[3.0e+00, 4.0e-07, 6.0e+00],
                     [8.0e+00, 1.0e+01, 1.2e+09]]

            """)
    }

    /// What eval prints for an array reads back through `--at` as exactly the same values: the
    /// gradient printed, given back as the input of the identity, prints the same text again.
    @Test func aPrintedGradientPastesBackExactly() throws {
        let run = runSymdiff(["eval", "W: (2, 2); x: (2,); sum((W @ x)^2)", "--at", "W=[[0.1,0.5],[-0.3,0.8]],x=[0.2,0.4]"])
        let printed = try #require(run.stdout.split(separator: "\n").first { $0.hasPrefix("df/dx = ") })
        let literal = String(printed.dropFirst("df/dx = ".count))
        let again = runSymdiff(["eval", "v: (2,); v", "--at", "v=\(literal)", "--upstream", "[0, 0]"])
        #expect(again.stdout.hasPrefix("f = \(literal)\n"))
    }

    /// A long vector wraps at 75 columns under its label (as NumPy's repr wraps), and the
    /// wrapped text, newlines and padding included, pastes back into `--at` as the same values.
    @Test func aLongGradientWrapsAndStillPastesBack() throws {
        let run = runSymdiff(["eval", "x: (12,); sum(x^2)/6", "--at", "x=[1,2,3,4,5,6,7,8,9,10,11,12]"])
        #expect(run.stdout == """
            f = 108.33333333333333
            df/dx = [0.3333333333333333, 0.6666666666666666, 1.0               ,
                     1.3333333333333333, 1.6666666666666665, 2.0               ,
                     2.333333333333333 , 2.6666666666666665, 3.0               ,
                     3.333333333333333 , 3.6666666666666665, 4.0               ]

            """)
        #expect(run.stdout.split(separator: "\n").allSatisfy { $0.count <= 75 })
        let start = try #require(run.stdout.range(of: "df/dx = "))
        let literal = String(run.stdout[start.upperBound...])
        let again = runSymdiff(["eval", "v: (12,); v", "--at", "v=\(literal)", "--upstream", "[0,0,0,0,0,0,0,0,0,0,0,0]"])
        #expect(again.status == 0, "\(again.stderr)")
        // The identity prints the values it was given: the same numbers, laid out for its label.
        let value = try #require(again.stdout.split(separator: "\ndv = ").first).dropFirst("f = ".count)
        #expect(value.filter { !$0.isWhitespace } == literal.filter { !$0.isWhitespace })
    }
}
