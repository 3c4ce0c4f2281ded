// Harness of scripts/bench_tensor_swift: times symdiff's emitted tensor Swift (the functions
// softmax_ce, mlp and tanh_mlp at full size, and softmax_ce_s, mlp_s and tanh_mlp_s at a small
// size, emitted into the same program) and, at the small size, the hand-written loops of
// TensorSwiftAD.swift under `valueWithGradient`. Prints one `|`-separated line per program:
// `full|name|emitted ms|GFLOP/s` and `small|name|emitted ms|AD ms|max relative difference`.
// Compiler AD runs only at the small size: on loops over [Double] its cost grows with the
// square of the arrays (each subscript read's pullback is an array of the whole input), so at
// batch 64 one MLP call takes hours and over 10 GB (see BENCHMARKS.md, section 5).
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

/// The inputs of one program: layer sizes (inputs first), batch, weights, biases, X and labels.
struct Net {
    let sizes: [Int]
    let batch: Int
    var weights: [[Double]] = []
    var biases: [[Double]] = []
    let X: [Double]
    let labels: [Int]

    init(_ sizes: [Int], batch: Int) {
        self.sizes = sizes
        self.batch = batch
        for layer in 0..<(sizes.count - 1) {
            weights.append(randoms(sizes[layer + 1] * sizes[layer], scale: 1 / sqrt(Double(sizes[layer]))))
            biases.append(randoms(sizes[layer + 1], scale: 0.1))
        }
        X = randoms(batch * sizes[0], scale: 1)
        labels = (0..<batch).map { _ in Int(uniform() * 10) % 10 }
    }

    /// Weights and biases interleaved, then X: the layout of TensorSwiftAD.swift's theta.
    var theta: [Double] { weights.indices.flatMap { weights[$0] + biases[$0] } + X }

    /// Forward and backward matmul flops: three products of each layer's size.
    var flops: Double {
        var macs = 0
        for layer in 0..<(sizes.count - 1) { macs += sizes[layer] * sizes[layer + 1] }
        return 6 * Double(batch * macs)
    }
}

func full(_ name: String, _ net: Net, _ body: () -> Double) {
    let ms = milliseconds(body)
    print(["full", name, String(format: "%.3f", ms), String(format: "%.2f", net.flops / ms / 1e6)].joined(separator: "|"))
    fflush(stdout)
}

func small(_ name: String, emitted: () -> [Double], ad: () -> (Double, [Double])) {
    let difference = relativeDifference(emitted(), ad().1)
    let e = milliseconds { emitted()[0] }
    let a = milliseconds { ad().1[0] }
    print(["small", name, String(format: "%.4f", e), String(format: "%.3f", a), String(format: "%.1e", difference)].joined(separator: "|"))
    fflush(stdout)
}

do {
    let n = Net([784, 10], batch: 64)
    full("softmax_ce", n) { softmax_ce(n.weights[0], n.biases[0], n.X, n.labels).dW[0] }
    let m = Net([784, 500, 10], batch: 64)
    full("mlp", m) { mlp(m.weights[0], m.biases[0], m.weights[1], m.biases[1], m.X, m.labels).dW1[0] }
    let t = Net([784, 256, 128, 64, 10], batch: 64)
    full("tanh_mlp", t) {
        tanh_mlp(t.weights[0], t.biases[0], t.weights[1], t.biases[1], t.weights[2], t.biases[2], t.weights[3], t.biases[3],
                 t.X, t.labels).dW1[0]
    }
}

do {
    let n = Net([32, 10], batch: 8)
    let theta = n.theta
    small("softmax_ce", emitted: {
        let r = softmax_ce_s(n.weights[0], n.biases[0], n.X, n.labels)
        return r.dW + r.db + r.dX
    }, ad: {
        let (v, g) = valueWithGradient(at: theta) { adSoftmaxCE($0, n.labels, batch: 8, inputs: 32, classes: 10) }
        return (v, g.base)
    })
    let m = Net([32, 16, 10], batch: 8)
    let thetaM = m.theta
    small("mlp", emitted: {
        let r = mlp_s(m.weights[0], m.biases[0], m.weights[1], m.biases[1], m.X, m.labels)
        return r.dW1 + r.db1 + r.dW2 + r.db2 + r.dX
    }, ad: {
        let (v, g) = valueWithGradient(at: thetaM) { adMLP($0, m.labels, batch: 8, inputs: 32, hidden: 16, classes: 10) }
        return (v, g.base)
    })
    let t = Net([32, 16, 16, 16, 10], batch: 8)
    let thetaT = t.theta
    small("tanh_mlp", emitted: {
        let r = tanh_mlp_s(t.weights[0], t.biases[0], t.weights[1], t.biases[1], t.weights[2], t.biases[2], t.weights[3], t.biases[3],
                           t.X, t.labels)
        return r.dW1 + r.db1 + r.dW2 + r.db2 + r.dW3 + r.db3 + r.dW4 + r.db4 + r.dX
    }, ad: {
        let (v, g) = valueWithGradient(at: thetaT) { adTanhMLP($0, t.labels, batch: 8, sizes: [32, 16, 16, 16, 10]) }
        return (v, g.base)
    })
}
