import Symbolic

/// The loop nest of each op on whole arrays (`TensorOp`), writing a new variable.
///
/// An array result is written inside `SwiftTensorWriter.writing` (a buffer created without
/// zero-filling, every element stored once before any `+=`); a scalar result is a `var`
/// accumulated in place, or a `let` when one expression gives it. Inner loops run along the
/// last axis, over contiguous memory, wherever the op allows it: a matrix product is written
/// as rows of `row += a * otherRow` (i-p-j order), which `swiftc -O` vectorises, rather than
/// as dot products, which it may not reorder.
extension SwiftTensorWriter {
    mutating func writeOp(_ op: TensorOp, _ root: NodeID, into d: Destination) {
        let children = Array(graph[root].children)
        switch op {
        case .reduction(let r):
            switch r {
            case .sum(let axis, _), .mean(let axis, _):
                let isMean: Bool
                if case .mean = r { isMean = true } else { isMean = false }
                sum(operand(children[0]), axis: axis, mean: isMean, into: d)
            case .max(let axis, _): extreme(operand(children[0]), axis: axis, max: true, into: d)
            case .min(let axis, _): extreme(operand(children[0]), axis: axis, max: false, into: d)
            case .firstExtreme(let isMax, let axis): firstExtreme(operand(children[0]), axis: axis, max: isMax, into: d)
            case .count: compileView(root, into: d)
            }
        case .linear(let l):
            switch l {
            case .matmul, .dot: matmul(children[0], children[1], into: d)
            case .transpose:
                let x = operand(children[0])
                var axes = Array(x.shape.indices)
                if axes.count >= 2 { axes.swapAt(axes.count - 1, axes.count - 2) }
                permute(x, axes, into: d)
            case .permute(let axes): permute(operand(children[0]), axes, into: d)
            case .outer: outer(operand(children[0]), operand(children[1]), into: d)
            case .norm: norm(operand(children[0]), into: d)
            }
        case .layout(let l):
            switch l {
            case .sumTo: sumTo(operand(children[0]), into: d)
            case .pack: pack(children, into: d)
            case .entry(let index): entry(operand(children[0]), index, into: d)
            case .take: take(operand(children[0]), operand(children[1]), into: d)
            case .takeRows: takeRows(operand(children[0]), operand(children[1]), into: d)
            case .broadcast, .reshape: compileView(root, into: d)
            }
        case .softmax(let s):
            switch s {
            case .softmax(let axis): softmaxFamily(operand(children[0]), axis: axis, kind: .softmax, into: d)
            case .logSoftmax(let axis): softmaxFamily(operand(children[0]), axis: axis, kind: .logSoftmax, into: d)
            case .logsumexp(let axis, _): softmaxFamily(operand(children[0]), axis: axis, kind: .logsumexp, into: d)
            case .crossEntropy: crossEntropy(operand(children[0]), operand(children[1]), into: d)
            case .onehot(let classes): onehot(operand(children[0]), classes: extent(classes), into: d)
            }
        case .convolution(let c): writeConvolution(c, children, into: d)
        case .matrix(let m): writeMatrix(m, children, into: d)
        }
    }

    /// A view op (broadcast, reshape, count) as the element-wise loop it is.
    private mutating func compileView(_ root: NodeID, into d: Destination) {
        elementwise([root], into: d) { writer, texts in writer.printer.printed(root, names: { texts[$0] }) }
    }

    // MARK: Lanes

    /// A reduction's lanes: the elements before the axis (`outer`), along it (`length`) and
    /// after it (`inner`); element (o, t, r) is at `(o * length + t) * inner + r`. No axis: one
    /// lane of every element.
    func lanes(_ shape: [Extent], axis: Int?) -> (outer: Extent, length: Extent, inner: Extent) {
        guard let axis, shape.indices.contains(axis) else { return (.one, Extent.product(shape), .one) }
        return (Extent.product(shape[..<axis]), shape[axis], Extent.product(shape[(axis + 1)...]))
    }

    func laneIndex(_ o: String?, _ t: String?, _ r: String?, _ l: (outer: Extent, length: Extent, inner: Extent)) -> String {
        FlatIndex.horner([(o, l.outer), (t, l.length), (r, l.inner)])
    }

    /// `Double(n)` for a count, a literal when it is fixed.
    func real(_ e: Extent) -> String { e.names.isEmpty ? "\(e.fixed).0" : "Double(\(e.text))" }

