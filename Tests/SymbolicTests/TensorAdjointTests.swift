import Foundation
import Symbolic
import Testing

/// The identities the tensor backward pass will be built from, checked with these primitives
/// against central finite differences: d cross_entropy / dz = softmax(z) - onehot(y) (over N
/// for a batch), d logsumexp = softmax, and matmul's VJP with a broadcast batch, where
/// `sum(toShape:)` undoes the broadcast.
@Suite struct TensorAdjointTests {
    static func random(_ sizes: [Int], seed: UInt64) throws -> Tensor {
        var rng = SplitMix64(seed: seed)
        return try Tensor(shape: sizes, scalars: (0..<sizes.reduce(1, *)).map { _ in Double.random(in: -2...2, using: &rng) })
    }

    /// Central differences of a scalar function of one tensor, element by element.
    static func numericGradient(_ x: Tensor, _ f: (Tensor) throws -> Double) throws -> [Double] {
        let h = 1e-6
        return try (0..<x.count).map { i in
            var plus = x.scalars, minus = x.scalars
            plus[i] += h
            minus[i] -= h
            return (try f(Tensor(shape: x.sizes, scalars: plus)) - f(Tensor(shape: x.sizes, scalars: minus))) / (2 * h)
        }
    }

    static func expectClose(_ a: [Double], _ b: [Double], _ label: String) {
        #expect(a.count == b.count, "\(label)")
        for (x, y) in zip(a, b) { #expect(close(x, y, 1e-7), "\(label): \(x) vs \(y)") }
    }

    @Test func crossEntropyGradientIsSoftmaxMinusOnehot() throws {
        let z = try Self.random([5], seed: 1)
        let analytic = try Tensor.zip(z.softmax(), Tensor.onehot([2], classes: 5), -)
        let numeric = try Self.numericGradient(z) { try Tensor.crossEntropy(logits: $0, label: 2) }
        Self.expectClose(analytic.scalars, numeric, "one example")

        let batch = try Self.random([3, 4], seed: 2)
        let labels = [3, 0, 1]
        let p = try batch.softmax()
        let analyticBatch = try Tensor.zip(p, Tensor.onehot(labels, shape: [3], classes: 4)) { ($0 - $1) / 3 }
        let numericBatch = try Self.numericGradient(batch) { try Tensor.crossEntropy(logits: $0, labels: labels) }
        Self.expectClose(analyticBatch.scalars, numericBatch, "batch mean")
    }

    @Test func logsumexpGradientIsSoftmax() throws {
        let x = try Self.random([3, 4], seed: 3)
        let numeric = try Self.numericGradient(x) { try $0.logsumexp(axis: 0).sum().scalarValue ?? .nan }
        Self.expectClose(try x.softmax(axis: 0).scalars, numeric, "logsumexp axis 0")
    }

    /// f = sum(G * (A @ B)) with A (2, 4) broadcast against B's batch (3, 4, 5):
    /// dA = sum to (2, 4) of G @ B.T, dB = A.T @ G.
    @Test func matmulVJPWithBroadcastBatch() throws {
        let a = try Self.random([2, 4], seed: 4), b = try Self.random([3, 4, 5], seed: 5)
        let g = try Self.random([3, 2, 5], seed: 6)
        func f(_ a: Tensor, _ b: Tensor) throws -> Double {
            try Tensor.zip(g, Tensor.matmul(a, b), *).sum().scalarValue ?? .nan
        }
        let dA = try Tensor.matmul(g, b.transposed()).sum(toShape: a.sizes)
        let dB = try Tensor.matmul(a.transposed(), g).sum(toShape: b.sizes)
        #expect(dA.sizes == [2, 4] && dB.sizes == [3, 4, 5])
        Self.expectClose(dA.scalars, try Self.numericGradient(a) { try f($0, b) }, "dA")
        Self.expectClose(dB.scalars, try Self.numericGradient(b) { try f(a, $0) }, "dB")
    }

    /// The worksheet's ||W x||^2 gradient from the same pieces: dW = 2 (W x) x^T.
    @Test func squaredNormGradient() throws {
        let w = try Tensor(shape: [2, 2], scalars: [0.1, 0.5, -0.3, 0.8]), x = Tensor(vector: [0.2, 0.4])
        let numeric = try Self.numericGradient(w) { try Tensor.matmul($0, x).map { $0 * $0 }.sum().scalarValue ?? .nan }
        Self.expectClose([0.088, 0.176, 0.104, 0.208], numeric, "dW")
    }

    /// A broadcast add's gradient flows to each operand through `sum(toShape:)`.
    @Test func broadcastAddVJP() throws {
        let a = try Self.random([2, 1, 3], seed: 7), b = try Self.random([4, 1], seed: 8)
        let g = try Self.random([2, 4, 3], seed: 9)
        #expect(try TensorShape.broadcast([a.shape, b.shape]) == [2, 4, 3])
        func f(_ a: Tensor, _ b: Tensor) throws -> Double { try Tensor.zip(g, Tensor.zip(a, b, +), *).sum().scalarValue ?? .nan }
        Self.expectClose(try g.sum(toShape: a.sizes).scalars, try Self.numericGradient(a) { try f($0, b) }, "da")
        Self.expectClose(try g.sum(toShape: b.sizes).scalars, try Self.numericGradient(b) { try f(a, $0) }, "db")
    }
}
