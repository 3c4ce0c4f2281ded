import ExprParse

/// The gradient of a tensor program against central finite differences, the math behind
/// `symdiff check` on programs with arrays.
///
/// As JAX's `check_grads` does, it first compares one directional derivative per real input:
/// along a random direction v of the input's shape, the central difference of
/// t -> f(x + t v) against <grad, v>. That costs four evaluations of f whatever the input's
/// size, and a wrong element of the gradient shows unless v happens to be orthogonal to the
/// error. Only when a direction disagrees does the check go element by element (to name the
/// worst element) and stage by stage (to name the first stage whose adjoint is wrong).
///
/// An array output is checked through its vector-Jacobian product: f is sum(out * u) for the
/// upstream gradient u, whose gradient is exactly what the backward pass seeded with u computes.
/// The comparison and its tolerance are `GradientCheck.compare`'s, shared with scalar programs.
public struct TensorGradientCheck {
    public let gradient: Gradient
    /// The nodes the output's value needs, children first.
    private let valueOrder: [NodeID]

    public init(_ gradient: Gradient) {
        self.gradient = gradient
        valueOrder = gradient.graph.reachable(from: [gradient.staged.output])
    }

    /// One point of a tensor program: every input's value in input order (labels included),
    /// the named dimensions (`--dim`) and the upstream gradient of an array output (nil for a
    /// scalar output).
    public struct Point: Sendable {
        public var values: [Tensor]
        public var dimensions: [String: Int]
        public var upstream: Tensor?

        public init(values: [Tensor], dimensions: [String: Int] = [:], upstream: Tensor? = nil) {
            self.values = values
            self.dimensions = dimensions
            self.upstream = upstream
        }
    }

    /// The most elements of one input the element-by-element search compares. Each costs four
    /// evaluations of the program; a larger input is sampled at evenly spaced elements.
    public static let maxElements = 1000

    /// The forward and backward pass at `point`.
    public func evaluate(_ point: Point) throws(PointError) -> TensorEvaluation {
        try gradient.evaluate(tensors: point.values, dims: point.dimensions, upstream: point.upstream)
    }

    /// f at `values` (input order): the output when it is a scalar, sum(out * upstream) when it
    /// is an array; with one stage's value replaced when `override` is given. NaN when the
    /// program cannot be evaluated there.
    public func value(_ values: [Tensor], bindings: [String: Int], upstream: Tensor?, override: (node: NodeID, value: Tensor)? = nil) -> Double {
        let graph = gradient.graph
        var computed = [Tensor?](repeating: nil, count: graph.count)
        for (node, value) in zip(gradient.staged.inputNodes, values) { computed[node.int] = value }
        if let override { computed[override.node.int] = override.value }
        for id in valueOrder where computed[id.int] == nil {
            let node = graph[id]
            let args = node.children.map { computed[$0.int] ?? Tensor(scalar: .nan) }
            guard let value = try? Gradient.apply(node.op, args, bindings) else { return .nan }
            computed[id.int] = value
        }
        guard let out = computed[gradient.staged.output.int] else { return .nan }
        guard let upstream else { return out.scalarValue ?? .nan }
        guard upstream.sizes == out.sizes else { return .nan }
        return Self.inner(out, upstream)
    }

    /// For each input in input order, <grad, v> along a random direction v (entries uniform in
    /// [-1, 1), drawn from `seed`) against the central difference of t -> f(x + t v); nil for
    /// labels and for inputs without a gradient.
    public func directionalComparisons(at point: Point, _ evaluation: TensorEvaluation, seed: UInt64) -> [GradientCheck.Comparison?] {
        var random = CheckRandom(seed)
        return point.values.indices.map { input in
            guard let g = evaluation.gradient[input] else { return nil }
            let x = point.values[input]
            let v = random.tensor(x.sizes, from: -1, to: 1)
            guard g.sizes == x.sizes else { return nil }
            var moved = point.values
            return GradientCheck.compare(symbolic: Self.inner(g, v), at: 0) { t in
                moved[input] = Self.moved(x, by: t, along: v)
                return value(moved, bindings: evaluation.bindings, upstream: point.upstream)
            }
        }
    }

    /// One element's partial against its own central difference.
    public struct ElementComparison: Sendable {
        /// The element's index, one entry per axis.
        public let index: [Int]
        public let comparison: GradientCheck.Comparison
    }

