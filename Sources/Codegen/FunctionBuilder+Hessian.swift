import ExprParse
import Symbolic

extension FunctionBuilder {
    /// The body of a value-gradient-Hessian function: the closed-form body (shared
    /// subexpressions once, the value, each partial) with the simplified Hessian entries among
    /// its roots, so a subexpression they share with the gradient (`sigmoid(x)`) is computed
    /// once; then the matrix, one line. Returns the body and the matrix's variable.
    mutating func hessianBody(_ entries: [[NodeID]], matrix: ([[String]]) -> String) -> (body: FunctionBody, name: String) {
        var (lines, names) = closedFormLines(alsoHoisting: entries.flatMap { $0 })
        lines.append(.comment("second partial derivatives, rows and columns in parameter order"))
        let name = plan.unique("hessian")
        let texts = entries.map { row in row.map { printer.printed($0, names: names).text } }
        lines.append(.define(name: name, expression: matrix(texts)))
        return (lines, name)
    }
}
