/// Convolution and pooling on flat row-major buffers, as plain loops: the reference the
/// emitted code and the finite-difference tests are held to. A 1-D op is the 2-D one with
/// height 1; the worksheet form is the layer form with one image, one channel and one filter.
extension Tensor {
    /// The sizes of one convolution, every form seen as (N, C, H, W) with (K, C, FH, FW).
    struct ConvGeometry {
        var batch = 1, channels = 1, filters = 1
        var height = 1, width = 1, filterHeight = 1, filterWidth = 1, outHeight = 1, outWidth = 1
        var stride = 1, pad = 0
        /// Padding and stride on the height axis: none for a 1-D convolution.
        var padHeight = 0, strideHeight = 1

        init(_ c: Convolution, input: [Int], filter: [Int], output: [Int]) {
            stride = c.stride
            pad = c.pad
            if c.isLayerForm(rank: input.count) {
                (batch, channels, filters) = (input[0], input[1], filter[0])
            }
            let d = c.spatialAxes
            width = input[input.count - 1]
            filterWidth = filter[filter.count - 1]
            outWidth = output[output.count - 1]
            if d == 2 {
                (padHeight, strideHeight) = (c.pad, c.stride)
                height = input[input.count - 2]
                filterHeight = filter[filter.count - 2]
                outHeight = output[output.count - 2]
            }
        }

        /// The input row of output row `o` and filter row `i`, or nil in the padding.
        @inline(__always) func row(_ o: Int, _ i: Int) -> Int? {
            let h = o * strideHeight + i - padHeight
            return h >= 0 && h < height ? h : nil
        }

        @inline(__always) func column(_ o: Int, _ j: Int) -> Int? {
            let w = o * stride + j - pad
            return w >= 0 && w < width ? w : nil
        }

