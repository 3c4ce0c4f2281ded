import Foundation
@testable import Symbolic

/// Convolution and pooling by their definitions, index by index, on `LoopArray`s: the
/// reference the op table holds `Tensor+Convolution.swift` to. Nothing here shares code with it.
extension LoopArray {
    /// x (N, C, spatial...) as the layer form; the worksheet form gets N = C = 1 (and K = 1).
    static func conv(_ x: LoopArray, _ w: LoopArray, _ b: LoopArray?, axes: Int, stride s: Int, pad p: Int) -> LoopArray {
        let layer = x.sizes.count == axes + 2
        let xs = layer ? x : LoopArray([1, 1] + x.sizes, x.data)
        let ws = layer ? w : LoopArray([1, 1] + w.sizes, w.data)
        let (n, c, k) = (xs.sizes[0], xs.sizes[1], ws.sizes[0])
        let inSpatial = Array(xs.sizes.dropFirst(2)), filter = Array(ws.sizes.dropFirst(2))
        let outSpatial = zip(inSpatial, filter).map { ($0 - $1 + 2 * p) / s + 1 }
        let out = LoopArray([n, k] + outSpatial) { index in
            var total = b.map { $0[[index[1]]] } ?? 0
            for ch in 0..<c {
                for offset in LoopArray.indices(filter) {
                    let position = zip(index.dropFirst(2), offset).map { $0 * s + $1 - p }
                    guard zip(position, inSpatial).allSatisfy({ $0 >= 0 && $0 < $1 }) else { continue }
                    total += xs[[index[0], ch] + position] * ws[[index[1], ch] + offset]
                }
            }
            return total
        }
        return layer ? out : LoopArray(outSpatial, out.data)
    }

    /// Pooling of the last `axes` axes; max pads with -inf, average divides by the window size.
    static func pool(_ x: LoopArray, axes: Int, kernel: Int, stride s: Int, pad p: Int, max: Bool) -> LoopArray {
        let lead = Array(x.sizes.dropLast(axes)), spatial = Array(x.sizes.suffix(axes))
        let outSpatial = spatial.map { ($0 - kernel + 2 * p) / s + 1 }
        let window = [Int](repeating: kernel, count: axes)
        return LoopArray(lead + outSpatial) { index in
            let outer = Array(index.prefix(lead.count)), o = Array(index.suffix(axes))
            var values: [Double] = []
            for offset in LoopArray.indices(window) {
                let position = zip(o, offset).map { $0 * s + $1 - p }
                if zip(position, spatial).allSatisfy({ $0 >= 0 && $0 < $1 }) {
                    values.append(x[outer + position])
                } else if max {
                    values.append(-.infinity)
                }
            }
            if max { return values.max() ?? -.infinity }
            return values.reduce(0, +) / Double(window.reduce(1, *))
        }
    }

    /// The adjoint of `pool` read as a linear map of an upstream `g`, for max pooling at
    /// `x` (each window's g to its first maximum, row-major) or for average pooling.
    static func poolAdjoint(_ x: LoopArray, _ g: LoopArray, axes: Int, kernel: Int, stride s: Int, pad p: Int, max: Bool) -> LoopArray {
        var dx = LoopArray(x.sizes, [Double](repeating: 0, count: x.data.count))
        let lead = Array(x.sizes.dropLast(axes)), spatial = Array(x.sizes.suffix(axes))
        let window = [Int](repeating: kernel, count: axes)
        for index in LoopArray.indices(g.sizes) {
            let outer = Array(index.prefix(lead.count)), o = Array(index.suffix(axes))
            var best: [Int]?
            for offset in LoopArray.indices(window) {
                let position = zip(o, offset).map { $0 * s + $1 - p }
                guard zip(position, spatial).allSatisfy({ $0 >= 0 && $0 < $1 }) else { continue }
                let full = outer + position
                let flat = zip(full, LoopArray.strides(x.sizes)).reduce(0) { $0 + $1.0 * $1.1 }
                if max {
                    if best.map({ x[full] > x[$0] }) ?? true { best = full }
                } else {
                    dx.data[flat] += g[index] / Double(window.reduce(1, *))
                }
            }
            if let best { dx.data[zip(best, LoopArray.strides(x.sizes)).reduce(0) { $0 + $1.0 * $1.1 }] += g[index] }
        }
        return dx
    }

