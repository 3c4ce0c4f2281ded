import Symbolic

/// The names of second partial derivatives as each output format writes them.
public enum HessianText {
    /// `d2f/dx2` on the diagonal, `d2f/dxdy` off it: the text format's left-hand sides.
    public static func entryName(output: String, row: String, column: String) -> String {
        row == column ? "d2\(output)/d\(row)2" : "d2\(output)/d\(row)d\(column)"
    }

    /// `\frac{\partial^2 f}{\partial x^2} = body`, or `{\partial x \partial y}` off the diagonal.
    public static func latexLine(output: String, row: String, column: String, body: String) -> String {
        let f = LaTeXDialect.identifier(output)
        let x = LaTeXDialect.identifier(row)
        let denominator = row == column ? "\\partial \(x)^{2}" : "\\partial \(x) \\partial \(LaTeXDialect.identifier(column))"
        return "\\frac{\\partial^{2} \(f)}{\(denominator)} = \(body)"
    }
}
