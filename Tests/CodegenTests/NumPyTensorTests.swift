import TestSupport
import Codegen
import Foundation
import Symbolic
import Testing

/// Emitted NumPy for tensor programs, proven by execution: every function of the corpus runs
/// in one python3, its value and gradients compared with `Gradient.evaluate(tensors:)` and its
/// gradients with central finite differences of its own value.
@Suite struct NumPyTensorTests {
    /// One program of the corpus and what its code must show.
    struct Case: Sendable, CustomStringConvertible {
        let source: String
        /// Texts the emitted code must contain (the op's NumPy spelling).
        var shows: [String] = []
        var description: String { source }
    }

    /// Every tensor op, broadcasting both ways, batched matmul with broadcast batch axes, 1-D
    /// promotion on either side, labels, named dimensions, array outputs (with an upstream).
    static let corpus: [Case] = [
        Case(source: "W: (2, 2); x: (2,); sum((W @ x)^2)", shows: ["a = W @ x", "dW = np.outer(da, x)", "dx = W.T @ da"]),
        Case(source: "X: (N, 3); W: (3, 4); b: (4,); y: int (N,); cross_entropy(X @ W + b, y)",
             shows: ["N = X.shape[0]", "np.eye(4)[y]", "undoes the broadcast of b", "db = np.sum(dc, axis=0)"]),
        Case(source: "W: (4, 3); b: (4,); x: (3,); y: int; cross_entropy(W @ x + b, y)", shows: ["np.log("]),
        Case(source: "x: (4,); W1: (6, 4); W2: (4, 6); sum((W2 @ relu(W1 @ x) + x)^2)", shows: ["np.maximum(", "dx = dx + "]),
        // Broadcasting in both directions: (4,) + (4, 1, 1) is (4, 1, 4).
        Case(source: "a: (4,); B: (4, 1, 1); sum(sin(a + B))", shows: ["axis=(0, 1)", "axis=2, keepdims=True"]),
        Case(source: "A: (3, 1); b: (4,); sum((A * b)^2)", shows: ["axis=1, keepdims=True", "axis=0)"]),
        Case(source: "A: (2, 5, 4); B: (3, 2, 4, 8); sum(tanh(A @ B))", shows: ["np.swapaxes(B, -1, -2)", "undoes the broadcast of A"]),
        Case(source: "u: (4,); M: (4, 3); v: (3,); u @ M @ v"),
        Case(source: "M: (2, 4, 3); v: (3,); sum(exp(M @ v))"),
        Case(source: "u: (4,); M: (2, 4, 3); sum(exp(u @ M))"),
        Case(source: "X: (3, 4); sum(mean(X, axis=0) * max(X, axis=1, keepdims=true)) + min(X) + max(X) + mean(X)",
             shows: ["np.argmax(", "np.argmin(", "np.mean("]),
        Case(source: "X: (3, 4); sum(min(X, axis=0)^2) + sum(max(X, axis=0, keepdims=true) * X)", shows: ["np.argmin(X, axis=0)"]),
        Case(source: "Z: (3, 4); w: (4,); sum(softmax(Z) * w) + sum(log_softmax(Z, axis=0)^2) + sum(logsumexp(Z, axis=0))",
             shows: ["Z_max = np.max(Z, axis=1, keepdims=True)", "np.max(Z, axis=0, keepdims=True)"]),
        Case(source: "Z: (3, 4); sum(logsumexp(Z, keepdims=true)^2) + sum(softmax(Z, axis=0)[1]) + sum(logsumexp(Z)^2)",
             shows: ["Z_max + np.log(Z_sum)", "np.squeeze("]),
        Case(source: "A: (2, 3, 4); sum(transpose(A, axes=(1, 0, 2)) * reshape(A, (3, 2, 4)))", shows: ["np.transpose(A, (1, 0, 2))", "np.reshape("]),
        Case(source: "A: (2, 3, 4); sum(A.T @ A) + norm(flatten(A))", shows: ["np.swapaxes(A, -1, -2)", "np.linalg.norm("]),
        Case(source: "x: (3,); y: (3,); dot(x, y) * norm(outer(x, y)) + sum(transpose(outer(x, y)) * 2)", shows: ["np.dot(x, y)"]),
        Case(source: "x: (5,); X: (3, 4); y: int; x[2] * X[1, 3] + sum(X[y]^2)", shows: ["x[2]", "X[1, 3]", "X[y]"]),
        Case(source: "Z: (N, 4); y: int (N,); sum(Z[arange(N), y]^2) + sum(onehot(y, 4) * log_softmax(Z))",
             shows: ["Z[np.arange(N), y]"]),
        Case(source: "z: (4,); y: int; -log(softmax(z)[y])", shows: ["dz = z_exp / z_sum - np.eye(4)[y]"]),
        Case(source: "X: (B, 3); w: (3,); mean(tanh(X @ w)) + sum(X)/B", shows: ["B = X.shape[0]"]),
        Case(source: "I = [[1, 2], [4, 3]]; W: (2, 2); sum(I * W @ W)", shows: ["np.array([[1, 2], [4, 3]], dtype=np.float64)"]),
        Case(source: "W: (2, 3); x: (3,); W @ x", shows: ["def f(W, x, dout):"]),
        Case(source: "X: (N, 4); max(X, axis=1)", shows: ["np.argmax(X, axis=1)"]),
        Case(source: "x: (3,); x", shows: ["def f(x, dout):", "dx = dout"]),
        Case(source: "x: (3,); w: (2,); sum(x^2)", shows: ["dw = np.zeros((2,))"]),
        Case(source: "s: (); v: (3,); sum(s * v)"),
        Case(source: "X: (N, 4); W1: (4, 5); b1: (5,); W2: (5, 3); b2: (3,); y: int (N,); cross_entropy(tanh(X @ W1 + b1) @ W2 + b2, y)"),
        Case(source: "x: (3,); sum(sigmoid(x) + softplus(x) + abs(x) + exp(-x^2) + log(1 + x^2) + sqrt(1 + x^2) + x^3/3)"),
        Case(source: "x: (3,); y: (3,); sum(max(x, y) * min(x, 2)) + sum(x / y)"),
        Case(source: "X: (3, 4); sum((X - mean(X, axis=1, keepdims=true))^2)"),
        Case(source: "X: (3, 4); sum(first_argmax_mask(X, axis=1) * X) + sum(sum_to(X, (4,))^2) + sum(broadcast_to(X[0], (2, 4)) * 3) + sum(first_argmin_mask(X) * X)",
             shows: ["np.where("]),
        Case(source: "X: (2, 3); max(X) - min(X, axis=0)[1]"),
        Case(source: "x: (3,); sum(x * exp(-1/0)) + sum(x^2)", shows: ["np.inf"]),
        // Labels in arithmetic are read as floats (integers would raise on `**-1`), as indices as integers.
        Case(source: "x: (3,); y: int; sum(x * (1 - y)) + sum(x * (y + 1)^-1) + x[y]",
             shows: ["y_float = y.astype(np.float64)", "1 - y_float", "x[y]"]),
        Case(source: "Z: (N, 4); y: int (N,); sum(Z[arange(N), y] * (y + 1)^-2) + sum(Z[arange(N), y])",
             shows: ["Z[np.arange(N), y]", "y_float + 1"]),
        Case(source: "X: (N, 3); W: (3, 2); logsumexp(X @ W)", shows: ["def f(X, W, dout):"]),
        // A negated seed into a stretched constant partial (emitted dx was +10/3).
        Case(source: "x: (1, 4); s: (3, 2); sum(1 - x / 0.3) + sum(s - -s)", shows: ["np.broadcast_to(-10/3, (1, 4))"]),
        // Matrix functions at well-conditioned matrices (diagonally dominant, or R R^T + I).
        Case(source: "A: (3, 3); det(A + 5 * eye(3)) + trace(A) + logdet(A @ A.T + eye(3))",
             shows: ["np.linalg.det(", "np.trace(A)", "np.linalg.slogdet(", "[1] + np.log(", "np.eye(3)"]),
        Case(source: "A: (3, 3); b: (3,); sum((inv(A + 5 * eye(3)) @ b)^2)", shows: ["np.linalg.inv("]),
        Case(source: "A: (2, 2); inv(A + 5 * eye(2))", shows: ["def f(A, dout):"]),
        Case(source: "A: (N, N); trace(A) * logdet(A + 5 * eye(N)) + sum(inv(A + 5 * eye(N)) * A)", shows: ["np.eye(N)", "N = A.shape[0]"]),
        Case(source: "A: (2, 3, 3); w: (2,); (det(A + 5 * eye(3)) + logdet(A @ A.T + eye(3)) + trace(A)) @ w + sum(inv(A + 5 * eye(3)) * A)",
             shows: ["np.trace(A, axis1=-2, axis2=-1)", "np.reshape("]),
        Case(source: "A: (B, 2, 2); inv(A + 5 * eye(2))", shows: ["def f(A, dout):"]),
        Case(source: "A: (3, 3); log(abs(det(A - 5 * eye(3))))", shows: ["np.abs(b)", "np.sign(b)"]),
    ] + convolution