    /// u at each window's first maximum of x.
    static func poolPick(_ x: LoopArray, _ u: LoopArray, axes: Int, kernel: Int, stride s: Int, pad p: Int) -> LoopArray {
        let lead = Array(x.sizes.dropLast(axes)), spatial = Array(x.sizes.suffix(axes))
        let outSpatial = spatial.map { ($0 - kernel + 2 * p) / s + 1 }
        let window = [Int](repeating: kernel, count: axes)
        return LoopArray(lead + outSpatial) { index in
            let outer = Array(index.prefix(lead.count)), o = Array(index.suffix(axes))
            var best: [Int]?
            for offset in LoopArray.indices(window) {
                let position = zip(o, offset).map { $0 * s + $1 - p }
                guard zip(position, spatial).allSatisfy({ $0 >= 0 && $0 < $1 }) else { continue }
                if best.map({ x[outer + position] > x[$0] }) ?? true { best = outer + position }
            }
            return best.map { u[$0] } ?? 0
        }
    }

    /// The adjoints of a convolution's x and w by the definition: each product x*w of the
    /// forward pass sends g*w to x and g*x to w.
    static func convAdjoints(_ x: LoopArray, _ w: LoopArray, _ g: LoopArray, axes: Int, stride s: Int, pad p: Int) -> (dx: LoopArray, dw: LoopArray) {
        let layer = x.sizes.count == axes + 2
        let xs = layer ? x : LoopArray([1, 1] + x.sizes, x.data)
        let ws = layer ? w : LoopArray([1, 1] + w.sizes, w.data)
        let gs = layer ? g : LoopArray([1, 1] + g.sizes, g.data)
        var dx = LoopArray(xs.sizes, [Double](repeating: 0, count: xs.data.count))
        var dw = LoopArray(ws.sizes, [Double](repeating: 0, count: ws.data.count))
        let inSpatial = Array(xs.sizes.dropFirst(2)), filter = Array(ws.sizes.dropFirst(2))
        for index in LoopArray.indices(gs.sizes) {
            for ch in 0..<xs.sizes[1] {
                for offset in LoopArray.indices(filter) {
                    let position = zip(index.dropFirst(2), offset).map { $0 * s + $1 - p }
                    guard zip(position, inSpatial).allSatisfy({ $0 >= 0 && $0 < $1 }) else { continue }
                    let xi = [index[0], ch] + position, wi = [index[1], ch] + offset
                    let xf = zip(xi, LoopArray.strides(xs.sizes)).reduce(0) { $0 + $1.0 * $1.1 }
                    let wf = zip(wi, LoopArray.strides(ws.sizes)).reduce(0) { $0 + $1.0 * $1.1 }
                    dx.data[xf] += gs[index] * ws[wi]
                    dw.data[wf] += gs[index] * xs[xi]
                }
            }
        }
        return (LoopArray(x.sizes, dx.data), LoopArray(w.sizes, dw.data))
    }
}

/// The convolution and pooling rows of the op table (`TensorOpTableTests.cases`): every op of
/// `ConvolutionOp`, forward and backward, in both forms, at strides 1-3 and paddings 0-2, with
/// batch and channel counts above 1, overlapping pooling windows and a named batch axis.
enum ConvolutionOpTable {
    typealias Add = (String, [TableInput], @escaping @Sendable (Graph, [NodeID]) throws -> NodeID, @escaping @Sendable ([LoopArray]) -> LoopArray) -> Void

    static func real(_ name: String, _ sizes: [Int]) -> TableInput {
        TableInput(name: name, declared: TensorShape(sizes), sizes: sizes)
    }

    /// An input size that makes (size - window + 2*pad)/stride + 1 = `out`.
    static func size(out: Int, window: Int, pad: Int, stride: Int) -> Int { (out - 1) * stride + window - 2 * pad }

