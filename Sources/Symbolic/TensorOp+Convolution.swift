import ExprParse

/// The parameters of one convolution: how many spatial axes it slides over (1 for `conv1d`,
/// 2 for `conv2d`), its stride and its zero padding, the same on every spatial axis.
///
/// Which form a call has is read from its operands' ranks: the worksheet form takes an input
/// and a filter with only the spatial axes (a vector with a vector, a matrix with a matrix);
/// the layer form takes an input (N, C, L) or (N, C, H, W) and filters (K, C, F) or
/// (K, C, F, F), NCHW/OIHW as PyTorch, with an optional bias (K,).
public struct Convolution: Hashable, Sendable {
    /// 1 or 2.
    public var spatialAxes: Int
    public var stride: Int
    public var pad: Int

    public init(spatialAxes: Int, stride: Int = 1, pad: Int = 0) {
        self.spatialAxes = spatialAxes
        self.stride = stride
        self.pad = pad
    }

    /// `conv1d` or `conv2d`.
    public var name: String { "conv\(spatialAxes)d" }

    /// Whether operands of rank `rank` are in the layer form (N, C, ...) rather than the
    /// worksheet form (spatial axes only).
    public func isLayerForm(rank: Int) -> Bool { rank == spatialAxes + 2 }

    /// `stride=2, pad=1`, leaving out the defaults (stride 1, no padding).
    var keywords: [(String, String)] {
        var out: [(String, String)] = []
        if stride != 1 { out.append(("stride", String(stride))) }
        if pad != 0 { out.append(("pad", String(pad))) }
        return out
    }
}

/// Max or average pooling.
public enum PoolKind: Hashable, Sendable {
    case max
    /// The mean over the whole window, padded cells counted as zeros (PyTorch's default
    /// `count_include_pad=True`): the divisor is always kernel^axes.
    case average
}

/// The parameters of one pooling: its kind, how many trailing axes it pools (1 or 2), the
/// window size, stride (by default the window size) and padding (-inf for max pooling, so a
/// padded cell never wins; zeros for average pooling). Every axis before the pooled ones is a
/// batch axis: a matrix, (C, H, W) and (N, C, H, W) all pool plane by plane.
public struct Pooling: Hashable, Sendable {
    public var kind: PoolKind
    /// 1 or 2.
    public var spatialAxes: Int
    public var kernel: Int
    public var stride: Int
    public var pad: Int

    public init(kind: PoolKind, spatialAxes: Int, kernel: Int, stride: Int? = nil, pad: Int = 0) {
        self.kind = kind
        self.spatialAxes = spatialAxes
        self.kernel = kernel
        self.stride = stride ?? kernel
        self.pad = pad
    }

    /// `maxpool2d`, `avgpool1d`, ...
    public var name: String {
        switch kind {
        case .max: return "maxpool\(spatialAxes)d"
        case .average: return "avgpool\(spatialAxes)d"
        }
    }

    /// `stride=1, pad=1`, leaving out the defaults (stride = kernel, no padding).
    var keywords: [(String, String)] {
        var out: [(String, String)] = []
        if stride != kernel { out.append(("stride", String(stride))) }
        if pad != 0 { out.append(("pad", String(pad))) }
        return out
    }
}

