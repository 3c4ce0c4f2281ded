import Symbolic

/// Convolution and pooling in emitted Swift: plain loops over flat row-major buffers.
///
/// Every form is written as the 2-D layer form, (N, C, H, W) inputs and (K, C, FH, FW)
/// filters: a 1-D op has height 1, the worksheet form one image, one channel and one filter,
/// and a loop whose extent is 1 is not written. The index arithmetic is written once per loop
/// level and named (`inPlane`, `outRow`, `weight`): an input cell is `inRow + ow * stride`,
/// where `inRow` holds `(oh * stride + i) * paddedWidth + j`. Padding is a padded copy of the
/// operand made first (zeros for convolution and average pooling, -inf for max pooling, so a
/// padded cell never wins), so the loops need no bounds tests; a backward op scatters (`+=`)
/// into a padded buffer and copies its interior out. The innermost loops run along a row,
/// contiguous in the output (forward) or the upstream (backward).
///
/// Sums run in the evaluator's order where the loop order allows (a convolution's products
/// channel by channel and offset by offset, the bias last; a pooling window row-major); an
/// input gradient adds filter offset by filter offset, a filter gradient column by column.
extension SwiftTensorWriter {
    /// The sizes of one convolution or pooling, every form seen as (N, C, H, W) with filters
    /// (K, C, FH, FW) and output (N, K, OH, OW). Spatial sizes are fixed numbers.
    struct WindowShape {
        var batch = Extent.one, channels = Extent.one, filters = Extent.one
        var height = 1, width = 1, filterHeight = 1, filterWidth = 1, outHeight = 1, outWidth = 1
        var strideHeight = 1, strideWidth = 1, padHeight = 0, padWidth = 0

        var paddedHeight: Int { height + 2 * padHeight }
        var paddedWidth: Int { width + 2 * padWidth }
        var isPadded: Bool { padHeight > 0 || padWidth > 0 }
        var inPlaneSize: Extent { Extent(fixed: paddedHeight * paddedWidth) }
        var outPlaneSize: Extent { Extent(fixed: outHeight * outWidth) }

        /// A convolution's sizes from its input, filter and output shapes.
        init(_ c: Convolution, input: [Extent], filter: [Extent], output: [Extent]) {
            if c.isLayerForm(rank: input.count) {
                (batch, channels, filters) = (input[0], input[1], filter[0])
            }
            (width, filterWidth, outWidth) = (input.last?.fixed ?? 1, filter.last?.fixed ?? 1, output.last?.fixed ?? 1)
            (strideWidth, padWidth) = (c.stride, c.pad)
            if c.spatialAxes == 2 {
                (height, filterHeight, outHeight) = (input[input.count - 2].fixed, filter[filter.count - 2].fixed, output[output.count - 2].fixed)
                (strideHeight, padHeight) = (c.stride, c.pad)
            }
        }

        /// A pooling's sizes: every axis before the pooled ones is one batch of planes (the
        /// `batch` extent), the window is the filter.
        init(_ p: Pooling, input: [Extent], output: [Extent]) {
            batch = Extent.product(input.dropLast(p.spatialAxes))
            (width, outWidth, filterWidth) = (input.last?.fixed ?? 1, output.last?.fixed ?? 1, p.kernel)
            (strideWidth, padWidth) = (p.stride, p.pad)
            if p.spatialAxes == 2 {
                (height, outHeight, filterHeight) = (input[input.count - 2].fixed, output[output.count - 2].fixed, p.kernel)
                (strideHeight, padHeight) = (p.stride, p.pad)
            }
        }
    }