    /// Convolution and pooling (issue 14): the shared corpus, with the calls each must show.
    static let convolution: [Case] = TensorCorpus.convolution.map { c in
        let shows: [String: [String]] = [
            "I: (4, 4); F: (2, 2); sum(conv2d(I, F, pad=1, stride=2)^2)":
                ["conv2d(I[None, None], F[None, None], stride=2, pad=1)[0, 0]", "conv2d_input_grad(da[None, None], F[None, None], stride=2, pad=1)[0, 0]"],
            TensorCorpus.conv1dWorksheet: ["def f(x, w, dout):", "dx = conv1d_input_grad(dout[None, None], w[None, None])[0, 0]",
                                           "dw = conv1d_filter_grad(x[None, None], dout[None, None])[0, 0]"],
            TensorCorpus.smallLeNet: ["c = conv2d(x, Wc, bc)", "p = maxpool2d(c, 2)", "dc = maxpool2d_grad(c, dp, 2)",
                                      "dx = conv2d_input_grad(dc, Wc)", "dWc = conv2d_filter_grad(x, dc)", "dbc = np.sum(dc, axis=(0, 2, 3))"],
            "x: (2, 7); sum(maxpool1d(x, 3, stride=2, pad=1)^2) + sum(maxpool1d(x, 2, stride=1))":
                ["maxpool1d(x, 3, stride=2, pad=1)", "first maximum", "constant_values=fill"],
            "g: (2, 3, 3); sum(avgpool2d_grad(g, 3, stride=2, pad=1)^2)": ["a = avgpool2d_grad(g, 3, stride=2, pad=1)", "dg = avgpool2d(da, 3, stride=2, pad=1)"],
        ]
        return Case(source: c.source, shows: shows[c.source] ?? [])
    }