    /// The declaration of a scalar result: `var` when it will be updated, else as `d` says.
    func scalar(_ d: Destination, updated: Bool) -> String {
        updated ? "var" : declaration(d.mode)
    }

    // MARK: Reductions

    mutating func sum(_ x: Operand, axis: Int?, mean: Bool, into d: Destination) {
        let l = lanes(x.shape, axis: axis)
        let (o, t, r) = (local("o"), local("t"), local("r"))
        if d.shape.isEmpty {
            out.line("var \(d.name) = 0.0")
            let (ts, opened) = out.loops([(t, l.length)])
            out.line("\(d.name) += \(x.real(laneIndex(nil, ts[0], nil, l)))")
            out.close(opened)
            if mean { out.line("\(d.name) = \(d.name) / \(real(l.length))") }
            return
        }
        writing(d) { w in
            let (os, outerLoops) = w.out.loops([(o, l.outer)])
            let (rs, zeroLoops) = w.out.loops([(r, l.inner)])
            let result = FlatIndex.horner([(os[0], l.outer), (rs[0], l.inner)])
            w.out.line("\(d.name)[\(result)] = 0.0")
            w.out.close(zeroLoops)
            let (ts, lengthLoops) = w.out.loops([(t, l.length)])
            let (rs2, innerLoops) = w.out.loops([(r, l.inner)])
            let result2 = FlatIndex.horner([(os[0], l.outer), (rs2[0], l.inner)])
            w.out.line("\(d.name)[\(result2)] += \(x.real(w.laneIndex(os[0], ts[0], rs2[0], l)))")
            w.out.close(innerLoops + lengthLoops)
            if mean {
                let (rs3, meanLoops) = w.out.loops([(r, l.inner)])
                let result3 = FlatIndex.horner([(os[0], l.outer), (rs3[0], l.inner)])
                w.out.line("\(d.name)[\(result3)] = \(d.name)[\(result3)] / \(w.real(l.length))")
                w.out.close(meanLoops)
            }
            w.out.close(outerLoops)
        }
    }

    /// max or min: the first extreme element of each lane wins ties, a NaN wins outright (as
    /// NumPy and the evaluator do).
    mutating func extreme(_ x: Operand, axis: Int?, max isMax: Bool, into d: Destination) {
        let l = lanes(x.shape, axis: axis)
        let (o, t, r, v) = (local("o"), local("t"), local("r"), local("v"))
        let better = isMax ? ">" : "<"
        if d.shape.isEmpty {
            out.line("var \(d.name) = \(x.real(laneIndex(nil, "0", nil, l)))")
            out.open("for \(t) in 1..<\(l.length.text)")
            out.line("let \(v) = \(x.real(laneIndex(nil, t, nil, l)))")
            out.line("if \(v) \(better) \(d.name) || (\(v).isNaN && !\(d.name).isNaN) { \(d.name) = \(v) }")
            out.close()
            return
        }
        writing(d) { w in
            let (os, outerLoops) = w.out.loops([(o, l.outer)])
            let (rs, firstLoops) = w.out.loops([(r, l.inner)])
            let result = FlatIndex.horner([(os[0], l.outer), (rs[0], l.inner)])
            w.out.line("\(d.name)[\(result)] = \(x.real(w.laneIndex(os[0], "0", rs[0], l)))")
            w.out.close(firstLoops)
            w.out.open("for \(t) in 1..<\(l.length.text)")
            let (rs2, innerLoops) = w.out.loops([(r, l.inner)])
            let result2 = FlatIndex.horner([(os[0], l.outer), (rs2[0], l.inner)])
            w.out.line("let \(v) = \(x.real(w.laneIndex(os[0], t, rs2[0], l)))")
            w.out.line("if \(v) \(better) \(d.name)[\(result2)] || (\(v).isNaN && !\(d.name)[\(result2)].isNaN) { \(d.name)[\(result2)] = \(v) }")
            w.out.close(innerLoops + 1 + outerLoops)
        }
    }