/// Convolution (cross-correlation, no flip, as PyTorch and the courses) and pooling, with the
/// ops their backward passes stage to, so that `stage --backward` prints the pass a worksheet
/// derives: the input gradient is a full correlation of the upstream with the flipped filter
/// (`conv1d_input_grad(dy, w)`, PyTorch's transposed convolution), the filter gradient a
/// correlation of the input with the upstream (`conv1d_filter_grad(x, dy)`), the bias gradient
/// the upstream summed over every axis but the channel axis, max pooling's gradient routed to
/// each window's first maximum (row-major), average pooling's spread evenly over each window.
///
/// Output sizes follow `(W - F + 2P)/S + 1` on each spatial axis; a configuration where that is
/// not a whole number is refused with the arithmetic (`ShapeError.windowSize`), as the
/// worksheets teach, never floored. Spatial sizes must be fixed numbers; the batch axis N and
/// the filter count K may be named. A backward op's spatial sizes are those of the forward
/// op's operands, recovered exactly from the same formula.
public enum ConvolutionOp: Hashable, Sendable {
    /// `conv2d(x, w)` or `conv2d(x, w, b)`: operands x, w and an optional bias b (K,).
    case conv(Convolution)
    /// dL/dx of a convolution: operands the upstream g (shape of the conv's output) and the
    /// filter w. dx[c, h] = sum over k, o, i with o*S + i - P = h of g[k, o] w[k, c, i].
    case inputGrad(Convolution)
    /// dL/dw of a convolution: operands the input x and the upstream g.
    /// dw[k, c, i] = sum over n, o of x[n, c, o*S + i - P] g[n, k, o].
    case filterGrad(Convolution)
    /// dL/db of a convolution's bias: the upstream g summed over every axis but axis 1 (K).
    case biasGrad(Convolution)
    /// `maxpool2d(x, 2)`, `avgpool2d(x, 3, stride=2, pad=1)`: operand x.
    case pool(Pooling)
    /// dL/dx of a max pooling: operands x and the upstream g; each window's upstream goes to
    /// the window's first maximum in row-major order; overlapping windows accumulate.
    case maxPoolGrad(Pooling)
    /// dL/dx of an average pooling: operand g; each window's upstream divided by the window
    /// size goes to every real cell of the window.
    case avgPoolGrad(Pooling)
    /// The adjoint of `maxPoolGrad` in its upstream: operands x and u (x's shape); each
    /// window's value is u at the window's first maximum of x. Only second derivatives of max
    /// pooling stage to it.
    case maxPoolPick(Pooling)

    // MARK: - Shapes

