import Symbolic

/// The matrix functions (`MatrixOp`) as loops: trace along the diagonal, and det, logdet and
/// inv by the evaluator's LU factorisation with partial pivoting, written inline in a closure
/// (its working copy and pivots are locals of that closure, so nothing leaks into the
/// function). The operations are the evaluator's in the same order, so values agree to the
/// last bit: a zero pivot gives det 0, logdet -inf and an inverse of infs and nans.
extension SwiftTensorWriter {
    mutating func writeMatrix(_ op: MatrixOp, _ children: [NodeID], into d: Destination) {
        if case .identity(let size) = op {
            let n = extent(size).text
            let (i, j) = (local("i"), local("j"))
            writing(d) { w in
                w.out.open("for \(i) in 0..<\(n)")
                w.out.line("for \(j) in 0..<\(n) { \(d.name)[\(i) * \(n) + \(j)] = \(i) == \(j) ? 1.0 : 0.0 }")
                w.out.close()
            }
            return
        }
        let x = operand(children[0])
        let n = x.shape[x.shape.count - 1]
        let batch = Extent.product(x.shape.dropLast(2))
        guard !batch.isOne else {
            matrix(op, x, n: n.text, offset: nil, into: d)
            return
        }
        // A batch: one matrix after another, each at offset b * n * n.
        let b = local("b")
        let offset = "\(b) * \(Extent.product([n, n]).text)"
        writing(d) { w in
            w.out.open("for \(b) in 0..<\(batch.text)")
            switch op {
            case .trace, .det, .logdet:
                let value = w.local("value")
                w.matrix(op, x, n: n.text, offset: offset, into: Destination(name: value, shape: [], mode: .define(mutable: false)))
                w.out.line("\(d.name)[\(b)] = \(value)")
            case .inverse:
                w.matrix(op, x, n: n.text, offset: offset, into: d)
            case .identity:
                break
            }
            w.out.close()
        }
    }

    /// One matrix: `x` itself, or the block of a batch at `offset`; an inverse of a block is
    /// written into `d` at the same offset (inside the batch's buffer).
    private mutating func matrix(_ op: MatrixOp, _ x: Operand, n: String, offset: String?, into d: Destination) {
        let at = offset.map { "\($0) + " } ?? ""
        switch op {
        case .trace:
            let i = local("i")
            out.line("var \(d.name) = 0.0")
            out.open("for \(i) in 0..<\(n)")
            out.line("\(d.name) += \(x.real("\(at)\(i) * \(n) + \(i)"))")
            out.close()
        case .det, .logdet:
            let isLog = op == .logdet
            let (result, negative) = (local(isLog ? "logabsdet" : "det"), local("negative"))
            out.openClosure("\(declaration(d.mode)) \(d.name): Double = {")
            out.line(isLog ? "var \(result) = 0.0" : "var \(result) = 1.0")
            if isLog { out.line("var \(negative) = false") }
            factor(x, n: n, offset: offset, swapped: isLog ? "\(negative).toggle()" : "\(result) = -\(result)", rows: nil) { w, pivot in
                if isLog {
                    w.out.line("if \(pivot) < 0 { \(negative).toggle() }")
                    w.out.line("\(result) += log(\(pivot).magnitude)")
                } else {
                    w.out.line("\(result) *= \(pivot)")
                }
            }
            // log(det): nan for a negative determinant, -inf for a zero one (the evaluator's rule).
            out.line(isLog ? "return \(negative) && \(result) != -.infinity ? .nan : \(result)" : "return \(result)")
            out.closeCall()
        case .inverse:
            let (lu, rows, column) = (local("lu"), local("rows"), local("column"))
            let (c, i, j, s) = (local("c"), local("i"), local("j"), local("s"))
            let body: (inout SwiftTensorWriter) -> Void = { w in
                w.out.line("var \(rows) = Array(0..<\(n))")
                w.factor(x, n: n, offset: offset, swapped: nil, rows: rows) { _, _ in }
                // Column c of the inverse solves L U x = P e_c.
                w.out.line("var \(column) = [Double](repeating: 0, count: \(n))")
                w.out.open("for \(c) in 0..<\(n)")
                w.out.open("for \(i) in 0..<\(n)")
                w.out.line("var \(s) = \(rows)[\(i)] == \(c) ? 1.0 : 0.0")
                w.out.line("for \(j) in 0..<\(i) { \(s) -= \(lu)[\(i) * \(n) + \(j)] * \(column)[\(j)] }")
                w.out.line("\(column)[\(i)] = \(s)")
                w.out.close()
                w.out.open("for \(i) in stride(from: \(n) - 1, through: 0, by: -1)")
                w.out.line("var \(s) = \(column)[\(i)]")
                w.out.line("for \(j) in (\(i) + 1)..<\(n) { \(s) -= \(lu)[\(i) * \(n) + \(j)] * \(column)[\(j)] }")
                w.out.line("\(column)[\(i)] = \(s) / \(lu)[\(i) * \(n) + \(i)]")
                w.out.close()
                w.out.line("for \(i) in 0..<\(n) { \(d.name)[\(at)\(i) * \(n) + \(c)] = \(column)[\(i)] }")
                w.out.close()
            }
            // A batch's block is already inside the buffer's closure.
            if offset == nil { writing(d, body) } else { body(&self) }
        case .identity:
            break
        }
    }

    /// LU with partial pivoting of `x` in place in a copy `lu`: `swapped` runs after a row
    /// swap, `rows` (when given) records the permutation, `pivot` runs with each pivot's name
    /// before its column is eliminated (a zero pivot skips the elimination).
    private mutating func factor(_ x: Operand, n: String, offset: String?, swapped: String?, rows: String?,
                                 pivot: (inout SwiftTensorWriter, String) -> Void) {
        let (lu, k, p, i, j, m, u) = (local("lu"), local("k"), local("p"), local("i"), local("j"), local("m"), local("pivot"))
        if let offset {
            let size = local("size")
            out.line("let \(size) = \(n) * \(n)")
            out.line("var \(lu) = Array(\(x.name)[\(offset)..<(\(offset) + \(size))])")
        } else {
            out.line("var \(lu) = \(x.name)")
        }
        out.open("for \(k) in 0..<\(n)")
        out.line("var \(p) = \(k)")
        out.line("for \(i) in (\(k) + 1)..<\(n) where \(lu)[\(i) * \(n) + \(k)].magnitude > \(lu)[\(p) * \(n) + \(k)].magnitude { \(p) = \(i) }")
        out.open("if \(p) != \(k)")
        out.line("for \(j) in 0..<\(n) { \(lu).swapAt(\(k) * \(n) + \(j), \(p) * \(n) + \(j)) }")
        if let rows { out.line("\(rows).swapAt(\(k), \(p))") }
        if let swapped { out.line(swapped) }
        out.close()
        out.line("let \(u) = \(lu)[\(k) * \(n) + \(k)]")
        pivot(&self, u)
        out.line("if \(u) == 0 { continue }")
        out.open("for \(i) in (\(k) + 1)..<\(n)")
        out.line("let \(m) = \(lu)[\(i) * \(n) + \(k)] / \(u)")
        out.line("\(lu)[\(i) * \(n) + \(k)] = \(m)")
        out.line("for \(j) in (\(k) + 1)..<\(n) { \(lu)[\(i) * \(n) + \(j)] -= \(m) * \(lu)[\(k) * \(n) + \(j)] }")
        out.close()
        out.close()
    }
}
