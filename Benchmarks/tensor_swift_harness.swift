// Harness of scripts/bench_tensor_swift: times symdiff's emitted tensor Swift (the functions
// softmax_ce, mlp and tanh_mlp, emitted into the same program) against the hand-written loops of
// TensorSwiftAD.swift under `valueWithGradient`, and prints one `|`-separated line per program:
// name, emitted ms, AD ms, emitted GFLOP/s, max relative difference of the gradients.
// Times are per value-and-gradient call with every input's gradient (the batch X's included),
// fastest of 7 rounds after a warm-up; inputs are allocated once, outside the timing.
import _Differentiation
import Foundation

var state: UInt64 = 42
func uniform() -> Double {
    state = state &* 6364136223846793005 &+ 1442695040888963407
    return Double(state >> 11) / Double(1 << 53)
}
func randoms(_ n: Int, scale: Double) -> [Double] { (0..<n).map { _ in (2 * uniform() - 1) * scale } }

/// Milliseconds per call of `body`: fastest of 7 rounds of enough calls to last about 0.2 s, or,
/// for a call longer than a second (compiler AD on the big programs), fastest of 3 calls.
func milliseconds(_ body: () -> Double) -> Double {
    var sink = 0.0
    func timed(_ repeats: Int) -> Double {
        let t0 = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<repeats { sink += body() }
        return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6 / Double(repeats)
    }
    let once = timed(1)
    var best = Double.infinity
    if once > 1000 {
        best = min(once, timed(1), timed(1))
    } else {
        let repeats = max(1, Int(200 / max(once, 1e-3)))
        for _ in 0..<7 { best = min(best, timed(repeats)) }
    }
    if sink == 42.4242 { print("") }
    return best
}

/// max |a - b| / max |b| over the whole gradient.
func relativeDifference(_ a: [Double], _ b: [Double]) -> Double {
    let scale = b.map(abs).max() ?? 1
    return zip(a, b).map { abs($0 - $1) }.max().map { $0 / max(scale, 1e-300) } ?? .nan
}

func report(_ name: String, emitted: Double, ad: Double, flops: Double, difference: Double) {
    print([name, String(format: "%.3f", emitted), String(format: "%.3f", ad),
           String(format: "%.2f", flops / emitted / 1e6), String(format: "%.1e", difference)].joined(separator: "|"))
    fflush(stdout)
}

let batch = 64
let labels = (0..<batch).map { _ in Int(uniform() * 10) % 10 }

do {
    // cross_entropy(X @ W.T + b, y): W (10, 784), X (64, 784).
    let (inputs, classes) = (784, 10)
    let W = randoms(classes * inputs, scale: 1 / sqrt(Double(inputs))), b = randoms(classes, scale: 0.1)
    let X = randoms(batch * inputs, scale: 1)
    let theta = W + b + X
    let r = softmax_ce(W, b, X, labels)
    let (_, g) = valueWithGradient(at: theta) { adSoftmaxCE($0, labels, batch: batch, inputs: inputs, classes: classes) }
    let emitted = milliseconds { softmax_ce(W, b, X, labels).dW[0] }
    let ad = milliseconds { valueWithGradient(at: theta) { adSoftmaxCE($0, labels, batch: batch, inputs: inputs, classes: classes) }.gradient[0] }
    report("softmax_ce", emitted: emitted, ad: ad, flops: 3 * 2 * Double(batch * inputs * classes),
           difference: relativeDifference(r.dW + r.db + r.dX, g.base))
}

do {
    // cross_entropy(relu(X @ W1.T + b1) @ W2.T + b2, y): 784-500-10.
    let (inputs, hidden, classes) = (784, 500, 10)
    let W1 = randoms(hidden * inputs, scale: 1 / sqrt(Double(inputs))), b1 = randoms(hidden, scale: 0.1)
    let W2 = randoms(classes * hidden, scale: 1 / sqrt(Double(hidden))), b2 = randoms(classes, scale: 0.1)
    let X = randoms(batch * inputs, scale: 1)
    let theta = W1 + b1 + W2 + b2 + X
    let r = mlp(W1, b1, W2, b2, X, labels)
    let (_, g) = valueWithGradient(at: theta) { adMLP($0, labels, batch: batch, inputs: inputs, hidden: hidden, classes: classes) }
    let emitted = milliseconds { mlp(W1, b1, W2, b2, X, labels).dW1[0] }
    let ad = milliseconds { valueWithGradient(at: theta) { adMLP($0, labels, batch: batch, inputs: inputs, hidden: hidden, classes: classes) }.gradient[0] }
    report("mlp", emitted: emitted, ad: ad, flops: 3 * 2 * Double(batch * (inputs * hidden + hidden * classes)),
           difference: relativeDifference(r.dW1 + r.db1 + r.dW2 + r.db2 + r.dX, g.base))
}

do {
    // Three tanh layers, 784-256-128-64, and a softmax-CE head of 10.
    let sizes = [784, 256, 128, 64, 10]
    var weights: [[Double]] = [], biases: [[Double]] = []
    for layer in 0..<4 {
        weights.append(randoms(sizes[layer + 1] * sizes[layer], scale: 1 / sqrt(Double(sizes[layer]))))
        biases.append(randoms(sizes[layer + 1], scale: 0.1))
    }
    let X = randoms(batch * sizes[0], scale: 1)
    let theta = (0..<4).flatMap { weights[$0] + biases[$0] } + X
    let r = tanh_mlp(weights[0], biases[0], weights[1], biases[1], weights[2], biases[2], weights[3], biases[3], X, labels)
    let (_, g) = valueWithGradient(at: theta) { adTanhMLP($0, labels, batch: batch, sizes: sizes) }
    let emitted = milliseconds {
        tanh_mlp(weights[0], biases[0], weights[1], biases[1], weights[2], biases[2], weights[3], biases[3], X, labels).dW1[0]
    }
    let ad = milliseconds { valueWithGradient(at: theta) { adTanhMLP($0, labels, batch: batch, sizes: sizes) }.gradient[0] }
    let macs = (0..<4).map { sizes[$0] * sizes[$0 + 1] }.reduce(0, +)
    report("tanh_mlp", emitted: emitted, ad: ad, flops: 3 * 2 * Double(batch * macs),
           difference: relativeDifference(r.dW1 + r.db1 + r.dW2 + r.db2 + r.dW3 + r.db3 + r.dW4 + r.db4 + r.dX, g.base))
}