    mutating func writeConvolution(_ op: ConvolutionOp, _ children: [NodeID], into d: Destination) {
        switch op {
        case .conv(let c):
            let (x, w) = (operand(children[0]), operand(children[1]))
            let bias = children.count == 3 ? operand(children[2]) : nil
            convolve(x, w, bias: bias, WindowShape(c, input: x.shape, filter: w.shape, output: d.shape), into: d)
        case .inputGrad(let c):
            let (g, w) = (operand(children[0]), operand(children[1]))
            convolutionInputGrad(g, w, WindowShape(c, input: d.shape, filter: w.shape, output: g.shape), into: d)
        case .filterGrad(let c):
            let (x, g) = (operand(children[0]), operand(children[1]))
            convolutionFilterGrad(x, g, WindowShape(c, input: x.shape, filter: d.shape, output: g.shape), into: d)
        case .biasGrad:
            convolutionBiasGrad(operand(children[0]), into: d)
        case .pool(let p):
            let x = operand(children[0])
            pool(x, p.kind, WindowShape(p, input: x.shape, output: d.shape), into: d)
        case .maxPoolGrad(let p):
            let (x, g) = (operand(children[0]), operand(children[1]))
            maxPoolGrad(x, g, WindowShape(p, input: x.shape, output: g.shape), into: d)
        case .maxPoolPick(let p):
            let (x, u) = (operand(children[0]), operand(children[1]))
            maxPoolPick(x, u, WindowShape(p, input: x.shape, output: d.shape), into: d)
        case .avgPoolGrad(let p):
            let g = operand(children[0])
            avgPoolGrad(g, WindowShape(p, input: d.shape, output: g.shape), area: p.kernel * (p.spatialAxes == 2 ? p.kernel : 1), into: d)
        }
    }

    // MARK: Index text

    /// `a + b + c` of the terms that are there (`0` for none).
    static func plus(_ terms: [String?]) -> String {
        let present = terms.compactMap { $0 }
        return present.isEmpty ? "0" : present.joined(separator: " + ")
    }

    /// An index computed once and named: `let name = a + b` for a compound sum, nil for none
    /// (the index is 0), and a single term (`outPlane`, `j`) as itself.
    mutating func named(_ preferred: String, _ terms: [String?]) -> String? {
        let present = terms.compactMap { $0 }.filter { $0 != "0" }
        guard let first = present.first else { return nil }
        if present.count == 1 && !first.contains(" ") { return first }
        let name = local(preferred)
        out.line("let \(name) = " + present.joined(separator: " + "))
        return name
    }

    /// `index * factor`, grouped when the index is a sum; nil for no index.
    static func times(_ index: String?, _ factor: Int) -> String? {
        guard let index else { return nil }
        if factor == 1 { return index }
        return (index.contains(" + ") ? "(\(index))" : index) + " * \(factor)"
    }

    /// The padded input's row (or column) under output position `o` and window offset `i`:
    /// `o * stride + i`.
    static func window(_ o: String?, stride: Int, _ i: String?) -> String? {
        let terms = [times(o, stride), i].compactMap { $0 }
        return terms.isEmpty ? nil : terms.joined(separator: " + ")
    }

    // MARK: Padding

    /// The operand to read windows from: `x` itself, or, with padding, a copy of it with `pad`
    /// cells of `fill` around every plane, declared here (inside the op's block).
    private mutating func padded(_ x: Operand, _ s: WindowShape, fill: String, as preferred: String = "paddedInput") -> Operand {
        guard s.isPadded else { return x }
        let planes = s.batch * s.channels
        let (name, plane, r, c, from, to) = (local(preferred), local("plane"), local("r"), local("col"), local("from"), local("to"))
        out.line("// \(x.name) padded with \(fill == "0.0" ? "zeros" : "-inf") on every side: each plane \(s.paddedHeight) x \(s.paddedWidth)")
        out.line("var \(name) = [Double](repeating: \(fill), count: \(Extent.product([planes, s.inPlaneSize]).text))")
        let (ps, planeLoops) = out.loops([(plane, planes)])
        let (rs, rowLoops) = out.loops([(r, Extent(fixed: s.height))])
        // (A block of its own when no loop scopes the row indices: a backward op crops too.)
        if planeLoops + rowLoops == 0 { out.open("do") }
        let source = named(from, [FlatIndex.horner([(ps[0], planes), (rs[0], Extent(fixed: s.height)), (nil, Extent(fixed: s.width))])])
        let target = named(to, [paddedRow(ps[0], rs[0], s), s.padWidth > 0 ? String(s.padWidth) : nil])
        let (cs, columnLoops) = out.loops([(c, Extent(fixed: s.width))])
        out.line("\(name)[\(Self.plus([target, cs[0]]))] = \(x.real(Self.plus([source, cs[0]])))")
        out.close(columnLoops + Swift.max(rowLoops + planeLoops, 1))
        return Operand(name: name, shape: [planes, Extent(fixed: s.paddedHeight), Extent(fixed: s.paddedWidth)], isInteger: false)
    }