    func shape(_ inputs: [TensorShape]) throws(ShapeError) -> TensorShape {
        switch self {
        case .conv(let c):
            let (x, w) = (inputs[0], inputs[1])
            let layer = try ConvolutionOp.form(c, input: x, filter: w, inputName: "an input", operation: c.name)
            let filterSizes = try ConvolutionOp.spatialSizes(w, c.spatialAxes, c.name)
            let inputSizes = try ConvolutionOp.spatialSizes(x, c.spatialAxes, c.name)
            var out: [Dimension] = []
            for (n, f) in zip(inputSizes, filterSizes) {
                out.append(.fixed(try ConvolutionOp.outputSize(c.name, size: n, window: f, pad: c.pad, stride: c.stride)))
            }
            if layer {
                try ConvolutionOp.sameChannels(c.name, x, w, xAxis: 1, wAxis: 1)
                if inputs.count == 3 {
                    let b = inputs[2]
                    guard b.rank == 1, b.dimensions[0] == w.dimensions[0] else {
                        throw .mismatch(operation: c.name, w, b, reason: "the bias needs one value per filter: shape (\(w.dimensions[0]),)")
                    }
                }
                return TensorShape([x.dimensions[0], w.dimensions[0]] + out)
            }
            if inputs.count == 3 {
                throw .wrongRank(operation: c.name, expected: "a bias only in the layer form, with filters (K, C, \(c.spatialAxes == 1 ? "F" : "F, F")) and a bias (K,)", got: inputs[2])
            }
            return TensorShape(out)
        case .inputGrad(let c):
            let (g, w) = (inputs[0], inputs[1])
            let layer = try ConvolutionOp.form(c, input: g, filter: w, inputName: "an upstream gradient", operation: name(c))
            let outSizes = try ConvolutionOp.spatialSizes(g, c.spatialAxes, name(c))
            let filterSizes = try ConvolutionOp.spatialSizes(w, c.spatialAxes, name(c))
            var sizes: [Dimension] = []
            for (o, f) in zip(outSizes, filterSizes) {
                let n = (o - 1) * c.stride + f - 2 * c.pad
                guard n >= 1, o >= 1 else { throw .mismatch(operation: name(c), g, w, reason: "no input size gives an output of \(o) with a filter of \(f), padding \(c.pad) and stride \(c.stride)") }
                sizes.append(.fixed(n))
            }
            if layer {
                try ConvolutionOp.sameChannels(name(c), g, w, xAxis: 1, wAxis: 0)
                return TensorShape([g.dimensions[0], w.dimensions[1]] + sizes)
            }
            return TensorShape(sizes)
        case .filterGrad(let c):
            let (x, g) = (inputs[0], inputs[1])
            let layer = try ConvolutionOp.form(c, input: x, filter: g, inputName: "an input", operation: name(c))
            let inputSizes = try ConvolutionOp.spatialSizes(x, c.spatialAxes, name(c))
            let outSizes = try ConvolutionOp.spatialSizes(g, c.spatialAxes, name(c))
            var sizes: [Dimension] = []
            for (n, o) in zip(inputSizes, outSizes) {
                let f = n + 2 * c.pad - (o - 1) * c.stride
                guard f >= 1, o >= 1 else { throw .mismatch(operation: name(c), x, g, reason: "no filter size gives an output of \(o) from an input of \(n) with padding \(c.pad) and stride \(c.stride)") }
                sizes.append(.fixed(f))
            }
            if layer {
                try ConvolutionOp.sameChannels(name(c), x, g, xAxis: 0, wAxis: 0)
                return TensorShape([g.dimensions[1], x.dimensions[1]] + sizes)
            }
            return TensorShape(sizes)
        case .biasGrad(let c):
            guard inputs[0].rank == c.spatialAxes + 2 else {
                throw .wrongRank(operation: name(c), expected: "an upstream gradient of rank \(c.spatialAxes + 2) (N, K, ...)", got: inputs[0])
            }
            return TensorShape([inputs[0].dimensions[1]])
        case .pool(let p):
            let x = inputs[0]
            let sizes = try ConvolutionOp.pooledSizes(p, x, p.name)
            var out: [Dimension] = []
            for n in sizes {
                out.append(.fixed(try ConvolutionOp.outputSize(p.name, size: n, window: p.kernel, pad: p.pad, stride: p.stride)))
            }
            return TensorShape(Array(x.dimensions.dropLast(p.spatialAxes)) + out)
        case .maxPoolGrad(let p):
            let (x, g) = (inputs[0], inputs[1])
            let pooled = try ConvolutionOp.pool(p).shape([x])
            guard g == pooled else {
                throw .mismatch(operation: name(p), pooled, g, reason: "the upstream gradient must have the pooled shape \(pooled)")
            }
            return x
        case .avgPoolGrad(let p):
            let g = inputs[0]
            let outSizes = try ConvolutionOp.pooledSizes(p, g, name(p))
            var sizes: [Dimension] = []
            for o in outSizes {
                let n = (o - 1) * p.stride + p.kernel - 2 * p.pad
                guard n >= 1, o >= 1 else { throw .wrongRank(operation: name(p), expected: "an upstream gradient that some input pools to", got: g) }
                sizes.append(.fixed(n))
            }
            return TensorShape(Array(g.dimensions.dropLast(p.spatialAxes)) + sizes)
        case .maxPoolPick(let p):
            guard inputs[1] == inputs[0] else {
                throw .mismatch(operation: name(p), inputs[0], inputs[1], reason: "the array picked from must have the pooled input's shape \(inputs[0])")
            }
            return try ConvolutionOp.pool(p).shape([inputs[0]])
        }
    }

    /// Whether `x` and `w` are in the layer form (true) or the worksheet form (false); any other
    /// pair of ranks is an error that shows both forms.
    static func form(_ c: Convolution, input x: TensorShape, filter w: TensorShape, inputName: String, operation: String) throws(ShapeError) -> Bool {
        let d = c.spatialAxes
        if x.rank == d && w.rank == d { return false }
        if x.rank == d + 2 && w.rank == d + 2 { return true }
        let worksheet = d == 1 ? "a vector with a vector" : "a matrix with a matrix"
        let layer = d == 1 ? "(N, C, L) with (K, C, F)" : "(N, C, H, W) with (K, C, F, F)"
        let bad = x.rank == d || x.rank == d + 2 ? w : x
        throw .wrongRank(operation: operation, expected: "\(worksheet), or \(layer)", got: bad)
    }

    /// The last `axes` sizes of `shape`, which must be fixed numbers.
    static func spatialSizes(_ shape: TensorShape, _ axes: Int, _ operation: String) throws(ShapeError) -> [Int] {
        guard shape.rank >= axes else {
            throw .wrongRank(operation: operation, expected: "at least \(axes) axis\(axes == 1 ? "" : "es")", got: shape)
        }
        var out: [Int] = []
        for d in shape.dimensions.suffix(axes) {
            guard let n = d.size else {
                throw .wrongRank(operation: operation, expected: "fixed sizes on the spatial axes (only the batch and channel axes may be named)", got: shape)
            }
            out.append(n)
        }
        return out
    }

