import ExprParse
import Foundation
import Symbolic

/// One tensor program the tensor emitters are run on, with how to make a point for it.
struct TensorCase: Sendable, CustomStringConvertible {
    let source: String
    /// Sizes of named dimensions (3 when not given).
    var dims: [String: Int] = [:]
    /// Labels are drawn from 0..<classes.
    var classes = 2
    /// Real values in (0.2, 0.9) instead of (-1.5, 1.5), for functions with a limited domain.
    var positive = false

    var description: String { source }

    func gradient() throws -> Gradient { try Gradient(source: source) }

    /// The named dimensions in the order the generated signature takes them: as the inputs
    /// declare them, then any other shape's.
    static func dimensionOrder(_ gradient: Gradient) -> [String] {
        var order: [String] = []
        let shapes = gradient.staged.inputNodes.map { gradient.graph.shapes[$0.int] }
            + (0..<gradient.graph.count).map { gradient.graph.shapes[$0] }
        for shape in shapes {
            for case .named(let name) in shape.dimensions where !order.contains(name) { order.append(name) }
        }
        return order
    }

    /// The sizes of every named dimension.
    func bindings(_ gradient: Gradient) -> [String: Int] {
        var result: [String: Int] = [:]
        for name in TensorCase.dimensionOrder(gradient) { result[name] = dims[name] ?? 3 }
        return result
    }

    /// A seeded point: every input of its declared shape, and the upstream gradient for an
    /// array output (nil for a scalar output).
    func point(_ gradient: Gradient, seed: UInt64) throws -> (inputs: [Tensor], upstream: Tensor?) {
        var state = seed &* 0x9E3779B97F4A7C15 &+ 12345
        func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        let bindings = bindings(gradient)
        var inputs: [Tensor] = []
        for (index, node) in gradient.staged.inputNodes.enumerated() {
            let sizes = try gradient.graph.shapes[node.int].bound(bindings).requireSizes()
            let count = sizes.reduce(1, *)
            let values: [Double] = gradient.isLabel(index)
                ? (0..<count).map { _ in Double(Int(next() * Double(classes)) % classes) }
                : (0..<count).map { _ in positive ? 0.2 + 0.7 * next() : 3 * next() - 1.5 }
            inputs.append(try Tensor(shape: sizes, scalars: values))
        }
        let outputShape = gradient.graph.shapes[gradient.staged.output.int]
        guard outputShape.rank > 0 else { return (inputs, nil) }
        let sizes = try outputShape.bound(bindings).requireSizes()
        return (inputs, try Tensor(shape: sizes, scalars: (0..<sizes.reduce(1, *)).map { _ in 2 * next() - 1 }))
    }
}

/// Tensor programs covering every op on whole arrays, broadcasting both ways, every matmul
/// rank combination (batch broadcasting, 1-D promotion), labels, named dimensions and array
/// outputs.
enum TensorCorpus {
    /// The three snapshot programs: ||Wx||^2, a softmax cross-entropy layer, a skip connection.
    static let normSquared = "W: (2, 2); x: (2,); sum((W @ x)^2)"
    static let softmaxCE = "W: (3, 4); b: (3,); X: (N, 4); y: int (N,); cross_entropy(X @ W.T + b, y)"
    static let skip = "W1: (3, 4); W2: (4, 3); x: (4,); h = tanh(W1 @ x); sum((x + W2 @ h)^2)"