    static func gradient(_ source: String) throws -> Gradient { try Gradient(source: source) }

    // MARK: - Execution

    /// One case ready to run: its code, arguments and what the evaluator says.
    struct Prepared {
        let key: String
        let source: String
        let code: String
        let arguments: [Tensor]
        let labels: [Bool]
        let upstream: Tensor?
        let expected: TensorEvaluation
    }

    /// The point of case `index`: seeded reals, labels 0 or 1, named dimensions of size 3, and
    /// an upstream gradient for an array output.
    static func prepare(_ index: Int) throws -> Prepared {
        let source = corpus[index].source
        let g = try gradient(source)
        let key = "f\(index)"
        let code = try emit(g, source: source, options: EmitOptions(language: .numpy, functionName: key))
        var point = g.samplePoint(seed: UInt64(index) + 7, size: 3)
        let labels = g.staged.inputs.indices.map { g.isLabel($0) }
        for i in point.indices where labels[i] {
            point[i] = try Tensor(shape: point[i].sizes, scalars: point[i].scalars.indices.map { Double(($0 + index) % 2) })
        }
        var upstream: Tensor?
        var expected = try g.evaluate(tensors: point)
        if expected.value.rank > 0 {
            let sizes = expected.value.sizes
            upstream = try Tensor(shape: sizes, scalars: (0..<expected.value.count).map { Double($0 % 5) * 0.37 - 0.6 })
            expected = try g.evaluate(tensors: point, upstream: upstream)
        }
        return Prepared(key: key, source: source, code: code.text, arguments: point, labels: labels, upstream: upstream, expected: expected)
    }

    /// A tensor as a nested Python list (ints for labels).
    static func python(_ t: Tensor, labels: Bool = false) -> String {
        let items = t.scalars.map { labels ? String(Int($0)) : "\($0)" }
        return t.rank == 0 ? items[0] : nestedList(items, t.sizes)
    }

