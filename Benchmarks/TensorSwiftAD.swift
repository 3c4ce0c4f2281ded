// The tensor benchmark's reference for Swift's compiler AD: the same programs as symdiff's
// emitted tensor Swift, written by hand as plain loops on flat row-major [Double] buffers and
// differentiated by `valueWithGradient(at:of:)` (`import _Differentiation`). Every real input
// (weights, biases and the batch X) is one slice of a single parameter vector `theta`, so the
// gradient covers the same inputs as the emitted function's. scripts/bench_tensor_swift
// compiles this file with the emitted functions and a generated harness into one `-O -wmo`
// program.
import _Differentiation
import Foundation

/// out[n, j] = b[j] + sum_p x[n, p] * W[j, p]: `x @ W.T + b`, W at `w` and b at `b` in theta.
@differentiable(reverse, wrt: (theta, x))
func adDense(_ theta: [Double], w: Int, b: Int, _ x: [Double], xOffset: Int, batch: Int, inputs: Int, outputs: Int) -> [Double] {
    var out: [Double] = []
    for n in 0..<batch {
        for j in 0..<outputs {
            var s = theta[b + j]
            for p in 0..<inputs { s += x[xOffset + n * inputs + p] * theta[w + j * inputs + p] }
            out.append(s)
        }
    }
    return out
}

@differentiable(reverse)
func adRelu(_ x: [Double]) -> [Double] {
    var out: [Double] = []
    for i in 0..<withoutDerivative(at: x.count) {
        if x[i] > 0 { out.append(x[i]) } else { out.append(0) }
    }
    return out
}

@differentiable(reverse)
func adTanh(_ x: [Double]) -> [Double] {
    var out: [Double] = []
    for i in 0..<withoutDerivative(at: x.count) { out.append(tanh(x[i])) }
    return out
}

/// The row maxima, which the loss subtracts as constants (the stable form).
func rowMaxima(_ z: [Double], batch: Int, classes: Int) -> [Double] {
    (0..<batch).map { n in z[(n * classes)..<(n * classes + classes)].max() ?? 0 }
}

/// The mean over rows of m - z[y] + log(sum(exp(z - m))).
@differentiable(reverse, wrt: z)
func adCrossEntropy(_ z: [Double], _ y: [Int], batch: Int, classes: Int) -> Double {
    let m = rowMaxima(withoutDerivative(at: z), batch: batch, classes: classes)
    var total = 0.0
    for n in 0..<batch {
        var s = 0.0
        for k in 0..<classes { s += exp(z[n * classes + k] - m[n]) }
        total += m[n] - z[n * classes + y[n]] + log(s)
    }
    return total / Double(batch)
}

/// cross_entropy(X @ W.T + b, y) with theta = W, b, X.
@differentiable(reverse, wrt: theta)
func adSoftmaxCE(_ theta: [Double], _ y: [Int], batch: Int, inputs: Int, classes: Int) -> Double {
    let w = 0, b = classes * inputs, x = b + classes
    let z = adDense(theta, w: w, b: b, theta, xOffset: x, batch: batch, inputs: inputs, outputs: classes)
    return adCrossEntropy(z, y, batch: batch, classes: classes)
}

/// cross_entropy(relu(X @ W1.T + b1) @ W2.T + b2, y) with theta = W1, b1, W2, b2, X.
@differentiable(reverse, wrt: theta)
func adMLP(_ theta: [Double], _ y: [Int], batch: Int, inputs: Int, hidden: Int, classes: Int) -> Double {
    let w1 = 0, b1 = hidden * inputs, w2 = b1 + hidden, b2 = w2 + classes * hidden, x = b2 + classes
    let h = adRelu(adDense(theta, w: w1, b: b1, theta, xOffset: x, batch: batch, inputs: inputs, outputs: hidden))
    let z = adDense(theta, w: w2, b: b2, h, xOffset: 0, batch: batch, inputs: hidden, outputs: classes)
    return adCrossEntropy(z, y, batch: batch, classes: classes)
}

/// Three tanh layers and a softmax-CE head: theta = W1, b1, W2, b2, W3, b3, W4, b4, X.
@differentiable(reverse, wrt: theta)
func adTanhMLP(_ theta: [Double], _ y: [Int], batch: Int, sizes: [Int]) -> Double {
    var offset = 0
    var weights: [Int] = []
    var biases: [Int] = []
    for layer in 0..<(sizes.count - 1) {
        weights.append(offset)
        offset += sizes[layer + 1] * sizes[layer]
        biases.append(offset)
        offset += sizes[layer + 1]
    }
    var h = adTanh(adDense(theta, w: weights[0], b: biases[0], theta, xOffset: offset, batch: batch,
                           inputs: sizes[0], outputs: sizes[1]))
    for layer in 1..<(sizes.count - 2) {
        h = adTanh(adDense(theta, w: weights[layer], b: biases[layer], h, xOffset: 0, batch: batch,
                           inputs: sizes[layer], outputs: sizes[layer + 1]))
    }
    let last = sizes.count - 2
    let z = adDense(theta, w: weights[last], b: biases[last], h, xOffset: 0, batch: batch,
                    inputs: sizes[last], outputs: sizes[last + 1])
    return adCrossEntropy(z, y, batch: batch, classes: sizes[last + 1])
}