    /// Where a backward op scatters: `d` itself, zeroed, or, with padding, a zeroed padded
    /// buffer whose interior `cropPadding` copies into `d` afterwards.
    private mutating func scatterTarget(_ d: Destination, _ s: WindowShape) -> String {
        if s.isPadded {
            let name = local("paddedGradient")
            out.line("// the gradient of the padded input: each plane \(s.paddedHeight) x \(s.paddedWidth), its border dropped at the end")
            out.line("var \(name) = [Double](repeating: 0.0, count: \(Extent.product([s.batch * s.channels, s.inPlaneSize]).text))")
            return name
        }
        let i = local("i")
        let (is_, opened) = out.loops([(i, d.count)])
        out.line("\(d.name)[\(is_[0] ?? "0")] = 0.0")
        out.close(opened)
        return d.name
    }

    /// Copies the interior of the padded buffer `source` into `d`.
    private mutating func cropPadding(_ source: String, _ s: WindowShape, into d: Destination) {
        guard s.isPadded else { return }
        let planes = s.batch * s.channels
        let (plane, r, c, from, to) = (local("plane"), local("r"), local("col"), local("from"), local("to"))
        out.line("// the interior, without the padding")
        let (ps, planeLoops) = out.loops([(plane, planes)])
        let (rs, rowLoops) = out.loops([(r, Extent(fixed: s.height))])
        if planeLoops + rowLoops == 0 { out.open("do") }
        let start = named(from, [paddedRow(ps[0], rs[0], s), s.padWidth > 0 ? String(s.padWidth) : nil])
        let target = named(to, [FlatIndex.horner([(ps[0], planes), (rs[0], Extent(fixed: s.height)), (nil, Extent(fixed: s.width))])])
        let (cs, columnLoops) = out.loops([(c, Extent(fixed: s.width))])
        out.line("\(d.name)[\(Self.plus([target, cs[0]]))] = \(source)[\(Self.plus([start, cs[0]]))]")
        out.close(columnLoops + Swift.max(rowLoops + planeLoops, 1))
    }

    /// Where row `r` of plane `plane` starts in the padded buffer, left padding included:
    /// `(plane * paddedHeight + r + padHeight) * paddedWidth`.
    private func paddedRow(_ plane: String?, _ r: String?, _ s: WindowShape) -> String {
        let row = [r, s.padHeight > 0 ? String(s.padHeight) : nil].compactMap { $0 }
        return FlatIndex.horner([(plane, s.batch * s.channels), (row.isEmpty ? nil : row.joined(separator: " + "), Extent(fixed: s.paddedHeight)),
                                 (nil, Extent(fixed: s.paddedWidth))])
    }

    // MARK: Convolution