    static func nestedList(_ items: [String], _ sizes: [Int]) -> String {
        var level = items
        for size in sizes.reversed() {
            var next: [String] = []
            var i = 0
            while i < level.count {
                next.append("[" + level[i..<Swift.min(i + size, level.count)].joined(separator: ", ") + "]")
                i += Swift.max(size, 1)
            }
            level = next
        }
        return level.first ?? "[]"
    }

    /// The driver: results as shapes and `repr` strings, and central differences of the
    /// (upstream-weighted) value for every element of every real input.
    static let harness = """
        import json
        import numpy as np


        def flat(v):
            a = np.asarray(v, dtype=np.float64)
            return [list(a.shape), [repr(float(t)) for t in a.ravel()]]


        def scalar(fn, args, upstream):
            v = np.asarray(fn(*args)[0], dtype=np.float64)
            return float(np.sum(v * upstream)) if upstream is not None else float(v)


        report = {}
        for key, fn, args, real, upstream in CASES:
            if upstream is not None:
                upstream = np.asarray(upstream, dtype=np.float64)
            call = list(args) + ([upstream] if upstream is not None else [])
            record = {"results": [flat(v) for v in fn(*call)], "fd": []}
            for i in real:
                x = np.array(args[i], dtype=np.float64)
                fd = np.zeros(x.shape)
                for j in np.ndindex(x.shape):
                    h = 1e-6 * max(1.0, abs(x[j]))
                    values = []
                    for step in (h, -h):
                        moved = x.copy()
                        moved[j] += step
                        values.append(scalar(fn, call[:i] + [moved] + call[i + 1:], None) if upstream is None
                                      else scalar(fn, call[:i] + [moved] + call[i + 1:-1] + [upstream], upstream))
                    fd[j] = (values[0] - values[1]) / (2 * h)
                record["fd"].append(flat(fd))
            report[key] = record
        print(json.dumps(report))
        """