    /// Each element of input `input`'s gradient against the central difference in that element
    /// alone, in row-major order; at most `maxElements` of them, evenly spaced.
    public func elementComparisons(_ input: Int, at point: Point, _ evaluation: TensorEvaluation) -> [ElementComparison] {
        guard let g = evaluation.gradient[input], g.sizes == point.values[input].sizes else { return [] }
        let x = point.values[input]
        let picked: [Int] = x.count <= Self.maxElements
            ? Array(0..<x.count) : (0..<Self.maxElements).map { $0 * x.count / Self.maxElements }
        var moved = point.values
        return picked.map { flat in
            var element = x
            let comparison = GradientCheck.compare(symbolic: g.scalars[flat], at: x.scalars[flat]) { value in
                element.scalars[flat] = value
                moved[input] = element
                return self.value(moved, bindings: evaluation.bindings, upstream: point.upstream)
            }
            return ElementComparison(index: Self.index(flat, sizes: x.sizes), comparison: comparison)
        }
    }

    /// Walks the staged equations from the output back and checks each adjoint d f/d stage
    /// along a random direction d of the stage's shape (drawn from `seed`) against the central
    /// difference of f with that stage's value moved along d alone; the index of the first that
    /// disagrees, or nil. Stages no gradient reaches are skipped.
    public func firstWrongStage(at point: Point, _ evaluation: TensorEvaluation, seed: UInt64) -> Int? {
        var random = CheckRandom(seed)
        let equations = gradient.staged.equations
        for index in equations.indices.reversed() {
            let node = equations[index].node
            guard let adjoint = evaluation.adjoints[index], gradient.graph.isDifferentiable[node.int] else { continue }
            let stage = evaluation.forward[index]
            guard adjoint.sizes == stage.sizes else { continue }
            let d = random.tensor(stage.sizes, from: -1, to: 1)
            let comparison = GradientCheck.compare(symbolic: Self.inner(adjoint, d), at: 0) { t in
                value(point.values, bindings: evaluation.bindings, upstream: point.upstream,
                      override: (node, Self.moved(stage, by: t, along: d)))
            }
            if comparison.disagrees { return index }
        }
        return nil
    }

    /// A random upstream gradient for an array output of `sizes`, entries uniform in [-1, 1).
    public static func randomUpstream(_ sizes: [Int], seed: UInt64) -> Tensor {
        var random = CheckRandom(seed)
        return random.tensor(sizes, from: -1, to: 1)
    }

    /// The number of classes label input `input` can take, from how the program uses it: the
    /// last axis of the logits `cross_entropy` reads it with, K of `onehot(y, K)`, the axis
    /// `z[y]` or `Z[arange(N), y]` indexes. The smallest when it has several uses; nil when no
    /// use fixes it (labels only in arithmetic, as in `y * ln(p) + (1 - y) * ln(1 - p)`).
    public func labelClasses(_ input: Int, bindings: [String: Int]) -> Int? {
        let graph = gradient.graph
        let label = gradient.staged.inputNodes[input]
        var classes: Int?
        func found(_ dimension: Dimension?) {
            guard let dimension else { return }
            let size: Int?
            switch dimension {
            case .fixed(let n): size = n
            case .named(let name): size = bindings[name]
            }
            if let size { classes = Swift.min(classes ?? size, size) }
        }
        for id in valueOrder {
            let node = graph[id]
            guard case .tensor(let op) = node.op, let first = node.children.first else { continue }
            let operand = graph.shapes[first.int].dimensions
            let indexedBy = node.children.count == 2 && node.children[1] == label
            if case .softmax(.crossEntropy) = op, indexedBy { found(operand.last) }
            if case .softmax(.onehot(let k)) = op, first == label { found(k) }
            if case .layout(.take) = op, indexedBy { found(operand.first) }
            if case .layout(.takeRows) = op, indexedBy, operand.count == 2 { found(operand[1]) }
        }
        return classes
    }