    /// The loops shared by a convolution and its input gradient: image n, filter k, channel c,
    /// filter offset (i, j), output row oh, with `outPlane`/`inPlane`/`weight`/`outRow`/`inRow`
    /// named on the way; `body` writes the innermost loop over the output columns.
    private mutating func convolutionLoops(_ w: Operand, _ s: WindowShape, planeStart: (inout SwiftTensorWriter, _ outPlane: String?, _ k: String?) -> Void,
                                           body: (inout SwiftTensorWriter, _ weight: String, _ outRow: String?, _ inRow: String?) -> Void,
                                           planeEnd: (inout SwiftTensorWriter, _ outPlane: String?, _ k: String?) -> Void) {
        let (n, k, ch, i, j, oh) = (local("n"), local("k"), local("ch"), local("i"), local("j"), local("oh"))
        let (ns, imageLoops) = out.loops([(n, s.batch)])
        let (ks, filterLoops) = out.loops([(k, s.filters)])
        let outPlane = named("outPlane", [FlatIndex.horner([(ns[0], s.batch), (ks[0], s.filters), (nil, s.outPlaneSize)])])
        planeStart(&self, outPlane, ks[0])
        let (cs, channelLoops) = out.loops([(ch, s.channels)])
        let inPlane = named("inPlane", [FlatIndex.horner([(ns[0], s.batch), (cs[0], s.channels), (nil, s.inPlaneSize)])])
        let (offsets, offsetLoops) = out.loops([(i, Extent(fixed: s.filterHeight)), (j, Extent(fixed: s.filterWidth))])
        let filterIndex = FlatIndex.horner([(ks[0], s.filters), (cs[0], s.channels), (offsets[0], Extent(fixed: s.filterHeight)),
                                            (offsets[1], Extent(fixed: s.filterWidth))])
        let weight = local("weight")
        out.line("let \(weight) = \(w.real(filterIndex))")
        let (ohs, rowLoops) = out.loops([(oh, Extent(fixed: s.outHeight))])
        let outRow = named("outRow", [outPlane, Self.times(ohs[0], s.outWidth)])
        let row = Self.window(ohs[0], stride: s.strideHeight, offsets[0])
        let inRow = named("inRow", [inPlane, Self.times(row, s.paddedWidth), offsets[1]])
        body(&self, weight, outRow, inRow)
        out.close(rowLoops + offsetLoops + channelLoops)
        planeEnd(&self, outPlane, ks[0])
        out.close(filterLoops + imageLoops)
    }

    /// out[n, k, oh, ow] = sum over c, i, j of x[n, c, oh*S + i - P, ow*S + j - P] w[k, c, i, j],
    /// plus b[k]: each filter offset's weight times a row of the input, added to a row of the
    /// output (a contiguous inner loop).
    mutating func convolve(_ x: Operand, _ w: Operand, bias: Operand?, _ s: WindowShape, into d: Destination) {
        writing(d) { writer in
            let source = writer.padded(x, s, fill: "0.0")
            let (ow, p) = (writer.local("ow"), writer.local("p"))
            writer.convolutionLoops(w, s, planeStart: { writer, outPlane, _ in
                let (ps, opened) = writer.out.loops([(p, s.outPlaneSize)])
                writer.out.line("\(d.name)[\(Self.plus([outPlane, ps[0]]))] = 0.0")
                writer.out.close(opened)
            }, body: { writer, weight, outRow, inRow in
                let (ows, opened) = writer.out.loops([(ow, Extent(fixed: s.outWidth))])
                writer.out.line("\(d.name)[\(Self.plus([outRow, ows[0]]))] += \(weight) * \(source.real(Self.plus([inRow, Self.times(ows[0], s.strideWidth)])))")
                writer.out.close(opened)
            }, planeEnd: { writer, outPlane, k in
                guard let bias else { return }
                writer.out.line("// the filter's bias, added last as the evaluator does")
                let (ps, opened) = writer.out.loops([(p, s.outPlaneSize)])
                writer.out.line("\(d.name)[\(Self.plus([outPlane, ps[0]]))] += \(bias.real(k ?? "0"))")
                writer.out.close(opened)
            })
        }
    }

    /// dx: every product x*w of the forward pass sends upstream*w back to its x, scattered with
    /// `+=` (overlapping windows accumulate): each filter offset's weight times a row of the
    /// upstream, added into the input row it was read from.
    mutating func convolutionInputGrad(_ g: Operand, _ w: Operand, _ s: WindowShape, into d: Destination) {
        writing(d) { writer in
            let target = writer.scatterTarget(d, s)
            let ow = writer.local("ow")
            writer.convolutionLoops(w, s, planeStart: { _, _, _ in }, body: { writer, weight, outRow, inRow in
                let (ows, opened) = writer.out.loops([(ow, Extent(fixed: s.outWidth))])
                writer.out.line("\(target)[\(Self.plus([inRow, Self.times(ows[0], s.strideWidth)]))] += \(weight) * \(g.real(Self.plus([outRow, ows[0]])))")
                writer.out.close(opened)
            }, planeEnd: { _, _, _ in })
            writer.cropPadding(target, s, into: d)
        }
    }