        /// Calls `body(inputOffset, filterOffset, outputOffset)` for every product of the
        /// convolution that does not touch the padding.
        func forEachProduct(_ body: (Int, Int, Int) -> Void) {
            for n in 0..<batch {
                for k in 0..<filters {
                    for oh in 0..<outHeight {
                        for ow in 0..<outWidth {
                            let out = ((n * filters + k) * outHeight + oh) * outWidth + ow
                            for c in 0..<channels {
                                for i in 0..<filterHeight {
                                    guard let h = row(oh, i) else { continue }
                                    for j in 0..<filterWidth {
                                        guard let w = column(ow, j) else { continue }
                                        body(((n * channels + c) * height + h) * width + w,
                                             ((k * channels + c) * filterHeight + i) * filterWidth + j, out)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// out[n, k, oh, ow] = b[k] + sum over c, i, j of x[n, c, oh*S + i - P, ow*S + j - P] w[k, c, i, j].
    static func convolve(_ x: [Double], _ w: [Double], bias: [Double]?, _ g: ConvGeometry) -> [Double] {
        var out = [Double](repeating: 0, count: g.batch * g.filters * g.outHeight * g.outWidth)
        g.forEachProduct { xi, wi, oi in out[oi] += x[xi] * w[wi] }
        if let bias {
            let plane = g.outHeight * g.outWidth
            for i in out.indices { out[i] += bias[(i / plane) % g.filters] }
        }
        return out
    }

    /// dx: every product x*w of the forward pass sends upstream*w back to its x.
    static func convolutionInputGrad(_ upstream: [Double], _ w: [Double], _ g: ConvGeometry) -> [Double] {
        var dx = [Double](repeating: 0, count: g.batch * g.channels * g.height * g.width)
        g.forEachProduct { xi, wi, oi in dx[xi] += upstream[oi] * w[wi] }
        return dx
    }

    /// dw: every product x*w of the forward pass sends upstream*x back to its w.
    static func convolutionFilterGrad(_ x: [Double], _ upstream: [Double], _ g: ConvGeometry) -> [Double] {
        var dw = [Double](repeating: 0, count: g.filters * g.channels * g.filterHeight * g.filterWidth)
        g.forEachProduct { xi, wi, oi in dw[wi] += x[xi] * upstream[oi] }
        return dw
    }

    /// The sizes of one pooling: `planes` independent (H, W) planes (every leading axis).
    struct PoolGeometry {
        var kind: PoolKind
        var planes = 1, height = 1, width = 1, outHeight = 1, outWidth = 1
        var kernelHeight = 1, kernelWidth = 1, strideHeight = 1, strideWidth = 1, padHeight = 0, padWidth = 0

        init(_ p: Pooling, input: [Int], output: [Int]) {
            kind = p.kind
            width = input[input.count - 1]
            outWidth = output[output.count - 1]
            (kernelWidth, strideWidth, padWidth) = (p.kernel, p.stride, p.pad)
            if p.spatialAxes == 2 {
                height = input[input.count - 2]
                outHeight = output[output.count - 2]
                (kernelHeight, strideHeight, padHeight) = (p.kernel, p.stride, p.pad)
            }
            planes = input.dropLast(p.spatialAxes).reduce(1, *)
        }

        /// The window size every average divides by (padded cells count as zeros).
        var area: Double { Double(kernelHeight * kernelWidth) }

        /// Calls `body(windowOffset, cells)` for each window with the flat input offsets of its
        /// real (unpadded) cells in row-major order.
        func forEachWindow(_ body: (Int, [Int]) -> Void) {
            var cells: [Int] = []
            cells.reserveCapacity(kernelHeight * kernelWidth)
            for plane in 0..<planes {
                for oh in 0..<outHeight {
                    for ow in 0..<outWidth {
                        cells.removeAll(keepingCapacity: true)
                        for i in 0..<kernelHeight {
                            let h = oh * strideHeight + i - padHeight
                            guard h >= 0, h < height else { continue }
                            for j in 0..<kernelWidth {
                                let w = ow * strideWidth + j - padWidth
                                guard w >= 0, w < width else { continue }
                                cells.append((plane * height + h) * width + w)
                            }
                        }
                        body((plane * outHeight + oh) * outWidth + ow, cells)
                    }
                }
            }
        }

        /// The first maximal cell of a window (row-major): a NaN wins, as NumPy's max
        /// propagates it; padding is -inf and never wins (it is not among `cells`).
        static func winner(_ x: [Double], _ cells: [Int]) -> Int? {
            var best: Int?
            for cell in cells {
                guard let b = best else { best = cell; continue }
                if x[cell] > x[b] || (x[cell].isNaN && !x[b].isNaN) { best = cell }
            }
            return best
        }
    }

    static func pool(_ x: [Double], _ g: PoolGeometry) -> [Double] {
        var out = [Double](repeating: 0, count: g.planes * g.outHeight * g.outWidth)
        g.forEachWindow { o, cells in
            switch g.kind {
            case .max: out[o] = PoolGeometry.winner(x, cells).map { x[$0] } ?? -.infinity
            case .average: out[o] = cells.reduce(0) { $0 + x[$1] } / g.area
            }
        }
        return out
    }

    /// Each window's upstream to its first maximum; overlapping windows accumulate.
    static func maxPoolGrad(_ x: [Double], _ upstream: [Double], _ g: PoolGeometry) -> [Double] {
        var dx = [Double](repeating: 0, count: x.count)
        g.forEachWindow { o, cells in
            if let w = PoolGeometry.winner(x, cells) { dx[w] += upstream[o] }
        }
        return dx
    }

    /// Each window's value of `u` at the window's first maximum of `x`.
    static func maxPoolPick(_ x: [Double], _ u: [Double], _ g: PoolGeometry) -> [Double] {
        var out = [Double](repeating: 0, count: g.planes * g.outHeight * g.outWidth)
        g.forEachWindow { o, cells in
            if let w = PoolGeometry.winner(x, cells) { out[o] = u[w] }
        }
        return out
    }

    /// Each window's upstream over the window size to each of its real cells.
    static func avgPoolGrad(_ upstream: [Double], _ g: PoolGeometry) -> [Double] {
        var dx = [Double](repeating: 0, count: g.planes * g.height * g.width)
        g.forEachWindow { o, cells in
            for cell in cells { dx[cell] += upstream[o] / g.area }
        }
        return dx
    }

    /// Whether some window of a max pooling of `x` has its maximum twice (the gradient then
    /// goes to the first, row-major).
    static func maxPoolHasTie(_ x: Tensor, _ p: Pooling, output: [Int]) -> Bool {
        let g = PoolGeometry(p, input: x.sizes, output: output)
        var tie = false
        g.forEachWindow { _, cells in
            guard !tie, let w = PoolGeometry.winner(x.scalars, cells) else { return }
            tie = cells.contains { $0 != w && x.scalars[$0] == x.scalars[w] }
        }
        return tie
    }
}