    /// 1 at the first extreme element of each lane, 0 elsewhere: where a max's gradient goes.
    mutating func firstExtreme(_ x: Operand, axis: Int?, max isMax: Bool, into d: Destination) {
        let l = lanes(x.shape, axis: axis)
        let (o, t, r, v, best, at) = (local("o"), local("t"), local("r"), local("v"), local("best"), local("at"))
        let better = isMax ? ">" : "<"
        writing(d) { w in
            let (os, outerLoops) = w.out.loops([(o, l.outer)])
            let (rs, innerLoops) = w.out.loops([(r, l.inner)])
            w.out.line("var \(best) = \(x.real(w.laneIndex(os[0], "0", rs[0], l)))")
            w.out.line("var \(at) = 0")
            w.out.open("for \(t) in 1..<\(l.length.text)")
            w.out.line("let \(v) = \(x.real(w.laneIndex(os[0], t, rs[0], l)))")
            w.out.line("if \(v) \(better) \(best) || (\(v).isNaN && !\(best).isNaN) {")
            w.out.line("    \(best) = \(v)")
            w.out.line("    \(at) = \(t)")
            w.out.line("}")
            w.out.close()
            let (ts, zeroLoops) = w.out.loops([(t, l.length)])
            w.out.line("\(d.name)[\(w.laneIndex(os[0], ts[0], rs[0], l))] = 0.0")
            w.out.close(zeroLoops)
            w.out.line("\(d.name)[\(w.laneIndex(os[0], at, rs[0], l))] = 1.0")
            w.out.close(innerLoops + outerLoops)
        }
    }

    // MARK: Linear algebra

    /// NumPy's matmul: a 1-D left operand is a row, a 1-D right operand a column, all other
    /// axes are batch axes broadcast against each other.
    ///
    /// A left operand that is an unnamed `.T` (the `X.T @ g` of a weight's gradient) is read
    /// through its operand with the strides swapped instead of being copied: the loops read
    /// it one element at a time, so its layout costs nothing.
    mutating func matmul(_ left: NodeID, _ right: NodeID, into d: Destination) {
        var transposed = false
        var a: Operand
        if names[left] == nil, case .tensor(.linear(.transpose)) = graph[left].op, rank(left) >= 2 {
            transposed = true
            let stored = operand(graph[left].children[0])
            var logical = stored.shape
            logical.swapAt(logical.count - 1, logical.count - 2)
            a = Operand(name: stored.name, shape: logical, isInteger: stored.isInteger)
        } else {
            a = operand(left)
        }
        let b = operand(right)
        let (ra, rb) = (a.shape.count, b.shape.count)
        let n = ra >= 2 ? a.shape[ra - 2] : Extent.one
        let k = a.shape[ra - 1]
        let m = rb >= 2 ? b.shape[rb - 1] : Extent.one
        let batchA = Array(a.shape.prefix(Swift.max(ra - 2, 0)))
        let batchB = Array(b.shape.prefix(Swift.max(rb - 2, 0)))
        let batch = Array(d.shape.prefix(d.shape.count - (ra >= 2 ? 1 : 0) - (rb >= 2 ? 1 : 0)))
        let (i, j, p, s, lhs) = (local("i"), local("j"), local("p"), local("s"), local("aip"))
        if d.shape.isEmpty {
            // A dot product of two vectors.
            out.line("var \(d.name) = 0.0")
            let (ps, opened) = out.loops([(p, k)])
            out.line("\(d.name) += \(a.real(ps[0] ?? "0")) * \(b.real(ps[0] ?? "0"))")
            out.close(opened)
            return
        }
        writing(d) { w in
            let (bs, batchLoops) = w.out.loops(batch.indices.map { (w.local("b\($0)"), batch[$0]) })
            let batchOut = batch.indices.map { (bs[$0], batch[$0]) }
            let batchOfA = FlatIndex.parts(batchA, into: batch, indices: bs)
            let batchOfB = FlatIndex.parts(batchB, into: batch, indices: bs)
            func aIndex(_ ii: String?, _ pi: String?) -> String {
                if ra < 2 { return FlatIndex.horner(batchOfA + [(pi, k)]) }
                return FlatIndex.horner(batchOfA + (transposed ? [(pi, k), (ii, n)] : [(ii, n), (pi, k)]))
            }
            func bIndex(_ pi: String?, _ ji: String?) -> String { FlatIndex.horner(batchOfB + [(pi, k)] + (rb >= 2 ? [(ji, m)] : [])) }
            func outIndex(_ ii: String?, _ ji: String?) -> String {
                FlatIndex.horner(batchOut + (ra >= 2 ? [(ii, n)] : []) + (rb >= 2 ? [(ji, m)] : []))
            }
            if rb == 1 && transposed {
                // W.T @ v: out += v[p] * row p of W, contiguous, rather than strided dot products.
                let (zs, zeroLoops) = w.out.loops([(i, n)])
                w.out.line("\(d.name)[\(outIndex(zs[0], nil))] = 0.0")
                w.out.close(zeroLoops)
                let (ps, pLoops) = w.out.loops([(p, k)])
                w.out.line("let \(lhs) = \(b.real(bIndex(ps[0], nil)))")
                let (is_, rowLoops) = w.out.loops([(i, n)])
                w.out.line("\(d.name)[\(outIndex(is_[0], nil))] += \(a.real(aIndex(is_[0], ps[0]))) * \(lhs)")
                w.out.close(rowLoops + pLoops)
            } else if rb == 1 {
                // Matrix times vector: one dot product per row, both contiguous.
                let (is_, rowLoops) = w.out.loops([(i, n)])
                w.out.line("var \(s) = 0.0")
                let (ps, opened) = w.out.loops([(p, k)])
                w.out.line("\(s) += \(a.real(aIndex(is_[0], ps[0]))) * \(b.real(bIndex(ps[0], nil)))")
                w.out.close(opened)
                w.out.line("\(d.name)[\(outIndex(is_[0], nil))] = \(s)")
                w.out.close(rowLoops)
            } else {
                // row i of out = sum over p of a[i, p] * row p of b: contiguous inner loops.
                let (is_, rowLoops) = w.out.loops([(i, n)])
                let (js, zeroLoops) = w.out.loops([(j, m)])
                w.out.line("\(d.name)[\(outIndex(is_[0], js[0]))] = 0.0")
                w.out.close(zeroLoops)
                let (ps, pLoops) = w.out.loops([(p, k)])
                w.out.line("let \(lhs) = \(a.real(aIndex(is_[0], ps[0])))")
                let (js2, innerLoops) = w.out.loops([(j, m)])
                w.out.line("\(d.name)[\(outIndex(is_[0], js2[0]))] += \(lhs) * \(b.real(bIndex(ps[0], js2[0])))")
                w.out.close(innerLoops + pLoops + rowLoops)
            }
            w.out.close(batchLoops)
        }
    }