    /// dw[k, c, i, j] = sum over n, oh, ow of x[n, c, oh*S + i - P, ow*S + j - P] g[n, k, oh, ow]:
    /// a row of partial sums, one per output column, takes the products image by image and row
    /// by row (an element-wise inner loop, which `swiftc -O` vectorises, where one running sum
    /// would wait on each addition: 2.6x faster on LeNet's filter gradient), then is summed.
    mutating func convolutionFilterGrad(_ x: Operand, _ g: Operand, _ s: WindowShape, into d: Destination) {
        writing(d) { w in
            let source = w.padded(x, s, fill: "0.0")
            let (k, ch, i, j, n, oh, ow, sum, partial) = (w.local("k"), w.local("ch"), w.local("i"), w.local("j"), w.local("n"), w.local("oh"),
                                                           w.local("ow"), w.local("sum"), w.local("partial"))
            let columns = Extent(fixed: s.outWidth)
            w.out.line("var \(partial) = [Double](repeating: 0.0, count: \(s.outWidth))")
            let (ks, filterLoops) = w.out.loops([(k, s.filters)])
            let (cs, channelLoops) = w.out.loops([(ch, s.channels)])
            let (offsets, offsetLoops) = w.out.loops([(i, Extent(fixed: s.filterHeight)), (j, Extent(fixed: s.filterWidth))])
            let (zs, zeroLoops) = w.out.loops([(ow, columns)])
            w.out.line("\(partial)[\(zs[0] ?? "0")] = 0.0")
            w.out.close(zeroLoops)
            let (ns, imageLoops) = w.out.loops([(n, s.batch)])
            let (ohs, rowLoops) = w.out.loops([(oh, Extent(fixed: s.outHeight))])
            let outRow = w.named("outRow", [FlatIndex.horner([(ns[0], s.batch), (ks[0], s.filters), (ohs[0], Extent(fixed: s.outHeight)), (nil, columns)])])
            let row = Self.window(ohs[0], stride: s.strideHeight, offsets[0])
            let inRow = w.named("inRow", [FlatIndex.horner([(ns[0], s.batch), (cs[0], s.channels), (row, Extent(fixed: s.paddedHeight)), (nil, Extent(fixed: s.paddedWidth))]), offsets[1]])
            let (ows, columnLoops) = w.out.loops([(ow, columns)])
            w.out.line("\(partial)[\(ows[0] ?? "0")] += \(source.real(Self.plus([inRow, Self.times(ows[0], s.strideWidth)]))) * \(g.real(Self.plus([outRow, ows[0]])))")
            w.out.close(columnLoops + rowLoops + imageLoops)
            w.out.line("var \(sum) = 0.0")
            let (ss, sumLoops) = w.out.loops([(ow, columns)])
            w.out.line("\(sum) += \(partial)[\(ss[0] ?? "0")]")
            w.out.close(sumLoops)
            let filterIndex = FlatIndex.horner([(ks[0], s.filters), (cs[0], s.channels), (offsets[0], Extent(fixed: s.filterHeight)),
                                                (offsets[1], Extent(fixed: s.filterWidth))])
            w.out.line("\(d.name)[\(filterIndex)] = \(sum)")
            w.out.close(offsetLoops + channelLoops + filterLoops)
        }
    }

