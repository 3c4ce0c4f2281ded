import Foundation
import Symbolic
import Testing
import TestSupport

/// Every Tensor operation against NumPy on seeded random values, over the broadcast, batched
/// and 1-D cases: one python3 run computes the reference answers for all cases at once.
@Suite struct TensorNumPyTests {
    /// One operation on concrete inputs; `axis` nil means over everything.
    struct Case {
        let op: String
        let inputs: [Tensor]
        var axis: Int?
        var keepdims = false
        var extra: [Int] = []
    }

    static func random(_ sizes: [Int], _ rng: inout SplitMix64) throws -> Tensor {
        let count = sizes.reduce(1, *)
        return try Tensor(shape: sizes, scalars: (0..<count).map { _ in Double.random(in: -2...2, using: &rng) })
    }

    static func cases() throws -> [Case] {
        var rng = SplitMix64(seed: 2026)
        var cases: [Case] = []
        let pairs: [([Int], [Int])] = [([2, 3], [3]), ([4], [4, 1, 1]), ([4, 2], [2, 4, 1]), ([2, 1], [1, 3]),
                                       ([], [2, 2]), ([3], [3]), ([8, 3], [2, 8, 1])]
        for (a, b) in pairs {
            for op in ["add", "mul", "sub", "maximum"] {
                cases.append(Case(op: op, inputs: [try random(a, &rng), try random(b, &rng)]))
            }
        }
        let products: [([Int], [Int])] = [([5, 4], [4, 3]), ([4], [4, 3]), ([5, 4], [4]), ([4], [4]),
                                          ([3, 2, 4], [3, 4, 5]), ([1, 2, 4], [3, 4, 2]), ([2, 2, 4], [3, 2, 4, 3]),
                                          ([2, 3, 4], [4]), ([4], [2, 4, 3]), ([0, 4], [4, 2]), ([2, 0], [0, 3])]
        for (a, b) in products {
            cases.append(Case(op: "matmul", inputs: [try random(a, &rng), try random(b, &rng)]))
        }
        for s in [[2, 3], [2, 3, 4], [5], [1, 1]] {
            cases.append(Case(op: "transpose", inputs: [try random(s, &rng)]))
        }
        cases.append(Case(op: "permute", inputs: [try random([2, 3, 4], &rng)], extra: [2, 0, 1]))
        cases.append(Case(op: "permute", inputs: [try random([2, 3, 4], &rng)], extra: [-1, 1, 0]))
        for s in [[3, 4], [2, 3, 4], [5]] {
            let x = try random(s, &rng)
            for axis in [nil, 0, -1] as [Int?] {
                for keepdims in [false, true] {
                    for op in ["sum", "mean", "max", "min"] {
                        cases.append(Case(op: op, inputs: [x], axis: axis, keepdims: keepdims))
                    }
                }
                cases.append(Case(op: "argmax", inputs: [x], axis: axis))
                cases.append(Case(op: "argmin", inputs: [x], axis: axis))
            }
            for axis in [0, -1] {
                for op in ["softmax", "log_softmax", "logsumexp"] {
                    cases.append(Case(op: op, inputs: [x], axis: axis))
                }
            }
            cases.append(Case(op: "logsumexp", inputs: [x], axis: -1, keepdims: true))
        }
        let g = try random([2, 3, 4], &rng)
        for target in [[3, 1], [4], [], [2, 1, 4], [2, 3, 4], [1, 1]] {
            cases.append(Case(op: "sum_to", inputs: [g], extra: target))
        }
        cases.append(Case(op: "onehot", inputs: [], extra: [0, 2, 1, 2]))
        cases.append(Case(op: "cross_entropy", inputs: [try random([4, 3], &rng)], extra: [0, 2, 1, 2]))
        cases.append(Case(op: "cross_entropy1", inputs: [try random([5], &rng)], extra: [3]))
        return cases
    }

    /// Our answer for one case.
    static func compute(_ c: Case) throws -> Tensor {
        let x = c.inputs.first ?? Tensor(scalar: 0)
        switch c.op {
        case "add": return try Tensor.zip(c.inputs[0], c.inputs[1], +)
        case "mul": return try Tensor.zip(c.inputs[0], c.inputs[1], *)
        case "sub": return try Tensor.zip(c.inputs[0], c.inputs[1], -)
        case "maximum": return try Tensor.zip(c.inputs[0], c.inputs[1], Swift.max)
        case "matmul": return try Tensor.matmul(c.inputs[0], c.inputs[1])
        case "transpose": return x.transposed()
        case "permute": return try x.permuted(c.extra)
        case "sum": return try x.sum(axis: c.axis, keepdims: c.keepdims)
        case "mean": return try x.mean(axis: c.axis, keepdims: c.keepdims)
        case "max": return try x.max(axis: c.axis, keepdims: c.keepdims)
        case "min": return try x.min(axis: c.axis, keepdims: c.keepdims)
        case "argmax", "argmin":
            let r = c.op == "argmax" ? try x.argmax(axis: c.axis) : try x.argmin(axis: c.axis)
            return try Tensor(shape: r.sizes, scalars: r.indices.map(Double.init))
        case "softmax": return try x.softmax(axis: c.axis ?? -1)
        case "log_softmax": return try x.logSoftmax(axis: c.axis ?? -1)
        case "logsumexp": return try x.logsumexp(axis: c.axis ?? -1, keepdims: c.keepdims)
        case "sum_to": return try x.sum(toShape: c.extra)
        case "onehot": return try Tensor.onehot(c.extra, shape: [c.extra.count], classes: 3)
        case "cross_entropy": return Tensor(scalar: try Tensor.crossEntropy(logits: x, labels: c.extra))
        case "cross_entropy1": return Tensor(scalar: try Tensor.crossEntropy(logits: x, label: c.extra[0]))
        default: throw TensorError.syntax(offset: 0, message: "unknown test op \(c.op)")
        }
    }

