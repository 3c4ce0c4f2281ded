import ExprParse
import Symbolic

/// Convolution and pooling in emitted NumPy: each op of `ConvolutionOp` is a call of a small
/// module-level function written above the generated one (only those the program uses), so
/// that the body keeps one line per staged equation and reads like `stage --backward`:
/// `c = conv2d(x, Wc, bc)`, `dc = maxpool2d_grad(c, dp, 2)`, `dx = conv2d_input_grad(dc, Wc)`.
///
/// The functions are vectorised: a Python loop runs over the F x F filter offsets (or the
/// k x k window offsets) only, each offset a strided slice of the whole batch, and the
/// arithmetic is matrix products and whole-array operations; no loop runs over pixels, images
/// or channels. Conventions (TENSORS.md): cross-correlation (no flip), NCHW inputs and OIHW
/// filters, zero padding for convolution, -inf padding for max pooling (a padded cell never
/// wins), max pooling's gradient to each window's first maximum (row-major, `np.argmax`'s
/// choice), average pooling dividing by the whole window (padded cells count as zeros).
/// The worksheet forms (a vector with a vector, a matrix with a matrix) are the layer form with
/// one image, one channel and one filter: the call adds those axes (`I[None, None]`) and takes
/// them off the result (`[0, 0]`).
enum NumPyConvolution {
    /// A module-level function of the generated file, by its preferred name.
    enum Helper: String, CaseIterable {
        case conv1dColumns = "conv1d_columns"
        case conv2dColumns = "conv2d_columns"
        case conv1d, conv2d
        case conv1dInputGrad = "conv1d_input_grad"
        case conv2dInputGrad = "conv2d_input_grad"
        case conv1dFilterGrad = "conv1d_filter_grad"
        case conv2dFilterGrad = "conv2d_filter_grad"
        case pool1dWindows = "pool1d_windows"
        case pool2dWindows = "pool2d_windows"
        case maxpool1d, maxpool2d, avgpool1d, avgpool2d
        case maxpool1dGrad = "maxpool1d_grad"
        case maxpool2dGrad = "maxpool2d_grad"
        case avgpool1dGrad = "avgpool1d_grad"
        case avgpool2dGrad = "avgpool2d_grad"
        case maxpool1dPick = "maxpool1d_pick"
        case maxpool2dPick = "maxpool2d_pick"

        /// The helpers this one calls.
        var dependencies: [Helper] {
            switch self {
            case .conv1d, .conv1dFilterGrad: return [.conv1dColumns]
            case .conv2d, .conv2dFilterGrad: return [.conv2dColumns]
            case .maxpool1d, .avgpool1d, .maxpool1dGrad, .maxpool1dPick: return [.pool1dWindows]
            case .maxpool2d, .avgpool2d, .maxpool2dGrad, .maxpool2dPick: return [.pool2dWindows]
            case .conv1dColumns, .conv2dColumns, .conv1dInputGrad, .conv2dInputGrad, .pool1dWindows, .pool2dWindows,
                 .avgpool1dGrad, .avgpool2dGrad:
                return []
            }
        }
    }

    /// The helper an op is a call of (nil for the bias gradient, a plain `np.sum`).
    static func helper(_ op: ConvolutionOp) -> Helper? {
        switch op {
        case .conv(let c): return c.spatialAxes == 1 ? .conv1d : .conv2d
        case .inputGrad(let c): return c.spatialAxes == 1 ? .conv1dInputGrad : .conv2dInputGrad
        case .filterGrad(let c): return c.spatialAxes == 1 ? .conv1dFilterGrad : .conv2dFilterGrad
        case .biasGrad: return nil
        case .pool(let p):
            switch p.kind {
            case .max: return p.spatialAxes == 1 ? .maxpool1d : .maxpool2d
            case .average: return p.spatialAxes == 1 ? .avgpool1d : .avgpool2d
            }
        case .maxPoolGrad(let p): return p.spatialAxes == 1 ? .maxpool1dGrad : .maxpool2dGrad
        case .avgPoolGrad(let p): return p.spatialAxes == 1 ? .avgpool1dGrad : .avgpool2dGrad
        case .maxPoolPick(let p): return p.spatialAxes == 1 ? .maxpool1dPick : .maxpool2dPick
        }
    }