    /// Seeded random points of a tensor program where the value and every gradient are finite:
    /// real inputs uniform in [-3, 3) with their declared shapes, labels uniform in [0, K) for
    /// the class count `labelClasses` finds (0 or 1 when no use fixes it), named dimensions
    /// from `dimensions` or else `defaultDimension`, and for an array output without a given
    /// upstream gradient a random one (entries in [-1, 1)) per point. One point at a time.
    public struct RandomPoints {
        private let check: TensorGradientCheck
        private var random: CheckRandom
        private let maxDraws: Int
        /// The named dimensions, given and defaulted.
        public let bindings: [String: Int]
        /// The names that took `defaultDimension`, sorted.
        public let defaulted: [String]
        private let upstream: Tensor?
        private let sizes: [[Int]]
        private let classes: [Int?]
        public private(set) var draws = 0
        public private(set) var found = 0

        /// The size of a named dimension no value or `--dim` sets: small, so that a check is
        /// fast, and not 1 or 2, which would hide a transposed axis in a square matrix.
        public static let defaultDimension = 3
        /// Draws with nothing finite after which a program is taken to have no finite point.
        public static let hopelessDraws = 1000
        /// Draws allowed per point wanted.
        public static let drawsPerPoint = 100

        public init(_ check: TensorGradientCheck, wanted: Int, seed: UInt64, dimensions: [String: Int], upstream: Tensor?) throws(PointError) {
            self.check = check
            random = CheckRandom(seed)
            let (product, overflow) = wanted.multipliedReportingOverflow(by: Self.drawsPerPoint)
            maxDraws = overflow ? Int.max : product
            let gradient = check.gradient
            var bindings = dimensions
            var defaulted: [String] = []
            for id in check.valueOrder {
                for case .named(let name) in gradient.graph.shapes[id.int].dimensions where bindings[name] == nil {
                    bindings[name] = Self.defaultDimension
                    defaulted.append(name)
                }
            }
            self.bindings = bindings
            self.defaulted = defaulted.sorted()
            var sizes: [[Int]] = []
            for shape in gradient.inputShapes {
                do { sizes.append(try shape.bound(bindings).requireSizes()) } catch {
                    throw .unboundDimension(name: shape.dimensions.compactMap { $0.size == nil ? $0.description : nil }.first ?? "?")
                }
            }
            self.sizes = sizes
            classes = gradient.staged.inputs.indices.map { gradient.isLabel($0) ? check.labelClasses($0, bindings: bindings) ?? 2 : nil }
            self.upstream = upstream
        }

        public mutating func next() throws(PointError) -> (point: Point, evaluation: TensorEvaluation)? {
            let output = check.gradient.graph.shapes[check.gradient.staged.output.int].bound(bindings)
            while draws < maxDraws && (found > 0 || draws < Self.hopelessDraws) {
                draws += 1
                let values = zip(sizes, classes).map { sizes, classes in
                    classes.map { random.labels(sizes, below: $0) } ?? random.tensor(sizes, from: -3, to: 3)
                }
                var seed = upstream
                if seed == nil, output.rank > 0, let sizes = output.sizes { seed = random.tensor(sizes, from: -1, to: 1) }
                let point = Point(values: values, dimensions: bindings, upstream: seed)
                let evaluation = try check.evaluate(point)
                if evaluation.value.scalars.allSatisfy(\.isFinite)
                    && evaluation.gradient.allSatisfy({ $0?.scalars.allSatisfy(\.isFinite) ?? true }) {
                    found += 1
                    return (point, evaluation)
                }
            }
            return nil
        }
    }

    // MARK: - Arithmetic on the arrays

    /// <a, b>: the sum of the element-wise products (equal sizes).
    static func inner(_ a: Tensor, _ b: Tensor) -> Double {
        var total = 0.0
        for (x, y) in zip(a.scalars, b.scalars) { total += x * y }
        return total
    }

    /// x + t v (equal sizes).
    static func moved(_ x: Tensor, by t: Double, along v: Tensor) -> Tensor {
        Tensor(unchecked: x.sizes, zip(x.scalars, v.scalars).map { $0 + t * $1 })
    }

    /// The index, one entry per axis, of row-major element `flat`.
    public static func index(_ flat: Int, sizes: [Int]) -> [Int] {
        var rest = flat
        var index = [Int](repeating: 0, count: sizes.count)
        for axis in sizes.indices.reversed() where sizes[axis] > 0 {
            index[axis] = rest % sizes[axis]
            rest /= sizes[axis]
        }
        return index
    }
}

