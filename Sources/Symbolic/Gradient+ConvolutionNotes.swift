/// What the backward ops of convolution and pooling compute, in the worksheet's words, for the
/// listing `stage --backward` prints: `conv1d_input_grad(g, w)` is a full correlation of the
/// upstream with the flipped filter, `conv1d_filter_grad(x, g)` a correlation of the input with
/// the upstream, and so on, with this program's padding and strides filled in.
extension Gradient {
    /// One comment line per distinct backward op of the staged backward pass (without `# `).
    public var convolutionNotes: [String] {
        var notes: [String] = []
        for c in contributions {
            guard let vjp = c.vjp, case .tensor(.convolution(let op)) = graph[vjp].op else { continue }
            let shapes = graph[vjp].children.map { graph.shapes[$0.int] }
            guard let note = ConvolutionOp.note(op, operands: shapes), !notes.contains(note) else { continue }
            notes.append(note)
        }
        return notes
    }
}

extension ConvolutionOp {
    /// The note for one backward op, nil for a forward op.
    static func note(_ op: ConvolutionOp, operands: [TensorShape]) -> String? {
        func spread(_ s: Int) -> String { s == 1 ? "" : " with \(s - 1) zero\(s == 2 ? "" : "s") between its elements" }
        switch op {
        case .inputGrad(let c):
            let filter = operands.count > 1 ? operands[1].dimensions.last?.size ?? 1 : 1
            let pad = filter - 1 - c.pad
            let padding = pad >= 0 ? (pad == 0 ? "" : ", pad=\(pad)") : ", cropped by \(-pad)"
            let layer = operands.count > 1 && c.isLayerForm(rank: operands[1].rank) ? " and its axes 0 and 1 swapped" : ""
            return "\(c.name)_input_grad(g, w) = \(c.name)(g\(spread(c.stride)), w flipped\(layer)\(padding)): "
                + "the full correlation of the upstream with the flipped filter"
        case .filterGrad(let c):
            let layer = operands.first.map { c.isLayerForm(rank: $0.rank) } ?? false
            return "\(c.name)_filter_grad(x, g) = \(c.name)(x, g\(spread(c.stride))\(c.pad == 0 ? "" : ", pad=\(c.pad)")): "
                + "the correlation of the input with the upstream" + (layer ? ", for each filter and channel, summed over the batch" : "")
        case .biasGrad(let c):
            return "\(c.name)_bias_grad(g) = the upstream summed over every axis but axis 1 (one sum per filter)"
        case .maxPoolGrad(let p):
            return "\(p.name)_grad(x, g, \(p.kernel)) = each window's upstream sent to the window's first maximum of x (row-major), "
                + "0 elsewhere" + (p.stride < p.kernel ? "; overlapping windows add up" : "")
        case .avgPoolGrad(let p):
            let size = p.spatialAxes == 1 ? "\(p.kernel)" : "\(p.kernel * p.kernel)"
            return "\(p.name)_grad(g, \(p.kernel)) = each window's upstream divided by \(size) and sent to every cell of the window"
        case .maxPoolPick(let p):
            return "\(p.name)_pick(x, u, \(p.kernel)) = u at each window's first maximum of x"
        case .conv, .pool:
            return nil
        }
    }
}
