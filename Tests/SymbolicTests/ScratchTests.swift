import Testing
import Symbolic
import ExprParse

@Test func scratch() throws {
    for src in ["(x + y)z", "(x^2 + 2y)z^3", "(ln(x) + sin(y))^2 + 4x", "sigmoid(x)", "ln(x)*sigmoid(sqrt(y))/sigmoid((x+y)^2)",
                "x = ln(t); y = t^3/3; z = 2x + y", "x = t^2; y = 2t; z = x^2 y - y^2", "x = 3a + 2b; y = 4a - b; z = 3x^2 - 2x y + y^2",
                "sin(theta*x1 + x2) + theta*x2^2"] {
        let g = try Gradient(source: src)
        print("== \(src)")
        print(g.staged.forwardLines(InputLanguage(spaced: true)).listing)
        print("-- backward")
        print(g.backwardLines(InputLanguage(spaced: true)).listing)
        print("-- closed")
        for (n, t) in zip(g.staged.inputs, g.closedFormText()) { print("d/d\(n) = \(t)") }
    }
}