    /// Every helper the ops of `graph` call, with the helpers those call, in definition order.
    static func helpers(in graph: Graph) -> [Helper] {
        var used = Set<Helper>()
        func add(_ helper: Helper) {
            guard used.insert(helper).inserted else { return }
            helper.dependencies.forEach(add)
        }
        for node in graph.nodes {
            if case .tensor(.convolution(let op)) = node.op, let helper = helper(op) { add(helper) }
        }
        return Helper.allCases.filter(used.contains)
    }

    // MARK: - Calls

    /// The call for `op` on its operands' texts. `names` gives each helper's emitted name.
    static func call(_ op: ConvolutionOp, _ args: [Printed], shapes: [TensorShape], names: [Helper: String]) -> Printed {
        func name(_ op: ConvolutionOp) -> String {
            guard let helper = helper(op) else { return "np.sum" }
            return names[helper] ?? helper.rawValue
        }
        switch op {
        case .conv(let c), .inputGrad(let c), .filterGrad(let c):
            // The worksheet form: operands with the spatial axes only.
            let worksheet = !c.isLayerForm(rank: shapes[0].rank)
            let operands = args.map { worksheet ? $0.wrapped(below: Printed.Level.atom) + "[None, None]" : $0.text }
            let text = name(op) + "(" + (operands + keywords(stride: c.stride, pad: c.pad, defaultStride: 1)).joined(separator: ", ") + ")"
            return Printed(worksheet ? text + "[0, 0]" : text, Printed.Level.atom)
        case .biasGrad(let c):
            // The upstream summed over the batch and every spatial axis: one value per filter.
            let axes = [0] + (2..<(2 + c.spatialAxes))
            return NumPyTensorDialect.call("np.sum", [args[0].text, "axis=" + NumPyTensorDialect.axes(axes)])
        case .pool(let p), .maxPoolGrad(let p), .avgPoolGrad(let p), .maxPoolPick(let p):
            let operands = args.map(\.text) + [String(p.kernel)] + keywords(stride: p.stride, pad: p.pad, defaultStride: p.kernel)
            return NumPyTensorDialect.call(name(op), operands)
        }
    }

    /// `stride=2`, `pad=1`, leaving out the defaults, as the input language prints them.
    private static func keywords(stride: Int, pad: Int, defaultStride: Int) -> [String] {
        (stride != defaultStride ? ["stride=\(stride)"] : []) + (pad != 0 ? ["pad=\(pad)"] : [])
    }

    // MARK: - Definitions