    /// The pooled axes' sizes, and the padding rule (at most half the window, PyTorch's, so
    /// that every window holds a real cell).
    static func pooledSizes(_ p: Pooling, _ x: TensorShape, _ operation: String) throws(ShapeError) -> [Int] {
        guard 2 * p.pad <= p.kernel else { throw .poolPadding(operation: operation, kernel: p.kernel, pad: p.pad) }
        return try spatialSizes(x, p.spatialAxes, operation)
    }

    /// Two axes that must agree (input channels with filter channels, batch with batch).
    static func sameChannels(_ operation: String, _ x: TensorShape, _ w: TensorShape, xAxis: Int, wAxis: Int) throws(ShapeError) {
        guard x.dimensions[xAxis] == w.dimensions[wAxis] else {
            let what = xAxis == 0 && wAxis == 0 ? "the same batch size (axis 0)" : "matching channel counts (axis \(xAxis) and axis \(wAxis))"
            throw .mismatch(operation: operation, x, w, reason: "the operands need \(what): \(x.dimensions[xAxis]) vs \(w.dimensions[wAxis])")
        }
    }

    /// `(size - window + 2*pad)/stride + 1`, which must be a whole number of at least 1.
    public static func outputSize(_ operation: String, size: Int, window: Int, pad: Int, stride: Int) throws(ShapeError) -> Int {
        let span = size - window + 2 * pad
        guard span >= 0, stride >= 1, span % stride == 0 else {
            throw .windowSize(operation: operation, size: size, window: window, pad: pad, stride: stride)
        }
        return span / stride + 1
    }

    // MARK: - Evaluation

    func evaluate(_ args: [Tensor]) throws(TensorError) -> Tensor {
        let shape: TensorShape
        do { shape = try self.shape(args.map(\.shape)) } catch { throw .shape(error) }
        let sizes: [Int]
        do { sizes = try shape.requireSizes() } catch { throw .shape(error) }
        switch self {
        case .conv(let c):
            let g = Tensor.ConvGeometry(c, input: args[0].sizes, filter: args[1].sizes, output: sizes)
            return Tensor(unchecked: sizes, Tensor.convolve(args[0].scalars, args[1].scalars, bias: args.count == 3 ? args[2].scalars : nil, g))
        case .inputGrad(let c):
            let g = Tensor.ConvGeometry(c, input: sizes, filter: args[1].sizes, output: args[0].sizes)
            return Tensor(unchecked: sizes, Tensor.convolutionInputGrad(args[0].scalars, args[1].scalars, g))
        case .filterGrad(let c):
            let g = Tensor.ConvGeometry(c, input: args[0].sizes, filter: sizes, output: args[1].sizes)
            return Tensor(unchecked: sizes, Tensor.convolutionFilterGrad(args[0].scalars, args[1].scalars, g))
        case .biasGrad:
            let (n, k) = (args[0].sizes[0], args[0].sizes[1])
            let plane = args[0].count / Swift.max(n * k, 1)
            var out = [Double](repeating: 0, count: k)
            for b in 0..<n { for channel in 0..<k { for i in 0..<plane { out[channel] += args[0].scalars[(b * k + channel) * plane + i] } } }
            return Tensor(unchecked: sizes, out)
        case .pool(let p):
            let g = Tensor.PoolGeometry(p, input: args[0].sizes, output: sizes)
            return Tensor(unchecked: sizes, Tensor.pool(args[0].scalars, g))
        case .maxPoolGrad(let p):
            let g = Tensor.PoolGeometry(p, input: args[0].sizes, output: args[1].sizes)
            return Tensor(unchecked: sizes, Tensor.maxPoolGrad(args[0].scalars, args[1].scalars, g))
        case .avgPoolGrad(let p):
            let g = Tensor.PoolGeometry(p, input: sizes, output: args[0].sizes)
            return Tensor(unchecked: sizes, Tensor.avgPoolGrad(args[0].scalars, g))
        case .maxPoolPick(let p):
            let g = Tensor.PoolGeometry(p, input: args[0].sizes, output: sizes)
            return Tensor(unchecked: sizes, Tensor.maxPoolPick(args[0].scalars, args[1].scalars, g))
        }
    }