    static let cases: [TensorCase] = [
        TensorCase(source: normSquared),
        TensorCase(source: softmaxCE, classes: 3),
        TensorCase(source: skip),
        // Reductions: every axis, keepdims, mean, max and min (first-extreme masks).
        TensorCase(source: "X: (2, 3); sum(mean(X, axis=0)^2) + sum(max(X, axis=1)) + sum(min(X, axis=0, keepdims=true) * X)"),
        TensorCase(source: "x: (4,); max(x) - 2*min(x) + mean(x)^2 + sum(x, axis=0)"),
        TensorCase(source: "X: (2, 3, 4); sum(max(X, axis=1)^2) + sum(mean(X, axis=2, keepdims=true) * X) + max(X) * min(X, axis=-1)[0, 1]"),
        // matmul: every rank combination, batch axes broadcast.
        TensorCase(source: "A: (2, 3, 4); B: (4, 5); sum(tanh(A @ B))"),
        TensorCase(source: "A: (2, 1, 3, 4); B: (5, 4, 2); sum((A @ B)^2)"),
        TensorCase(source: "a: (3,); B: (2, 3, 4); sum((a @ B)^2)"),
        TensorCase(source: "B: (2, 4, 3); a: (3,); sum(sin(B @ a))"),
        TensorCase(source: "v: (3,); M: (3, 2); sum(exp(v @ M))"),
        TensorCase(source: "u: (3,); v: (3,); (u @ v) * 2 + dot(u, v)^2"),
        TensorCase(source: "A: (3, 2); B: (2, 3); sum(sin(A @ B @ A))"),
        // Transposes and permutations.
        TensorCase(source: "X: (2, 3, 4); Y: (4, 2, 3); sum(transpose(X, axes=(2, 0, 1)) * Y) + sum(transpose(X)^2)"),
        TensorCase(source: "A: (3, 2); sum(sin(A.T @ A)) + sum(A.T * A.T)"),
        // outer, dot, norm.
        TensorCase(source: "u: (3,); v: (2,); sum(outer(u, v)^2) + dot(u, u) + norm(v) + ||outer(u, v)||"),
        // Broadcasting in both directions, of inputs, scalars, constants and labels.
        TensorCase(source: "x: (4,); Y: (3, 4); sum((x + Y)^2)"),
        TensorCase(source: "c: (3, 1); R: (3, 4); sum(c * R) + sum((R - c)^2)"),
        TensorCase(source: "a: (4,); b: (4, 1, 1); sum(sin(a + b))"),
        TensorCase(source: "s: (); X: (2, 3); t * sum(s * X^2) + s"),
        TensorCase(source: "X: (2, 3); sum(X * [1, 2, 3]) + sum(X / [[2], [4]]) + sum(X - 1)"),
        TensorCase(source: "x: (); y: (); sum([x, 2*y, x*y]^2) + sum([[x, y], [1, x]] @ [y, 2])"),
        TensorCase(source: "x: (3,); y: int (3,); sum(x * (1 - y))"),
        // Reshapes.
        TensorCase(source: "X: (2, 3, 2); sum(tanh(reshape(X, (3, 4)) @ [1, 2, 3, 4])) + sum(flatten(X)^2)"),
        TensorCase(source: "X: (2, 6); sum(exp(reshape(X, (2, 3, -1))) * reshape(X, (2, 3, 2)))"),
        // Indexing: entries, rows by label, one element per row.
        TensorCase(source: "W: (3, 4); y: int; sum(W[y]^2) + W[1, 2] * W[0, 0]", classes: 3),
        TensorCase(source: "x: (5,); y: int; x[y] * x[0] + x[-1]", classes: 5),
        TensorCase(source: "Z: (N, 3); y: int (N,); sum(Z[arange(N), y]^2)", classes: 3),
        // The softmax family on every axis.
        TensorCase(source: "Z: (2, 3); sum(softmax(Z) * [1, 2, 3]) + sum(softmax(Z, axis=0)^2)"),
        TensorCase(source: "Z: (2, 3); sum(log_softmax(Z, axis=0) * Z) + sum(log_softmax(Z) * Z)"),
        TensorCase(source: "x: (4,); Z: (2, 3); logsumexp(x) + sum(logsumexp(Z, axis=0)) + sum(logsumexp(Z, keepdims=true) * Z)"),
        TensorCase(source: "z: (3,); y: int; cross_entropy(z, y)", classes: 3),
        TensorCase(source: "Z: (N, 3); y: int (N,); sum(Z * onehot(y, 3)) + -mean(log_softmax(Z)[arange(N), y])", classes: 3),
        // Named dimensions.
        TensorCase(source: "X: (N, D); w: (D,); sum((X @ w)^2)/N + sum(mean(X, axis=0)^2)", dims: ["N": 4, "D": 2]),
        TensorCase(source: "X: (B, 3); sum(softmax(X) * X) + max(X) + sum(max(X, axis=0))", dims: ["B": 2]),
        // The explicit forms of broadcasts, their sums and max masks.
        TensorCase(source: "X: (2, 3); sum(first_argmax_mask(X, axis=1) * X) + sum(sum_to(X, (3,))^2) + sum(broadcast_to([1, 2, 3], (2, 3)) * X) + sum(first_argmin_mask(X) * X)"),
        // Array outputs: the upstream gradient is a parameter.
        TensorCase(source: "W: (2, 3); x: (3,); W @ x"),
        TensorCase(source: "X: (2, 3); softmax(X)"),
        TensorCase(source: "x: (3,); x"),
        TensorCase(source: "x: (3,); y: (2,); sum(x^2)"),
        // A two-layer classifier.
        TensorCase(source: "W1: (4, 3); b1: (4,); W2: (2, 4); b2: (2,); X: (N, 3); y: int (N,); H = tanh(X @ W1.T + b1); cross_entropy(H @ W2.T + b2, y)"),
        TensorCase(source: "X: (2, 3); sum(relu(X) + max(X, 0.5) * abs(X)) + sum(sigmoid(X) * softplus(X))"),
        // Corners: labels only, constants, outputs that ignore an input, negated contributions,
        // negative indices on a named axis, reshapes and transposes as outputs.
        TensorCase(source: "y: int (3,); sum(y)"),
        TensorCase(source: "x: (2,); y: int; sum(x) * 0 + y"),
        TensorCase(source: "x: (2,); [1, 2]"),
        TensorCase(source: "X: (2, 3); reshape(X, (3, 2))"),
        TensorCase(source: "x: (2, 2); x.T"),
        TensorCase(source: "x: (3,); sum(x * x - sin(x) - x) - sum(-x)"),
        TensorCase(source: "x: (N,); X: (N, 2); x[-1] * sum(X) + X[-2, 1]", dims: ["N": 4]),
        // A row of a constant matrix under element-wise functions: the Swift writer once read
        // the constant as a scalar and trapped (found by the random tensor programs).
        TensorCase(source: "s: (2,); sum(s * [[1, 2], [3, 4]][1]) + sum(sigmoid(s * [[1, 2], [3, 4]][-1])) + sum(s / exp([[1, 2], [3, 4]][0]))"),
    ]