    /// Axis q of the result is axis `axes[q]` of `x` (`.T` swaps the last two).
    mutating func permute(_ x: Operand, _ axes: [Int], into d: Destination) {
        if d.shape.isEmpty {
            out.line("\(declaration(d.mode)) \(d.name) = \(x.real("0"))")
            return
        }
        writing(d) { w in
            let (indices, opened) = w.out.loops(d.shape.indices.map { (w.local(SwiftTensorWriter.axisName($0)), d.shape[$0]) })
            var source = [String?](repeating: nil, count: x.shape.count)
            for (q, axis) in axes.enumerated() where source.indices.contains(axis) && indices.indices.contains(q) {
                source[axis] = indices[q]
            }
            let read = FlatIndex.horner(zip(source, x.shape).map { ($0, $1) })
            w.out.line("\(d.name)[\(FlatIndex.horner(zip(indices, d.shape).map { ($0, $1) }))] = \(x.real(read))")
            w.out.close(opened)
        }
    }

    mutating func outer(_ u: Operand, _ v: Operand, into d: Destination) {
        let (n, m) = (u.count, v.count)
        writing(d) { w in
            let (is_, rows) = w.out.loops([(w.local("i"), n)])
            let (js, columns) = w.out.loops([(w.local("j"), m)])
            let index = FlatIndex.horner([(is_[0], n), (js[0], m)])
            w.out.line("\(d.name)[\(index)] = \(u.real(is_[0] ?? "0")) * \(v.real(js[0] ?? "0"))")
            w.out.close(columns + rows)
        }
    }

    /// sqrt(sum(x^2)), as the evaluator computes it.
    mutating func norm(_ x: Operand, into d: Destination) {
        let i = local("i")
        out.line("var \(d.name) = 0.0")
        let (is_, opened) = out.loops([(i, x.count)])
        let element = x.real(is_[0] ?? "0")
        out.line("\(d.name) += \(element) * \(element)")
        out.close(opened)
        out.line("\(d.name) = sqrt(\(d.name))")
    }

    // MARK: Layout

    /// The sum over the axes that stretched an operand of the result's shape into `x`'s.
    mutating func sumTo(_ x: Operand, into d: Destination) {
        let axes = x.shape.indices.map { (local(SwiftTensorWriter.axisName($0)), x.shape[$0]) }
        if d.shape.isEmpty {
            out.line("var \(d.name) = 0.0")
            let (indices, opened) = out.loops(axes)
            out.line("\(d.name) += \(x.real(FlatIndex.horner(zip(indices, x.shape).map { ($0, $1) })))")
            out.close(opened)
            return
        }
        writing(d) { w in
            let zero = w.local("i")
            let (zs, zeroLoops) = w.out.loops([(zero, d.count)])
            w.out.line("\(d.name)[\(zs[0] ?? "0")] = 0.0")
            w.out.close(zeroLoops)
            let (indices, opened) = w.out.loops(axes)
            let target = FlatIndex.broadcast(d.shape, into: x.shape, indices: indices)
            w.out.line("\(d.name)[\(target)] += \(x.real(FlatIndex.horner(zip(indices, x.shape).map { ($0, $1) })))")
            w.out.close(opened)
        }
    }

