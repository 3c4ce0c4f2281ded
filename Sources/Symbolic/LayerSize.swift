/// The worksheets' size and parameter questions about one convolution or pooling layer,
/// answered with the arithmetic shown: output size `(W - F + 2P)/S + 1` on each spatial axis
/// and, for a convolution, `K (F^2 C + 1)` parameters with biases (`K F^2 C` without).
///
/// The input is written as the worksheets write it, H x W x C, or as PyTorch's N x C x H x W;
/// the output is written the same way. An output size that is not a whole number is an error
/// with the arithmetic (`ShapeError.windowSize`), as for `conv2d` in a program.
public struct LayerSize: Sendable {
    /// How the input size was written.
    public enum Layout: Sendable {
        /// Height x width x channels (`32x32x3`), or height x width for one channel.
        case hwc
        /// Batch x channels x height x width (`64x1x28x28`).
        case nchw
    }

    /// What the layer is.
    public enum Kind: Sendable {
        /// A convolution with this many filters.
        case convolution(filters: Int)
        case maxPool
        case averagePool
    }

    public let layout: Layout
    public let kind: Kind
    public let batch: Int?
    public let height: Int, width: Int, channels: Int
    public let filter: Int, stride: Int, pad: Int

    /// `sizes` as written: 2 or 3 numbers for `.hwc`, 4 for `.nchw`.
    public init(sizes: [Int], layout: Layout, kind: Kind, filter: Int, stride: Int, pad: Int) {
        self.layout = layout
        self.kind = kind
        switch layout {
        case .hwc:
            batch = nil
            height = sizes.first ?? 1
            width = sizes.count > 1 ? sizes[1] : height
            channels = sizes.count > 2 ? sizes[2] : 1
        case .nchw:
            batch = sizes.first
            channels = sizes.count > 1 ? sizes[1] : 1
            height = sizes.count > 2 ? sizes[2] : 1
            width = sizes.count > 3 ? sizes[3] : height
        }
        self.filter = filter
        self.stride = stride
        self.pad = pad
    }

    /// The answer: output sizes and parameter counts, with each computation's arithmetic.
    public struct Answer: Sendable {
        /// The output's sizes in the input's layout.
        public let output: [Int]
        /// `output` as the input was written: `32x32x10`.
        public let outputText: String
        /// Weights and biases (0 for pooling).
        public let weights: Int, biases: Int
        /// `10 * (5*5*3 + 1)` for a convolution, nil for pooling.
        public let parameterArithmetic: String?
        /// The description and size lines to print (the parameter line is the caller's, which
        /// groups digits as the other commands do).
        public let lines: [String]
    }

    public func answer() throws(ShapeError) -> Answer {
        let outHeight = try ConvolutionOp.outputSize("output size", size: height, window: filter, pad: pad, stride: stride)
        let outWidth = try ConvolutionOp.outputSize("output size", size: width, window: filter, pad: pad, stride: stride)
        func arithmetic(_ n: Int, _ out: Int) -> String { "(\(n) - \(filter) + 2*\(pad))/\(stride) + 1 = \(out)" }
        let outChannels: Int
        var lines: [String] = []
        let inputText: String
        switch layout {
        case .hwc: inputText = "input \(height)x\(width)x\(channels) (H x W x C)"
        case .nchw: inputText = "input \(batch ?? 1)x\(channels)x\(height)x\(width) (N x C x H x W)"
        }
        switch kind {
        case .convolution(let k):
            outChannels = k
            let shape = layout == .hwc ? "\(filter)x\(filter)x\(channels)" : "\(channels)x\(filter)x\(filter) (C x F x F)"
            lines.append("\(inputText), \(k) filter\(k == 1 ? "" : "s") of \(shape), stride \(stride), padding \(pad)")
        case .maxPool, .averagePool:
            outChannels = channels
            let name = { if case .maxPool = kind { return "max-pool" } else { return "average-pool" } }()
            lines.append("\(inputText), \(filter)x\(filter) \(name), stride \(stride), padding \(pad)")
        }
        if height == width {
            lines.append("output height and width: " + arithmetic(height, outHeight))
        } else {
            lines.append("output height: " + arithmetic(height, outHeight))
            lines.append("output width: " + arithmetic(width, outWidth))
        }
        let output: [Int]
        switch layout {
        case .hwc: output = [outHeight, outWidth, outChannels]
        case .nchw: output = [batch ?? 1, outChannels, outHeight, outWidth]
        }
        let outputText = output.map(String.init).joined(separator: "x")
        let outputLayout: String
        switch kind {
        case .convolution: outputLayout = " (N x K x H x W)"
        case .maxPool, .averagePool: outputLayout = " (N x C x H x W)"
        }
        lines.append("output: \(outputText)" + (layout == .hwc ? "" : outputLayout))
        switch kind {
        case .convolution(let k):
            let (weights, overflow) = k.multipliedReportingOverflow(by: filter * filter * channels)
            return Answer(output: output, outputText: outputText, weights: overflow ? Int.max : weights, biases: k,
                          parameterArithmetic: "\(k) * (\(filter)*\(filter)*\(channels) + 1)", lines: lines)
        case .maxPool, .averagePool:
            return Answer(output: output, outputText: outputText, weights: 0, biases: 0, parameterArithmetic: nil, lines: lines)
        }
    }
}