    static let reference = """
        import json, sys, numpy as np
        def lse(a, axis, keepdims=False):
            return np.log(np.sum(np.exp(a), axis=axis, keepdims=keepdims))
        out = []
        for c in json.load(open(sys.argv[1])):
            xs = [np.array(v, dtype=float).reshape(s) for v, s in zip(c["inputs"], c["shapes"])]
            op, axis, kd, extra = c["op"], c["axis"], c["keepdims"], c["extra"]
            if op == "add": r = xs[0] + xs[1]
            elif op == "mul": r = xs[0] * xs[1]
            elif op == "sub": r = xs[0] - xs[1]
            elif op == "maximum": r = np.maximum(xs[0], xs[1])
            elif op == "matmul": r = xs[0] @ xs[1]
            elif op == "transpose": r = xs[0] if xs[0].ndim < 2 else np.swapaxes(xs[0], -1, -2)
            elif op == "permute": r = np.transpose(xs[0], extra)
            elif op in ("sum", "mean", "max", "min"): r = getattr(np, op)(xs[0], axis=axis, keepdims=kd)
            elif op == "argmax": r = np.argmax(xs[0], axis=axis)
            elif op == "argmin": r = np.argmin(xs[0], axis=axis)
            elif op == "softmax": r = np.exp(xs[0]) / np.sum(np.exp(xs[0]), axis=axis, keepdims=True)
            elif op == "log_softmax": r = xs[0] - lse(xs[0], axis, True)
            elif op == "logsumexp": r = lse(xs[0], axis, kd)
            elif op == "sum_to":
                g, t = xs[0], tuple(extra)
                lead = g.ndim - len(t)
                r = g.sum(axis=tuple(range(lead))) if lead else g
                r = r.sum(axis=tuple(i for i, n in enumerate(t) if n == 1), keepdims=True).reshape(t)
            elif op == "onehot": r = np.eye(3)[extra]
            elif op == "cross_entropy":
                z = xs[0]; ls = z - lse(z, 1, True)
                r = -np.mean(ls[np.arange(len(extra)), extra])
            elif op == "cross_entropy1": r = lse(xs[0], 0) - xs[0][extra[0]]
            r = np.asarray(r, dtype=float)
            out.append({"shape": list(r.shape), "data": r.ravel().tolist()})
        print(json.dumps(out))
        """

    @Test func everyOperationMatchesNumPy() throws {
        guard try ExternalTools.requirePythonWithNumPy() else { return }
        let cases = try Self.cases()
        let encoded = cases.map { c in
            let inputs = c.inputs.map { "[" + $0.scalars.map { "\($0)" }.joined(separator: ", ") + "]" }
            let shapes = c.inputs.map { "\($0.sizes)" }
            let axis = c.axis.map(String.init) ?? "null"
            return "{\"op\": \"\(c.op)\", \"inputs\": [\(inputs.joined(separator: ", "))], \"shapes\": [\(shapes.joined(separator: ", "))], \"axis\": \(axis), \"keepdims\": \(c.keepdims), \"extra\": \(c.extra)}"
        }
        let dir = try ExternalTools.scratchDirectory("tensor-numpy")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("cases.json")
        try Data(("[" + encoded.joined(separator: ",\n") + "]").utf8).write(to: file)
        let run = try ExternalTools.run("python3", ["-c", Self.reference, file.path])
        try #require(run.status == 0, "\(run.stderr)")
        let answers = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
        try #require(answers.count == cases.count)
        for (c, answer) in zip(cases, answers) {
            let label = "\(c.op) \(c.inputs.map(\.sizes)) axis \(String(describing: c.axis)) keepdims \(c.keepdims) \(c.extra)"
            let ours = try Self.compute(c)
            let shape = answer["shape"] as? [Int] ?? [-1]
            let data = (answer["data"] as? [Any] ?? []).compactMap { ($0 as? NSNumber)?.doubleValue }
            #expect(ours.sizes == shape, "\(label): shape \(ours.sizes) vs NumPy \(shape)")
            #expect(ours.scalars.count == data.count, "\(label)")
            for (o, r) in zip(ours.scalars, data) {
                #expect(close(o, r, 1e-12), "\(label): \(o) vs NumPy \(r)")
            }
        }
    }
}