    // MARK: - Gradients

    /// Every op here is linear in each operand except max pooling, whose gradient flows along
    /// the winning cells. The VJPs of the backward ops close the family under differentiation:
    /// a second derivative of a conv net stays in it.
    var isDifferentiable: Bool { true }

    func vjp(_ index: Int, inputs x: [Term], out: Term, upstream g: Term) -> Term? {
        switch self {
        case .conv(let c):
            switch index {
            case 0: return g.tensor(.convolution(.inputGrad(c)), x[1])
            case 1: return x[0].tensor(.convolution(.filterGrad(c)), g)
            default: return g.tensor(.convolution(.biasGrad(c)))
            }
        case .inputGrad(let c):
            // dx = A(w)^T dy, so <u, dx> = <A(w) u, dy>: a conv of u for dy, a filter gradient
            // of u against dy for w.
            return index == 0 ? g.tensor(.convolution(.conv(c)), x[1]) : g.tensor(.convolution(.filterGrad(c)), x[0])
        case .filterGrad(let c):
            // <u, dw(x, dy)> = <conv(x, u), dy>.
            return index == 0 ? x[1].tensor(.convolution(.inputGrad(c)), g) : x[0].tensor(.convolution(.conv(c)), g)
        case .biasGrad:
            // Each upstream element went to its channel's sum: the channel's gradient, stretched.
            let shape = x[0].shape
            var dims = [Dimension](repeating: .fixed(1), count: shape.rank)
            dims[1] = shape.dimensions[1]
            return g.tensor(.layout(.reshape(TensorShape(dims)))).broadcast(to: shape)
        case .pool(let p):
            switch p.kind {
            case .max: return x[0].tensor(.convolution(.maxPoolGrad(p)), g)
            case .average: return g.tensor(.convolution(.avgPoolGrad(p)))
            }
        case .maxPoolGrad(let p):
            // Piecewise constant in x (no gradient); linear in the upstream: the adjoint of
            // routing to the winners is picking at the winners.
            return index == 0 ? nil : x[0].tensor(.convolution(.maxPoolPick(p)), g)
        case .maxPoolPick(let p):
            return index == 0 ? nil : x[0].tensor(.convolution(.maxPoolGrad(p)), g)
        case .avgPoolGrad(let p):
            return g.tensor(.convolution(.pool(p)))
        }
    }

    // MARK: - Spelling

    var name: String {
        switch self {
        case .conv(let c): return c.name
        case .inputGrad(let c), .filterGrad(let c), .biasGrad(let c): return name(c)
        case .pool(let p): return p.name
        case .maxPoolGrad(let p), .avgPoolGrad(let p): return name(p)
        case .maxPoolPick(let p): return p.name + "_pick"
        }
    }

    /// `conv2d_input_grad`, `conv2d_filter_grad`, `conv2d_bias_grad`.
    private func name(_ c: Convolution) -> String {
        switch self {
        case .inputGrad: return c.name + "_input_grad"
        case .filterGrad: return c.name + "_filter_grad"
        case .biasGrad: return c.name + "_bias_grad"
        case .conv, .pool, .maxPoolGrad, .avgPoolGrad, .maxPoolPick: return c.name
        }
    }

    /// `maxpool2d_grad`, `avgpool2d_grad`.
    private func name(_ p: Pooling) -> String { p.name + "_grad" }

    /// As a user types it, defaults left out: `conv2d(x, w, b, stride=2)`,
    /// `conv2d_input_grad(dy, w, stride=2)`, `maxpool2d(x, 2)`, `maxpool2d_grad(x, dy, 2)`.
    func printed(_ args: [Printed]) -> Printed {
        let texts = args.map(\.text)
        switch self {
        case .conv(let c), .inputGrad(let c), .filterGrad(let c):
            return TensorOp.call(name, texts, c.keywords)
        case .biasGrad:
            return TensorOp.call(name, texts)
        case .pool(let p), .maxPoolGrad(let p), .avgPoolGrad(let p), .maxPoolPick(let p):
            return TensorOp.call(name, texts + [String(p.kernel)], p.keywords)
        }
    }
}