    /// Functions whose domain is limited: their argument is kept in (0, 1).
    static let limitedDomain: Set<Function> = [.ln, .log2, .log10, .sqrt, .asin, .acos]

    /// Every element-wise function of the grammar on an array, with a broadcast operand.
    static var functions: [TensorCase] {
        Function.allCases.filter { $0 != .stopGradient }.map { function in
            let name = function.name
            switch function {
            case .max, .min, .pow, .xlogy:
                return TensorCase(source: "X: (2, 3); y: (3,); sum(\(name)(X * y, y + 1)) + sum(X)", positive: true)
            default:
                return TensorCase(source: "X: (2, 3); y: (3,); sum(\(name)(X * y) * X)", positive: limitedDomain.contains(function))
            }
        }
    }

    /// Reserved words and the names the generated loops use, as inputs and dimensions.
    static let hostile: [TensorCase] = [
        TensorCase(source: "precondition: (2,); Int: (2, 2); initialized: (2,); sum((Int @ precondition)^2 * initialized)"),
        TensorCase(source: "i: (2, 3); s: (3,); p: (3, 2); aip: (2,); sum(tanh(i * s) @ p * aip) + sum(softmax(i)) + max(i)"),
        TensorCase(source: "X: (in, 3); label: int (in,); m: (3,); t0: (3,); cross_entropy(X * m + t0, label) + sum(logsumexp(X, axis=0))"),
        TensorCase(source: "self: (2,); Double: (2, 2); value: (2,); out: (); sum(Double @ self * value) * out"),
        TensorCase(source: "for: (2, 3); let: (3,); sum(for @ let) + sum(outer(let, let)) + norm(let)"),
    ]

    /// The matrix functions at well-conditioned matrices (R + 5 I is diagonally dominant for
    /// entries of R in (-1.5, 1.5) and n <= 3; R R^T + I is positive definite), and the names
    /// the LU loops use as inputs.
    static let matrices: [TensorCase] = [
        TensorCase(source: "A: (3, 3); det(A + 5 * eye(3)) + trace(A) + logdet(A @ A.T + eye(3))"),
        TensorCase(source: "A: (3, 3); b: (3,); sum((inv(A + 5 * eye(3)) @ b)^2)"),
        TensorCase(source: "A: (2, 2); inv(A + 5 * eye(2))"),
        TensorCase(source: "A: (N, N); trace(A) * logdet(A + 5 * eye(N)) + sum(inv(A + 5 * eye(N)) * A)", dims: ["N": 3]),
        TensorCase(source: "A: (1, 1); det(A + 5 * eye(1)) + inv(A + 5 * eye(1))[0, 0]"),
        TensorCase(source: "A: (3, 3); log(abs(det(A - 5 * eye(3))))"),
        TensorCase(source: "A: (2, 3, 3); w: (2,); (det(A + 5 * eye(3)) + logdet(A @ A.T + eye(3)) + trace(A)) @ w + sum(inv(A + 5 * eye(3)) * A)"),
        TensorCase(source: "A: (B, 2, 2); inv(A + 5 * eye(2))", dims: ["B": 2]),
        TensorCase(source: "lu: (3, 3); rows: (3,); pivot: (3, 3); column: (3,); negative: (); k: (3,); det(lu + 5 * eye(3)) * negative + logdet(pivot @ pivot.T + eye(3)) + sum(inv(lu + 5 * eye(3)) @ column * rows * k)"),
    ]

    static var all: [TensorCase] { cases + functions + hostile + convolution + matrices }
}
