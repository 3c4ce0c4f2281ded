import Symbolic

/// Convolutions and poolings in generated programs: an expression of a wanted fixed shape as
/// `conv1d`/`conv2d` (worksheet form, or the layer form with a bias for rank 3) or a 1-D or
/// 2-D max or average pooling, at strides 1-3 and paddings 0-2 (pooling at most half its
/// window), with operand sizes solved from `(W - F + 2P)/S + 1`.
extension RandomTensorPrograms {
    mutating func convolution(_ shape: TensorShape, depth: Int) -> E? {
        func sub(_ s: [Int]) -> E { expression(TensorShape(s), depth: depth - 1, exact: true) }
        guard let sizes = shape.sizes, shape.rank >= 1, shape.rank <= 3 else { return nil }
        let stride = 1 + int(3)
        func keywords(_ pad: Int, defaultStride: Int) -> String {
            (stride == defaultStride ? "" : ", stride=\(stride)") + (pad == 0 ? "" : ", pad=\(pad)")
        }
        if chance(50) {
            // A pooling of the last one or two axes (two only for a matrix or more).
            let axes = shape.rank >= 2 && chance(50) ? 2 : 1
            let kernel = 1 + int(3), pad = int(kernel / 2 + 1)
            var input = sizes
            for axis in (sizes.count - axes)..<sizes.count { input[axis] = (sizes[axis] - 1) * stride + kernel - 2 * pad }
            guard input.allSatisfy({ $0 >= 1 }) else { return nil }
            let name = (chance(50) ? "maxpool" : "avgpool") + "\(axes)d"
            let x = sub(input)
            return E(text: "\(name)(\(x.text), \(kernel)\(keywords(pad, defaultStride: kernel)))", shape: shape, prec: 5)
        }
        let filter = 1 + int(3), pad = int(3)
        func inputSize(_ out: Int) -> Int { (out - 1) * stride + filter - 2 * pad }
        switch shape.rank {
        case 1, 2:
            let input = sizes.map(inputSize)
            guard input.allSatisfy({ $0 >= 1 }) else { return nil }
            let x = sub(input), w = sub([Int](repeating: filter, count: sizes.count))
            return E(text: "conv\(sizes.count)d(\(x.text), \(w.text)\(keywords(pad, defaultStride: 1)))", shape: shape, prec: 5)
        default:
            // The layer form of conv1d: (N, C, L) with (K, C, F) and a bias (K,).
            let channels = 1 + int(2), length = inputSize(sizes[2])
            guard length >= 1 else { return nil }
            let x = sub([sizes[0], channels, length]), w = sub([sizes[1], channels, filter])
            let bias = chance(50) ? ", " + sub([sizes[1]]).text : ""
            return E(text: "conv1d(\(x.text), \(w.text)\(bias)\(keywords(pad, defaultStride: 1)))", shape: shape, prec: 5)
        }
    }
}