    /// An array literal: one store per element.
    mutating func pack(_ children: [NodeID], into d: Destination) {
        var texts: [String] = []
        for child in children {
            if isInlineConstant(child) {
                texts.append(constantText(child))
            } else {
                texts.append(operand(child).real("0"))
            }
        }
        if d.shape.isEmpty {
            out.line("\(declaration(d.mode)) \(d.name) = \(texts.first ?? "0.0")")
            return
        }
        writing(d) { w in
            for (index, text) in texts.enumerated() { w.out.line("\(d.name)[\(index)] = \(text)") }
        }
    }

    /// `x[i, j]` with integer literals; a negative index on a named axis counts from its end.
    mutating func entry(_ x: Operand, _ position: [Int], into d: Destination) {
        let parts = zip(position, x.shape).map { i, e -> (index: String?, extent: Extent) in
            if i >= 0 { return (i == 0 ? nil : String(i), e) }
            return (e.names.isEmpty ? String(e.fixed + i) : "(\(e.text) - \(-i))", e)
        }
        out.line("\(declaration(d.mode)) \(d.name) = \(x.real(FlatIndex.horner(parts)))")
    }

    /// `x[y]` with a label: an element of a vector, a row of a matrix.
    mutating func take(_ x: Operand, _ label: Operand, into d: Destination) {
        let row = label.integer("0")
        let width = Extent.product(x.shape.dropFirst())
        if d.shape.isEmpty {
            out.line("\(declaration(d.mode)) \(d.name) = \(x.real(row))")
            return
        }
        writing(d) { w in
            let r = w.local("r")
            let (rs, opened) = w.out.loops([(r, width)])
            let index = FlatIndex.horner([(row, x.shape[0]), (rs[0], width)])
            w.out.line("\(d.name)[\(rs[0] ?? "0")] = \(x.real(index))")
            w.out.close(opened)
        }
    }

    /// `Z[arange(N), y]`: one element per row.
    mutating func takeRows(_ z: Operand, _ labels: Operand, into d: Destination) {
        let (n, k) = (z.shape[0], z.shape[1])
        writing(d) { w in
            let (i, label) = (w.local("i"), w.local("label"))
            let (is_, opened) = w.out.loops([(i, n)])
            let row = is_[0] ?? "0"
            w.out.line("let \(label) = \(labels.integer(row))")
            w.out.line("precondition(0 <= \(label) && \(label) < \(k.text), \"a label is out of range\")")
            w.out.line("\(d.name)[\(row)] = \(z.real(FlatIndex.horner([(is_[0], n), (label, k)])))")
            w.out.close(opened)
        }
    }

    // MARK: Softmax

    enum SoftmaxKind { case softmax, logSoftmax, logsumexp }