    @Test func everyFunctionAgreesWithTheEvaluatorAndFiniteDifferences() throws {
        guard try ExternalTools.requirePythonWithNumPy() else { return }
        let prepared = try Self.corpus.indices.map(Self.prepare)
        var script = ""
        var table = "CASES = [\n"
        for p in prepared {
            script += p.code + "\n\n"
            let arguments = zip(p.arguments, p.labels).map { Self.python($0, labels: $1) }
            let real = p.labels.indices.filter { !p.labels[$0] }.map(String.init)
            table += "    (\"\(p.key)\", \(p.key), [\(arguments.joined(separator: ", "))], [\(real.joined(separator: ", "))], "
                + (p.upstream.map { Self.python($0) } ?? "None") + "),\n"
        }
        script += table + "]\n\n" + NumPyTensorTests.harness + "\n"
        let directory = try ExternalTools.scratchDirectory("numpy-tensor")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("tensors.py")
        try script.write(to: url, atomically: true, encoding: .utf8)
        let run = try ExternalTools.run("python3", ["-W", "error::RuntimeWarning", url.path])
        try #require(run.status == 0, "python3 failed:\n\(run.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: [String: Any]])

        var comparisons = 0
        for p in prepared {
            let record = try #require(report[p.key], "\(p.key): no result")
            let results = try #require(record["results"] as? [[Any]]).map(Self.decode)
            let fds = try #require(record["fd"] as? [[Any]]).map(Self.decode)
            let gradients = p.expected.gradient.compactMap { $0 }
            try #require(results.count == 1 + gradients.count, "\(p.source): \(results.count) results")
            // The value and every gradient: exactly the evaluator's shape, and its numbers to
            // 1e-12 relative to the array's largest element (NumPy's summation order differs).
            for (index, (got, want)) in zip(results, [p.expected.value] + gradients).enumerated() {
                #expect(got.sizes == want.sizes, "\(p.source): result \(index) has shape \(got.sizes), expected \(want.sizes)")
                let scale = want.scalars.map(Swift.abs).max() ?? 0
                for (a, b) in zip(got.values, want.scalars) {
                    comparisons += 1
                    #expect(a == b || Swift.abs(a - b) <= 1e-12 * Swift.max(scale, 1e-300),
                            "\(p.source): result \(index) element \(a), evaluator \(b)")
                }
            }
            // Each gradient against central differences of the function's own value.
            let realInputs = p.labels.indices.filter { !p.labels[$0] }
            for (position, fd) in fds.enumerated() {
                let got = results[position + 1]
                #expect(got.sizes == p.arguments[realInputs[position]].sizes, "\(p.source): gradient \(position) shape")
                for (a, b) in zip(got.values, fd.values) {
                    comparisons += 1
                    #expect(Swift.abs(a - b) <= 1e-6 * Swift.max(1, Swift.abs(a)), "\(p.source): gradient \(position) is \(a), finite differences \(b)")
                }
            }
        }
        print("NumPy tensor batch: \(prepared.count) functions, \(comparisons) comparisons")
    }

    /// A result decoded from `[shape, [repr, ...]]`.
    struct Decoded {
        let sizes: [Int]
        let values: [Double]
    }

    static func decode(_ item: [Any]) throws -> Decoded {
        let sizes = try #require(item.first as? [Int])
        let values = try #require(item.last as? [String]).map { Double($0) ?? .nan }
        return Decoded(sizes: sizes, values: values)
    }

    // MARK: - Text

    @Test(arguments: corpus) func codeShowsEachOpAsNumPyWritesIt(testCase: Case) throws {
        let g = try Self.gradient(testCase.source)
        let code = try emit(g, source: testCase.source, options: EmitOptions(language: .numpy))
        for text in testCase.shows {
            #expect(code.text.contains(text), "missing \(text):\n\(code.text)")
        }
        let (helpers, function) = Self.split(code.text)
        let problems = SourceTokens.problems(in: function, language: .numpy, functionName: "f", defined: Set(helpers.keys))
        #expect(problems.isEmpty, "\(problems)\n\(code.text)")
        // No loops: the function is straight-line NumPy.
        for word in ["for ", "while ", "lambda", "import numpy as np\nimport"] {
            #expect(!function.contains(word), "\(word):\n\(code.text)")
        }
        // The convolution and pooling functions above it loop over filter and window offsets
        // only (`for i in range(f)`, `for j in range(fw)`), never over pixels or images.
        for (name, text) in helpers {
            #expect(!text.contains("while "), "\(name)")
            for loop in text.matches(of: /for (\w+) in (range\(\w+\)|\S+)/) {
                #expect(["i", "j"].contains(loop.1) && ["range(f)", "range(fh)", "range(fw)", "range(k)"].contains(loop.2), "\(name): \(loop.0)")
            }
        }
    }

    /// The module-level functions of emitted code (name -> definition) and the generated
    /// function `functionName` itself, with the import line.
    static func split(_ text: String, functionName: String = "f") -> (helpers: [String: String], function: String) {
        SourceTokens.splitNumPyModule(text, functionName: functionName)
    }

    /// Only the functions a program's ops call are written, and they read like the staged program.
    @Test func convolutionFunctionsAreWrittenOnlyWhenUsed() throws {
        let plain = try emit(try Self.gradient("W: (2, 2); x: (2,); sum((W @ x)^2)"), source: "", options: EmitOptions(language: .numpy))
        #expect(Self.split(plain.text).helpers.isEmpty)
        let pool = try emit(try Self.gradient("x: (4, 4); sum(maxpool2d(x, 2)^2)"), source: "", options: EmitOptions(language: .numpy))
        #expect(Set(Self.split(pool.text).helpers.keys) == ["pool2d_windows", "maxpool2d", "maxpool2d_grad"])
        let lenet = try emit(try Self.gradient(TensorCorpus.smallLeNet), source: "", options: EmitOptions(language: .numpy))
        #expect(Set(Self.split(lenet.text).helpers.keys)
                == ["conv2d_columns", "conv2d", "conv2d_input_grad", "conv2d_filter_grad", "pool2d_windows", "maxpool2d", "maxpool2d_grad"])
        #expect(lenet.text.contains("np.argmax"), "the first maximum is np.argmax's")
    }

    /// A program that names an input, a dimension or the function like a helper keeps its
    /// names; the helper is renamed (`conv2d_2`), and the code still runs.
    @Test func helperNamesStayClearOfTheProgramsNames() throws {
        guard try ExternalTools.requirePythonWithNumPy() else { return }
        let cases = [
            ("conv2d: (1, 1, 4, 4); w: (2, 1, 3, 3); sum(conv2d(conv2d, w)^2)", "f"),
            ("x: (maxpool1d, 4); sum(maxpool1d(x, 2)^2)", "f"),
            ("x: (1, 1, 4, 4); w: (2, 1, 3, 3); sum(conv2d(x, w)^2)", "conv2d"),
        ]
        for (source, name) in cases {
            let g = try Self.gradient(source)
            let code = try emit(g, source: source, options: EmitOptions(language: .numpy, functionName: name))
            let (helpers, function) = Self.split(code.text, functionName: name)
            #expect(helpers.keys.contains { $0.hasSuffix("_2") }, "\(source): \(helpers.keys.sorted())")
            #expect(SourceTokens.problems(in: function, language: .numpy, functionName: name, defined: Set(helpers.keys)).isEmpty, "\(code.text)")
            let point = g.samplePoint(seed: 3, size: 2)
            let arguments = point.map { Self.python($0) }.joined(separator: ", ")
            let script = code.text + "\n\nprint(repr(float(\(name)(\(arguments))[0])))\n"
            let directory = try ExternalTools.scratchDirectory("numpy-helper-names")
            defer { try? FileManager.default.removeItem(at: directory) }
            let url = directory.appendingPathComponent("run.py")
            try script.write(to: url, atomically: true, encoding: .utf8)
            let run = try ExternalTools.run("python3", [url.path])
            try #require(run.status == 0, "\(source):\n\(run.stderr)\n\(code.text)")
            let value = try g.evaluate(tensors: point).value.scalars[0]
            #expect(Oracle.close(Double(run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? .nan, value, 1e-12), "\(source)")
        }
    }

    /// An unbroadcast line appears exactly where a broadcast happened.
    @Test func unbroadcastOnlyWhereABroadcastHappened() throws {
        let plain = try emit(try Self.gradient("W: (2, 2); x: (2,); sum((W @ x)^2)"), source: "", options: EmitOptions(language: .numpy))
        #expect(!plain.text.contains("undoes the broadcast"))
        let source = "X: (N, 3); W: (3, 4); b: (4,); y: int (N,); cross_entropy(X @ W + b, y)"
        let batch = try emit(try Self.gradient(source), source: source, options: EmitOptions(language: .numpy))
        #expect(batch.text.components(separatedBy: "undoes the broadcast").count == 2)
    }

    /// Hostile names (Python keywords as inputs and dimensions, a dimension named like a stage)
    /// are renamed, listed, and the code still runs.
    @Test func hostileNamesAreRenamedAndTheCodeTokenizesCleanly() throws {
        let sources = [
            "lambda: (2, 2); in: (2,); sum((lambda @ in)^2)",
            "X: (np, 3); w: (3,); sum(X @ w)",
            "X: (a, 3); w: (3,); sum(exp(X @ w))/a",
            "def: (N, 4); y: int (N,); cross_entropy(def, y)",
        ]
        for source in sources {
            let code = try emit(try Self.gradient(source), source: source, options: EmitOptions(language: .numpy, functionName: "grad"))
            let problems = SourceTokens.problems(in: code.text, language: .numpy, functionName: "grad")
            #expect(problems.isEmpty, "\(source): \(problems)\n\(code.text)")
        }
        let code = try emit(try Self.gradient(sources[1]), source: sources[1], options: EmitOptions(language: .numpy))
        #expect(code.renamed.map(\.description) == ["np -> np_"])
        #expect(code.text.contains("np_ = X.shape[0]"))
        let staged = try emit(try Self.gradient(sources[2]), source: sources[2], options: EmitOptions(language: .numpy))
        #expect(staged.text.contains("a_ = X.shape[0]"), "\(staged.text)")
    }

    // MARK: - Snapshots

    static let snapshots: [(name: String, source: String)] = [
        ("tensor-norm", "W: (2, 2); x: (2,); sum((W @ x)^2)"),
        ("tensor-softmax-ce", "X: (N, 3); W: (3, 4); b: (4,); y: int (N,); cross_entropy(X @ W + b, y)"),
        ("tensor-skip", "x: (4,); W1: (6, 4); W2: (4, 6); sum((W2 @ relu(W1 @ x) + x)^2)"),
        // Issue 14: the 1-D backward worksheet and a conv layer with stride and padding.
        ("conv1d-worksheet", TensorCorpus.conv1dWorksheet),
        ("conv2d-layer", TensorCorpus.convLayer),
    ]

    @Test(arguments: snapshots.indices) func generatedTextIsStable(index: Int) throws {
        let (name, source) = Self.snapshots[index]
        let code = try emit(try Self.gradient(source), source: source, options: EmitOptions(language: .numpy))
        try Snapshot.assert(code.text, named: "\(name).numpy.txt")
    }
}