    /// The definition of `helper`, calling the others by their emitted `names`.
    static func definition(_ helper: Helper, names: [Helper: String]) -> String {
        func n(_ h: Helper) -> String { names[h] ?? h.rawValue }
        switch helper {
        case .conv1dColumns:
            return #"""
                def \#(n(.conv1dColumns))(x, f, stride, pad):
                    """The patches of x (N, C, L) under the F filter offsets: (N, C*F, Lo), row (c, i)
                    holding x[:, c, o*stride + i - pad] for every output position o (0 in the zero padding).
                    One strided slice of the whole batch per offset: no loop over positions or images."""
                    n, c, length = x.shape
                    lo = (length + 2 * pad - f) // stride + 1
                    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad))) if pad else x
                    cols = np.stack([xp[:, :, i:i + stride * (lo - 1) + 1:stride] for i in range(f)], axis=2)
                    return cols.reshape(n, c * f, lo)
                """#
        case .conv2dColumns:
            return #"""
                def \#(n(.conv2dColumns))(x, fh, fw, stride, pad):
                    """The patches of x (N, C, H, W) under the FH x FW filter offsets: (N, C*FH*FW, Ho*Wo), row
                    (c, i, j) holding x[:, c, r*stride + i - pad, s*stride + j - pad] for every output position
                    (r, s) (0 in the zero padding). One strided slice of the whole batch per offset: no loop
                    over pixels or images."""
                    n, c, h, w = x.shape
                    ho, wo = (h + 2 * pad - fh) // stride + 1, (w + 2 * pad - fw) // stride + 1
                    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad))) if pad else x
                    cols = np.stack([xp[:, :, i:i + stride * (ho - 1) + 1:stride, j:j + stride * (wo - 1) + 1:stride]
                                     for i in range(fh) for j in range(fw)], axis=2)
                    return cols.reshape(n, c * fh * fw, ho * wo)
                """#
        case .conv1d:
            return #"""
                def \#(n(.conv1d))(x, w, b=None, stride=1, pad=0):
                    """Cross-correlation (no flip) of x (N, C, L) with filters w (K, C, F), zero padding and
                    stride as given, plus b (K,) per filter: (N, K, Lo), Lo = (L - F + 2*pad)/stride + 1.
                    out[n, k, o] = b[k] + sum over c, i of x[n, c, o*stride + i - pad] w[k, c, i]."""
                    k, c, f = w.shape
                    out = w.reshape(k, c * f) @ \#(n(.conv1dColumns))(x, f, stride, pad)
                    return out if b is None else out + b.reshape(k, 1)
                """#
        case .conv2d:
            return #"""
                def \#(n(.conv2d))(x, w, b=None, stride=1, pad=0):
                    """Cross-correlation (no flip) of x (N, C, H, W) with filters w (K, C, FH, FW), NCHW and
                    OIHW, zero padding and stride as given, plus b (K,) per filter: (N, K, Ho, Wo),
                    Ho = (H - FH + 2*pad)/stride + 1.
                    out[n, k, r, s] = b[k] + sum over c, i, j of x[n, c, r*stride + i - pad, s*stride + j - pad] w[k, c, i, j]."""
                    k, c, fh, fw = w.shape
                    n, _, h, wd = x.shape
                    ho, wo = (h + 2 * pad - fh) // stride + 1, (wd + 2 * pad - fw) // stride + 1
                    out = (w.reshape(k, c * fh * fw) @ \#(n(.conv2dColumns))(x, fh, fw, stride, pad)).reshape(n, k, ho, wo)
                    return out if b is None else out + b.reshape(k, 1, 1)
                """#
        case .conv1dInputGrad:
            return #"""
                def \#(n(.conv1dInputGrad))(g, w, stride=1, pad=0):
                    """dL/dx of conv1d(x, w, stride=stride, pad=pad), given g = dL/dout (N, K, Lo): the full
                    correlation of g with the flipped filters. Filter offset i's share w[:, :, i]^T g goes back
                    (+=) to the strided slice it was read from; overlapping slices accumulate, and the padding
                    is cut off: (N, C, L)."""
                    n, k, lo = g.shape
                    c, f = w.shape[1], w.shape[2]
                    length = stride * (lo - 1) + f - 2 * pad
                    shares = (w.reshape(k, c * f).T @ g).reshape(n, c, f, lo)
                    dxp = np.zeros((n, c, length + 2 * pad))
                    for i in range(f):
                        dxp[:, :, i:i + stride * (lo - 1) + 1:stride] += shares[:, :, i]
                    return dxp[:, :, pad:pad + length]
                """#
        case .conv2dInputGrad:
            return #"""
                def \#(n(.conv2dInputGrad))(g, w, stride=1, pad=0):
                    """dL/dx of conv2d(x, w, stride=stride, pad=pad), given g = dL/dout (N, K, Ho, Wo): the full
                    correlation of g with the flipped filters (a transposed convolution). Filter offset (i, j)'s
                    share w[:, :, i, j]^T g goes back (+=) to the strided slice it was read from; overlapping
                    slices accumulate, and the padding is cut off: (N, C, H, W)."""
                    n, k, ho, wo = g.shape
                    c, fh, fw = w.shape[1:]
                    h, wd = stride * (ho - 1) + fh - 2 * pad, stride * (wo - 1) + fw - 2 * pad
                    shares = (w.reshape(k, c * fh * fw).T @ g.reshape(n, k, ho * wo)).reshape(n, c, fh, fw, ho, wo)
                    dxp = np.zeros((n, c, h + 2 * pad, wd + 2 * pad))
                    for i in range(fh):
                        for j in range(fw):
                            dxp[:, :, i:i + stride * (ho - 1) + 1:stride, j:j + stride * (wo - 1) + 1:stride] += shares[:, :, i, j]
                    return dxp[:, :, pad:pad + h, pad:pad + wd]
                """#
        case .conv1dFilterGrad:
            return #"""
                def \#(n(.conv1dFilterGrad))(x, g, stride=1, pad=0):
                    """dL/dw of conv1d(x, w, stride=stride, pad=pad), given g = dL/dout (N, K, Lo): the
                    correlation of x with g, summed over the batch: (K, C, F).
                    dw[k, c, i] = sum over n, o of x[n, c, o*stride + i - pad] g[n, k, o]."""
                    n, k, lo = g.shape
                    c = x.shape[1]
                    f = x.shape[2] + 2 * pad - stride * (lo - 1)
                    return np.sum(g @ np.swapaxes(\#(n(.conv1dColumns))(x, f, stride, pad), 1, 2), axis=0).reshape(k, c, f)
                """#
        case .conv2dFilterGrad:
            return #"""
                def \#(n(.conv2dFilterGrad))(x, g, stride=1, pad=0):
                    """dL/dw of conv2d(x, w, stride=stride, pad=pad), given g = dL/dout (N, K, Ho, Wo): the
                    correlation of x with g, summed over the batch: (K, C, FH, FW).
                    dw[k, c, i, j] = sum over n, r, s of x[n, c, r*stride + i - pad, s*stride + j - pad] g[n, k, r, s]."""
                    n, k, ho, wo = g.shape
                    c = x.shape[1]
                    fh, fw = x.shape[2] + 2 * pad - stride * (ho - 1), x.shape[3] + 2 * pad - stride * (wo - 1)
                    cols = \#(n(.conv2dColumns))(x, fh, fw, stride, pad)
                    return np.sum(g.reshape(n, k, ho * wo) @ np.swapaxes(cols, 1, 2), axis=0).reshape(k, c, fh, fw)
                """#
        case .pool1dWindows:
            return #"""
                def \#(n(.pool1dWindows))(x, k, stride, pad, fill):
                    """The windows of x (..., L) padded with fill, one strided slice per window offset:
                    (k, ..., Lo), entry [i, ..., o] = x[..., o*stride + i - pad]."""
                    lo = (x.shape[-1] + 2 * pad - k) // stride + 1
                    xp = np.pad(x, ((0, 0),) * (x.ndim - 1) + ((pad, pad),), constant_values=fill) if pad else x
                    return np.stack([xp[..., i:i + stride * (lo - 1) + 1:stride] for i in range(k)])
                """#
        case .pool2dWindows:
            return #"""
                def \#(n(.pool2dWindows))(x, k, stride, pad, fill):
                    """The k x k windows of x (..., H, W) padded with fill, one strided slice per window offset,
                    offsets in row-major order: (k*k, ..., Ho, Wo), entry [i*k + j, ..., r, s] =
                    x[..., r*stride + i - pad, s*stride + j - pad]. Every leading axis is a batch axis."""
                    ho, wo = (x.shape[-2] + 2 * pad - k) // stride + 1, (x.shape[-1] + 2 * pad - k) // stride + 1
                    xp = np.pad(x, ((0, 0),) * (x.ndim - 2) + ((pad, pad), (pad, pad)), constant_values=fill) if pad else x
                    return np.stack([xp[..., i:i + stride * (ho - 1) + 1:stride, j:j + stride * (wo - 1) + 1:stride]
                                     for i in range(k) for j in range(k)])
                """#
        case .maxpool1d:
            return #"""
                def \#(n(.maxpool1d))(x, k, stride=None, pad=0):
                    """The maximum of each window of k (stride k unless given), padded with -inf so that a
                    padded cell never wins: (..., Lo)."""
                    return np.max(\#(n(.pool1dWindows))(x, k, stride or k, pad, -np.inf), axis=0)
                """#
        case .maxpool2d:
            return #"""
                def \#(n(.maxpool2d))(x, k, stride=None, pad=0):
                    """The maximum of each k x k window (stride k unless given), padded with -inf so that a
                    padded cell never wins: (..., Ho, Wo)."""
                    return np.max(\#(n(.pool2dWindows))(x, k, stride or k, pad, -np.inf), axis=0)
                """#
        case .avgpool1d:
            return #"""
                def \#(n(.avgpool1d))(x, k, stride=None, pad=0):
                    """The mean of each window of k (stride k unless given), padded with zeros that count:
                    every window divides by k. (..., Lo)."""
                    return np.sum(\#(n(.pool1dWindows))(x, k, stride or k, pad, 0.0), axis=0) / k
                """#
        case .avgpool2d:
            return #"""
                def \#(n(.avgpool2d))(x, k, stride=None, pad=0):
                    """The mean of each k x k window (stride k unless given), padded with zeros that count:
                    every window divides by k*k. (..., Ho, Wo)."""
                    return np.sum(\#(n(.pool2dWindows))(x, k, stride or k, pad, 0.0), axis=0) / (k * k)
                """#
        case .maxpool1dGrad:
            return #"""
                def \#(n(.maxpool1dGrad))(x, g, k, stride=None, pad=0):
                    """dL/dx of maxpool1d(x, k, stride, pad), given g = dL/dout (..., Lo): each window's gradient
                    goes to its first maximum (np.argmax's choice: ties go to the first, and a padded -inf cell
                    never wins), nothing to the other cells; overlapping windows accumulate (+=)."""
                    stride = stride or k
                    windows = \#(n(.pool1dWindows))(x, k, stride, pad, -np.inf)
                    # the first real cell equal to the maximum (or NaN): a padded -inf cell never wins,
                    # even where every real cell is -inf (the evaluator's rule)
                    real = \#(n(.pool1dWindows))(np.ones(x.shape), k, stride, pad, 0.0) > 0
                    first = np.argmax(real & ((windows == np.max(windows, axis=0)) | np.isnan(windows)), axis=0)
                    length, lo = x.shape[-1], g.shape[-1]
                    dxp = np.zeros(x.shape[:-1] + (length + 2 * pad,))
                    for i in range(k):
                        # the windows whose first maximum is at offset i send their gradient there
                        dxp[..., i:i + stride * (lo - 1) + 1:stride] += np.where(first == i, g, 0.0)
                    return dxp[..., pad:pad + length]
                """#
        case .maxpool2dGrad:
            return #"""
                def \#(n(.maxpool2dGrad))(x, g, k, stride=None, pad=0):
                    """dL/dx of maxpool2d(x, k, stride, pad), given g = dL/dout (..., Ho, Wo): each window's
                    gradient goes to its first maximum in row-major order (np.argmax's choice: ties go to the
                    first, and a padded -inf cell never wins), nothing to the other cells; overlapping windows
                    accumulate (+=)."""
                    stride = stride or k
                    windows = \#(n(.pool2dWindows))(x, k, stride, pad, -np.inf)
                    # the first real cell equal to the maximum (or NaN): a padded -inf cell never wins,
                    # even where every real cell is -inf (the evaluator's rule)
                    real = \#(n(.pool2dWindows))(np.ones(x.shape), k, stride, pad, 0.0) > 0
                    first = np.argmax(real & ((windows == np.max(windows, axis=0)) | np.isnan(windows)), axis=0)
                    (h, w), (ho, wo) = x.shape[-2:], g.shape[-2:]
                    dxp = np.zeros(x.shape[:-2] + (h + 2 * pad, w + 2 * pad))
                    for i in range(k):
                        for j in range(k):
                            # the windows whose first maximum is at offset (i, j) send their gradient there
                            dxp[..., i:i + stride * (ho - 1) + 1:stride, j:j + stride * (wo - 1) + 1:stride] += np.where(first == i * k + j, g, 0.0)
                    return dxp[..., pad:pad + h, pad:pad + w]
                """#
        case .maxpool1dPick:
            return #"""
                def \#(n(.maxpool1dPick))(x, u, k, stride=None, pad=0):
                    """u (the shape of x) at each window's first maximum of x, the window being maxpool1d(x, k,
                    stride, pad)'s: the adjoint of maxpool1d_grad in its upstream (second derivatives). (..., Lo)."""
                    stride = stride or k
                    windows = \#(n(.pool1dWindows))(x, k, stride, pad, -np.inf)
                    # the first real cell equal to the maximum (or NaN): a padded -inf cell never wins,
                    # even where every real cell is -inf (the evaluator's rule)
                    real = \#(n(.pool1dWindows))(np.ones(x.shape), k, stride, pad, 0.0) > 0
                    first = np.argmax(real & ((windows == np.max(windows, axis=0)) | np.isnan(windows)), axis=0)
                    return np.take_along_axis(\#(n(.pool1dWindows))(u, k, stride, pad, 0.0), first[None], axis=0)[0]
                """#
        case .maxpool2dPick:
            return #"""
                def \#(n(.maxpool2dPick))(x, u, k, stride=None, pad=0):
                    """u (the shape of x) at each window's first maximum of x in row-major order, the window being
                    maxpool2d(x, k, stride, pad)'s: the adjoint of maxpool2d_grad in its upstream (second
                    derivatives). (..., Ho, Wo)."""
                    stride = stride or k
                    windows = \#(n(.pool2dWindows))(x, k, stride, pad, -np.inf)
                    # the first real cell equal to the maximum (or NaN): a padded -inf cell never wins,
                    # even where every real cell is -inf (the evaluator's rule)
                    real = \#(n(.pool2dWindows))(np.ones(x.shape), k, stride, pad, 0.0) > 0
                    first = np.argmax(real & ((windows == np.max(windows, axis=0)) | np.isnan(windows)), axis=0)
                    return np.take_along_axis(\#(n(.pool2dWindows))(u, k, stride, pad, 0.0), first[None], axis=0)[0]
                """#
        case .avgpool1dGrad:
            return #"""
                def \#(n(.avgpool1dGrad))(g, k, stride=None, pad=0):
                    """dL/dx of avgpool1d(x, k, stride, pad), given g = dL/dout (..., Lo): each window's gradient
                    over k to every cell of the window; overlapping windows accumulate (+=), the padding is cut
                    off: (..., L)."""
                    stride = stride or k
                    lo = g.shape[-1]
                    length = stride * (lo - 1) + k - 2 * pad
                    dxp = np.zeros(g.shape[:-1] + (length + 2 * pad,))
                    for i in range(k):
                        dxp[..., i:i + stride * (lo - 1) + 1:stride] += g / k
                    return dxp[..., pad:pad + length]
                """#
        case .avgpool2dGrad:
            return #"""
                def \#(n(.avgpool2dGrad))(g, k, stride=None, pad=0):
                    """dL/dx of avgpool2d(x, k, stride, pad), given g = dL/dout (..., Ho, Wo): each window's
                    gradient over k*k to every cell of the window; overlapping windows accumulate (+=), the
                    padding is cut off: (..., H, W)."""
                    stride = stride or k
                    ho, wo = g.shape[-2:]
                    h, w = stride * (ho - 1) + k - 2 * pad, stride * (wo - 1) + k - 2 * pad
                    dxp = np.zeros(g.shape[:-2] + (h + 2 * pad, w + 2 * pad))
                    for i in range(k):
                        for j in range(k):
                            dxp[..., i:i + stride * (ho - 1) + 1:stride, j:j + stride * (wo - 1) + 1:stride] += g / (k * k)
                    return dxp[..., pad:pad + h, pad:pad + w]
                """#
        }
    }
}