    /// db[k] = the upstream summed over the batch and every spatial axis.
    mutating func convolutionBiasGrad(_ g: Operand, into d: Destination) {
        let (batch, filters) = (g.shape[0], g.shape[1])
        let plane = Extent.product(g.shape.dropFirst(2))
        writing(d) { w in
            let (k, n, p, sum) = (w.local("k"), w.local("n"), w.local("p"), w.local("sum"))
            let (ks, filterLoops) = w.out.loops([(k, filters)])
            w.out.line("var \(sum) = 0.0")
            let (ns, imageLoops) = w.out.loops([(n, batch)])
            let (ps, planeLoops) = w.out.loops([(p, plane)])
            w.out.line("\(sum) += \(g.real(FlatIndex.horner([(ns[0], batch), (ks[0], filters), (ps[0], plane)])))")
            w.out.close(planeLoops + imageLoops)
            w.out.line("\(d.name)[\(ks[0] ?? "0")] = \(sum)")
            w.out.close(filterLoops)
        }
    }

    // MARK: Pooling

    /// The loops over every window: plane, output row and column, with `inPlane`, `outIndex`
    /// and the window's first cell `corner` named; `body` gets the output index and a function
    /// giving the padded input index of the cell at window offset (i, j): `corner + i * W + j`.
    private mutating func windows(_ s: WindowShape, body: (inout SwiftTensorWriter, _ outIndex: String, _ cell: (String?, String?) -> String) -> Void) {
        let (plane, oh, ow) = (local("plane"), local("oh"), local("ow"))
        let (ps, planeLoops) = out.loops([(plane, s.batch)])
        let inPlane = named("inPlane", [Self.times(ps[0], s.paddedHeight * s.paddedWidth)])
        let (positions, positionLoops) = out.loops([(oh, Extent(fixed: s.outHeight)), (ow, Extent(fixed: s.outWidth))])
        let outIndex = named("outIndex", [FlatIndex.horner([(ps[0], s.batch), (positions[0], Extent(fixed: s.outHeight)), (positions[1], Extent(fixed: s.outWidth))])]) ?? "0"
        let corner = named("corner", [inPlane, Self.times(positions[0], s.strideHeight * s.paddedWidth), Self.times(positions[1], s.strideWidth)])
        body(&self, outIndex) { i, j in Self.plus([corner, Self.times(i, s.paddedWidth), j]) }
        out.close(positionLoops + planeLoops)
    }

    /// Max pooling: the first maximal cell of each window (a NaN wins, as in NumPy); average
    /// pooling: the window's sum over its size, padded cells counted as zeros.
    mutating func pool(_ x: Operand, _ kind: PoolKind, _ s: WindowShape, into d: Destination) {
        writing(d) { w in
            let isMax: Bool
            switch kind {
            case .max: isMax = true
            case .average: isMax = false
            }
            let source = w.padded(x, s, fill: isMax ? "-Double.infinity" : "0.0")
            let (i, j, best, v, sum) = (w.local("i"), w.local("j"), w.local("best"), w.local("v"), w.local("sum"))
            w.windows(s) { w, outIndex, cell in
                w.out.line(isMax ? "var \(best) = -Double.infinity" : "var \(sum) = 0.0")
                let (offsets, opened) = w.out.loops([(i, Extent(fixed: s.filterHeight)), (j, Extent(fixed: s.filterWidth))])
                if isMax {
                    w.out.line("let \(v) = \(source.real(cell(offsets[0], offsets[1])))")
                    w.out.line("if \(v) > \(best) || (\(v).isNaN && !\(best).isNaN) { \(best) = \(v) }")
                } else {
                    w.out.line("\(sum) += \(source.real(cell(offsets[0], offsets[1])))")
                }
                w.out.close(opened)
                w.out.line("\(d.name)[\(outIndex)] = " + (isMax ? best : "\(sum) / \(s.filterHeight * s.filterWidth).0"))
            }
        }
    }