    /// Per lane: the maximum m (0 when it is not finite, as the evaluator and SciPy do), the sum
    /// of exp(x - m), then the result.
    mutating func softmaxFamily(_ x: Operand, axis: Int, kind: SoftmaxKind, into d: Destination) {
        let l = x.shape.isEmpty ? (outer: Extent.one, length: Extent.one, inner: Extent.one) : lanes(x.shape, axis: axis)
        let (o, t, r, m, s) = (local("o"), local("t"), local("r"), local("m"), local("s"))
        func lane(_ w: inout SwiftTensorWriter, _ os: String?, _ rs: String?, store: (inout SwiftTensorWriter) -> Void) {
            w.out.line("var \(m) = -Double.infinity")
            let (ts, maxLoops) = w.out.loops([(t, l.length)])
            w.out.line("\(m) = max(\(m), \(x.real(w.laneIndex(os, ts[0], rs, l))))")
            w.out.close(maxLoops)
            w.out.line("if !\(m).isFinite { \(m) = 0.0 }")
            w.out.line("var \(s) = 0.0")
            let (ts2, sumLoops) = w.out.loops([(t, l.length)])
            w.out.line("\(s) += exp(\(x.real(w.laneIndex(os, ts2[0], rs, l))) - \(m))")
            w.out.close(sumLoops)
            store(&w)
        }
        if d.shape.isEmpty {
            // logsumexp of a whole array (or softmax of a scalar): the lane's locals in a block.
            out.line("\(declaration(d.mode)) \(d.name): Double")
            out.open("do")
            lane(&self, nil, nil) { w in
                switch kind {
                case .softmax: w.out.line("\(d.name) = exp(\(x.real("0")) - \(m)) / \(s)")
                case .logSoftmax: w.out.line("\(d.name) = (\(x.real("0")) - \(m)) - log(\(s))")
                case .logsumexp: w.out.line("\(d.name) = \(m) + log(\(s))")
                }
            }
            out.close()
            return
        }
        writing(d) { w in
            let (os, outerLoops) = w.out.loops([(o, l.outer)])
            let (rs, innerLoops) = w.out.loops([(r, l.inner)])
            lane(&w, os[0], rs[0]) { w in
                switch kind {
                case .softmax:
                    let (ts, opened) = w.out.loops([(t, l.length)])
                    let index = w.laneIndex(os[0], ts[0], rs[0], l)
                    w.out.line("\(d.name)[\(index)] = exp(\(x.real(index)) - \(m)) / \(s)")
                    w.out.close(opened)
                case .logSoftmax:
                    let logSum = w.local("logSum")
                    w.out.line("let \(logSum) = log(\(s))")
                    let (ts, opened) = w.out.loops([(t, l.length)])
                    let index = w.laneIndex(os[0], ts[0], rs[0], l)
                    w.out.line("\(d.name)[\(index)] = (\(x.real(index)) - \(m)) - \(logSum)")
                    w.out.close(opened)
                case .logsumexp:
                    let index = FlatIndex.horner([(os[0], l.outer), (rs[0], l.inner)])
                    w.out.line("\(d.name)[\(index)] = \(m) + log(\(s))")
                }
            }
            w.out.close(innerLoops + outerLoops)
        }
    }

    /// The mean over rows of (m - z[y]) + log(sum(exp(z - m))): stable, and never through a
    /// softmax.
    mutating func crossEntropy(_ z: Operand, _ labels: Operand, into d: Destination) {
        let batched = z.shape.count == 2
        let n = batched ? z.shape[0] : Extent.one
        let k = z.shape[z.shape.count - 1]
        let (i, t, m, s, label) = (local("i"), local("t"), local("m"), local("s"), local("label"))
        out.line("var \(d.name) = 0.0")
        let (is_, rows) = out.loops([(i, n)])
        if !batched { out.open("do") }
        let row = is_[0]
        out.line("let \(label) = \(labels.integer(row ?? "0"))")
        out.line("precondition(0 <= \(label) && \(label) < \(k.text), \"a label is out of range\")")
        out.line("var \(m) = -Double.infinity")
        let (ts, maxLoops) = out.loops([(t, k)])
        out.line("\(m) = max(\(m), \(z.real(FlatIndex.horner([(row, n), (ts[0], k)]))))")
        out.close(maxLoops)
        out.line("if !\(m).isFinite { \(m) = 0.0 }")
        out.line("var \(s) = 0.0")
        let (ts2, sumLoops) = out.loops([(t, k)])
        out.line("\(s) += exp(\(z.real(FlatIndex.horner([(row, n), (ts2[0], k)]))) - \(m))")
        out.close(sumLoops)
        out.line("\(d.name) += (\(m) - \(z.real(FlatIndex.horner([(row, n), (label, k)])))) + log(\(s))")
        out.close(batched ? rows : 1)
        if batched { out.line("\(d.name) = \(d.name) / \(real(n))") }
    }

    /// One-hot rows: 1.0 at each label's class.
    mutating func onehot(_ labels: Operand, classes k: Extent, into d: Destination) {
        writing(d) { w in
            let (i, c, label) = (w.local("i"), w.local("c"), w.local("label"))
            let (is_, rows) = w.out.loops([(i, labels.count)])
            let row = is_[0]
            w.out.line("let \(label) = \(labels.integer(row ?? "0"))")
            w.out.line("precondition(0 <= \(label) && \(label) < \(k.text), \"a label is out of range\")")
            let (cs, columns) = w.out.loops([(c, k)])
            w.out.line("\(d.name)[\(FlatIndex.horner([(row, labels.count), (cs[0], k)]))] = \(label) == \(cs[0] ?? "0") ? 1.0 : 0.0")
            w.out.close(columns + rows)
        }
    }
}