    static func add(into add: Add) {
        // Convolutions: forms, strides, paddings.
        let configurations: [(stride: Int, pad: Int, filter: Int, out: Int)] = [
            (1, 0, 3, 3), (2, 1, 3, 2), (3, 2, 2, 3), (1, 2, 2, 4), (2, 0, 2, 2), (3, 1, 3, 2),
        ]
        for (s, p, f, o) in configurations {
            let n = size(out: o, window: f, pad: p, stride: s)
            let c1 = Convolution(spatialAxes: 1, stride: s, pad: p), c2 = Convolution(spatialAxes: 2, stride: s, pad: p)
            let tag = "stride=\(s), pad=\(p)"
            add("conv1d(x, w, \(tag)) of vectors", [real("x", [n]), real("w", [f])],
                { g, x in try TensorOpTableTests.op(g, .convolution(.conv(c1)), x) },
                { LoopArray.conv($0[0], $0[1], nil, axes: 1, stride: s, pad: p) })
            add("conv2d(x, w, \(tag)) of matrices", [real("x", [n, n]), real("w", [f, f])],
                { g, x in try TensorOpTableTests.op(g, .convolution(.conv(c2)), x) },
                { LoopArray.conv($0[0], $0[1], nil, axes: 2, stride: s, pad: p) })
            add("conv1d(x, w, b, \(tag)) of (2, 3, L) with (2, 3, F)", [real("x", [2, 3, n]), real("w", [2, 3, f]), real("b", [2])],
                { g, x in try TensorOpTableTests.op(g, .convolution(.conv(c1)), x) },
                { LoopArray.conv($0[0], $0[1], $0[2], axes: 1, stride: s, pad: p) })
            add("conv2d(x, w, b, \(tag)) of (2, 2, H, W) with (3, 2, F, F)", [real("x", [2, 2, n, n]), real("w", [3, 2, f, f]), real("b", [3])],
                { g, x in try TensorOpTableTests.op(g, .convolution(.conv(c2)), x) },
                { LoopArray.conv($0[0], $0[1], $0[2], axes: 2, stride: s, pad: p) })
            // The backward ops as ops of their own: linear maps whose values are the adjoints.
            let outSizes = [2, 3, o, o], inSizes = [2, 2, n, n], filterSizes = [3, 2, f, f]
            add("conv2d_input_grad(g, w, \(tag))", [real("g", outSizes), real("w", filterSizes)],
                { g, x in try TensorOpTableTests.op(g, .convolution(.inputGrad(c2)), x) },
                { r in LoopArray.convAdjoints(LoopArray(inSizes, [Double](repeating: 0, count: inSizes.reduce(1, *))), r[1], r[0], axes: 2, stride: s, pad: p).dx })
            add("conv2d_filter_grad(x, g, \(tag))", [real("x", inSizes), real("g", outSizes)],
                { g, x in try TensorOpTableTests.op(g, .convolution(.filterGrad(c2)), x) },
                { r in LoopArray.convAdjoints(r[0], LoopArray(filterSizes, [Double](repeating: 0, count: filterSizes.reduce(1, *))), r[1], axes: 2, stride: s, pad: p).dw })
            add("conv1d_input_grad(g, w, \(tag)) of vectors", [real("g", [o]), real("w", [f])],
                { g, x in try TensorOpTableTests.op(g, .convolution(.inputGrad(c1)), x) },
                { r in LoopArray.convAdjoints(LoopArray([n], [Double](repeating: 0, count: n)), r[1], r[0], axes: 1, stride: s, pad: p).dx })
            add("conv1d_filter_grad(x, g, \(tag)) of vectors", [real("x", [n]), real("g", [o])],
                { g, x in try TensorOpTableTests.op(g, .convolution(.filterGrad(c1)), x) },
                { r in LoopArray.convAdjoints(r[0], LoopArray([f], [Double](repeating: 0, count: f)), r[1], axes: 1, stride: s, pad: p).dw })
        }
        let c2 = Convolution(spatialAxes: 2)
        add("conv2d_bias_grad(g) of (2, 3, 2, 2)", [real("g", [2, 3, 2, 2])],
            { g, x in try TensorOpTableTests.op(g, .convolution(.biasGrad(c2)), x) },
            { r in LoopArray([3]) { k in LoopArray.indices([2, 3, 2, 2]).filter { $0[1] == k[0] }.reduce(0) { $0 + r[0][$1] } } })
        add("conv1d_bias_grad(g) of (3, 2, 4)", [real("g", [3, 2, 4])],
            { g, x in try TensorOpTableTests.op(g, .convolution(.biasGrad(Convolution(spatialAxes: 1))), x) },
            { r in LoopArray([2]) { k in LoopArray.indices([3, 2, 4]).filter { $0[1] == k[0] }.reduce(0) { $0 + r[0][$1] } } })
        add("conv2d(x, w, b) with a named batch N", [TableInput(name: "x", declared: TensorShape([.named("N"), .fixed(2), .fixed(4), .fixed(4)]), sizes: [3, 2, 4, 4]),
                                                     real("w", [2, 2, 3, 3]), real("b", [2])],
            { g, x in try TensorOpTableTests.op(g, .convolution(.conv(Convolution(spatialAxes: 2, pad: 1))), x) },
            { LoopArray.conv($0[0], $0[1], $0[2], axes: 2, stride: 1, pad: 1) })
        add("conv2d(x, w) of one image, one channel (1, 1, 5, 5)", [real("x", [1, 1, 5, 5]), real("w", [1, 1, 2, 2])],
            { g, x in try TensorOpTableTests.op(g, .convolution(.conv(Convolution(spatialAxes: 2, stride: 1))), x) },
            { LoopArray.conv($0[0], $0[1], nil, axes: 2, stride: 1, pad: 0) })

        // Pooling: kinds, overlapping windows (stride < kernel), padding up to half the window.
        let pools: [(kernel: Int, stride: Int, pad: Int, out: Int)] = [
            (2, 2, 0, 2), (3, 1, 1, 3), (3, 2, 1, 2), (2, 1, 0, 3), (3, 3, 1, 2), (2, 3, 1, 2),
        ]
        for (k, s, p, o) in pools {
            let n = size(out: o, window: k, pad: p, stride: s)
            let tag = "\(k), stride=\(s), pad=\(p)"
            for max in [true, false] {
                let kind: PoolKind = max ? .max : .average, name = max ? "maxpool" : "avgpool"
                let p1 = Pooling(kind: kind, spatialAxes: 1, kernel: k, stride: s, pad: p)
                let p2 = Pooling(kind: kind, spatialAxes: 2, kernel: k, stride: s, pad: p)
                add("\(name)1d(x, \(tag)) of a vector", [real("x", [n])],
                    { g, x in try TensorOpTableTests.op(g, .convolution(.pool(p1)), x) },
                    { LoopArray.pool($0[0], axes: 1, kernel: k, stride: s, pad: p, max: max) })
                add("\(name)2d(x, \(tag)) of (2, 3, H, W)", [real("x", [2, 3, n, n])],
                    { g, x in try TensorOpTableTests.op(g, .convolution(.pool(p2)), x) },
                    { LoopArray.pool($0[0], axes: 2, kernel: k, stride: s, pad: p, max: max) })
                add("\(name)2d(x, \(tag)) of a matrix", [real("x", [n, n + s])],
                    { g, x in try TensorOpTableTests.op(g, .convolution(.pool(p2)), x) },
                    { LoopArray.pool($0[0], axes: 2, kernel: k, stride: s, pad: p, max: max) })
                if max {
                    add("maxpool2d_grad(x, g, \(tag))", [real("x", [2, n, n]), real("g", [2, o, o])],
                        { g, x in try TensorOpTableTests.op(g, .convolution(.maxPoolGrad(p2)), x) },
                        { LoopArray.poolAdjoint($0[0], $0[1], axes: 2, kernel: k, stride: s, pad: p, max: true) })
                    add("maxpool2d_pick(x, u, \(tag))", [real("x", [2, n, n]), real("u", [2, n, n])],
                        { g, x in try TensorOpTableTests.op(g, .convolution(.maxPoolPick(p2)), x) },
                        { LoopArray.poolPick($0[0], $0[1], axes: 2, kernel: k, stride: s, pad: p) })
                } else {
                    add("avgpool2d_grad(g, \(tag))", [real("g", [2, o, o])],
                        { g, x in try TensorOpTableTests.op(g, .convolution(.avgPoolGrad(p2)), x) },
                        { r in LoopArray.poolAdjoint(LoopArray([2, n, n], [Double](repeating: 0, count: 2 * n * n)), r[0], axes: 2, kernel: k, stride: s, pad: p, max: false) })
                    add("avgpool1d_grad(g, \(tag))", [real("g", [3, o])],
                        { g, x in try TensorOpTableTests.op(g, .convolution(.avgPoolGrad(p1)), x) },
                        { r in LoopArray.poolAdjoint(LoopArray([3, n], [Double](repeating: 0, count: 3 * n)), r[0], axes: 1, kernel: k, stride: s, pad: p, max: false) })
                }
            }
        }
        // A layer: conv, relu, max-pool, as the LeNet net chains them.
        add("maxpool2d(relu(conv2d(x, w, b)), 2) (a conv layer)", [real("x", [2, 1, 6, 6]), real("w", [2, 1, 3, 3]), real("b", [2])],
            { g, x in
                let c = try TensorOpTableTests.op(g, .convolution(.conv(Convolution(spatialAxes: 2))), x)
                let r = try g.elementwise(.function(.relu), [c])
                return try TensorOpTableTests.op(g, .convolution(.pool(Pooling(kind: .max, spatialAxes: 2, kernel: 2))), [r])
            },
            { r in LoopArray.pool(LoopArray.conv(r[0], r[1], r[2], axes: 2, stride: 1, pad: 0).map { Swift.max(0, $0) }, axes: 2, kernel: 2, stride: 2, pad: 0, max: true) })
    }
}