    /// Declares `at`, the padded index of the window's first maximal cell (row-major; a NaN
    /// wins, a padded -inf cell never does: when every real cell is -inf, the first real cell),
    /// searching the window whose cells `cell` gives.
    private mutating func firstMaximum(_ source: Operand, _ s: WindowShape, cell: (String?, String?) -> String) -> String {
        let (i, j, best, at, cellName, v) = (local("i"), local("j"), local("best"), local("at"), local("cell"), local("v"))
        out.line("var \(best) = -Double.infinity")
        out.line("var \(at) = \(cell(nil, nil))")
        // With padding, a window whose real cells are all -inf still sends its gradient to the
        // first real cell, as the evaluator does, never to a padded one (which is dropped).
        let found = s.isPadded ? local("found") : nil
        let real = s.isPadded ? local("real") : nil
        if let found { out.line("var \(found) = false") }
        let (offsets, opened) = out.loops([(i, Extent(fixed: s.filterHeight)), (j, Extent(fixed: s.filterWidth))])
        out.line("let \(cellName) = \(cell(offsets[0], offsets[1]))")
        out.line("let \(v) = \(source.real(cellName))")
        if let found, let real {
            // The cell's row and column in its padded plane; only real cells count as found.
            let (plane, row, column) = (local("plane"), local("row"), local("column"))
            out.line("let \(plane) = \(s.paddedHeight * s.paddedWidth)")
            out.line("let \(row) = (\(cellName) - \(cellName) / \(plane) * \(plane)) / \(s.paddedWidth)")
            out.line("let \(column) = \(cellName) - \(cellName) / \(s.paddedWidth) * \(s.paddedWidth)")
            out.line("let \(real) = \(row) >= \(s.padHeight) && \(row) < \(s.padHeight + s.height) && \(column) >= \(s.padWidth) && \(column) < \(s.padWidth + s.width)")
            out.line("if \(v) > \(best) || (\(v).isNaN && !\(best).isNaN) || (!\(found) && \(real)) {")
        } else {
            out.line("if \(v) > \(best) || (\(v).isNaN && !\(best).isNaN) {")
        }
        out.line("    \(best) = \(v)")
        out.line("    \(at) = \(cellName)")
        out.line("}")
        if let found, let real { out.line("\(found) = \(found) || \(real)") }
        out.close(opened)
        return at
    }

    /// Each window's upstream to its first maximum (row-major; a NaN wins, a padded -inf cell
    /// never does), scattered with `+=`: overlapping windows accumulate.
    mutating func maxPoolGrad(_ x: Operand, _ g: Operand, _ s: WindowShape, into d: Destination) {
        writing(d) { w in
            let source = w.padded(x, s, fill: "-Double.infinity")
            let target = w.scatterTarget(d, s)
            w.windows(s) { w, outIndex, cell in
                let at = w.firstMaximum(source, s, cell: cell)
                w.out.line("// the window's gradient goes to its first maximum")
                w.out.line("\(target)[\(at)] += \(g.real(outIndex))")
            }
            w.cropPadding(target, s, into: d)
        }
    }

    /// u (x's shape) at each window's first maximum of x: the adjoint of `maxPoolGrad` in its
    /// upstream, which second derivatives of max pooling stage to.
    mutating func maxPoolPick(_ x: Operand, _ u: Operand, _ s: WindowShape, into d: Destination) {
        writing(d) { w in
            let source = w.padded(x, s, fill: "-Double.infinity")
            let picked = w.padded(u, s, fill: "0.0", as: "paddedPicked")
            w.windows(s) { w, outIndex, cell in
                let at = w.firstMaximum(source, s, cell: cell)
                w.out.line("\(d.name)[\(outIndex)] = \(picked.real(at))")
            }
        }
    }

    /// Each window's upstream over the window size to every cell of the window, scattered with
    /// `+=`: overlapping windows accumulate.
    mutating func avgPoolGrad(_ g: Operand, _ s: WindowShape, area: Int, into d: Destination) {
        writing(d) { w in
            let target = w.scatterTarget(d, s)
            let (i, j, share) = (w.local("i"), w.local("j"), w.local("share"))
            w.windows(s) { w, outIndex, cell in
                w.out.line("let \(share) = \(g.real(outIndex)) / \(area).0")
                let (offsets, opened) = w.out.loops([(i, Extent(fixed: s.filterHeight)), (j, Extent(fixed: s.filterWidth))])
                w.out.line("\(target)[\(cell(offsets[0], offsets[1]))] += \(share)")
                w.out.close(opened)
            }
            w.cropPadding(target, s, into: d)
        }
    }
}
