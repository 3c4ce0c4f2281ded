/// The syntax of the tensor language (grammar.md section 10): shape declarations, keyword
/// arguments, shape tuples and the tensor functions' table. Symbolic gives these their meaning
/// (shape rules, evaluation, VJPs); the parser only checks what can be checked without shapes.

/// One dimension as written in a declaration or a shape tuple: a size or a name bound later.
public enum DimensionSyntax: Hashable, Sendable {
    /// A non-negative integer size (`-1` only in a `reshape` tuple, meaning "inferred").
    case size(Int)
    /// A named size (`N`, `B`), the same wherever it appears.
    case named(String)

    /// `3` or `N`.
    public var text: String {
        switch self {
        case .size(let n): return String(n)
        case .named(let name): return name
        }
    }

    /// A shape as Python writes a tuple: `()`, `(3,)`, `(2, 3)`.
    public static func tupleText(_ dimensions: [DimensionSyntax]) -> String {
        if dimensions.count == 1 { return "(\(dimensions[0].text),)" }
        return "(" + dimensions.map(\.text).joined(separator: ", ") + ")"
    }
}

/// What a declared input holds.
public enum DeclaredKind: Hashable, Sendable {
    /// Real numbers, differentiated.
    case real
    /// Integer class labels (`y: int`, `y: int (N,)`): usable in arithmetic and as indices,
    /// never differentiated.
    case label
}

/// `name: (d1, d2, ...)`, `name: ()`, `name: int` or `name: int (N,)`.
public struct Declaration: Hashable, Sendable {
    public var name: String
    public var nameRange: SourceRange
    public var kind: DeclaredKind
    /// The dimensions, empty for a scalar (`b: ()`, `y: int`).
    public var dimensions: [DimensionSyntax]
    /// The range of the shape tuple (or of `int` when there is none), for shape messages.
    public var shapeRange: SourceRange
    public var range: SourceRange
    public init(name: String, nameRange: SourceRange, kind: DeclaredKind, dimensions: [DimensionSyntax],
                shapeRange: SourceRange, range: SourceRange) {
        self.name = name
        self.nameRange = nameRange
        self.kind = kind
        self.dimensions = dimensions
        self.shapeRange = shapeRange
        self.range = range
    }
}

/// The value of a keyword argument: `axis=1`, `axis=-1`, `keepdims=true`, `axis=(0, 1)`.
public enum KeywordValue: Hashable, Sendable {
    case integer(Int)
    case boolean(Bool)
    case integers([Int])

    /// The value as written in the language: `1`, `true`, `(0, 1)`.
    public var text: String {
        switch self {
        case .integer(let n): return String(n)
        case .boolean(let b): return b ? "true" : "false"
        case .integers(let list): return DimensionSyntax.tupleText(list.map(DimensionSyntax.size))
        }
    }
}

/// `name=value` in a call.
public struct KeywordArgument: Hashable, Sendable {
    public var name: String
    public var value: KeywordValue
    public var range: SourceRange
    public init(name: String, value: KeywordValue, range: SourceRange) {
        self.name = name
        self.value = value
        self.range = range
    }
}

/// The functions that take or make whole arrays (reductions, products, softmax and friends,
/// layout), as opposed to the element-wise `Function`s. `max` and `min` are in both tables:
/// with two positional arguments they are element-wise (`Function.max`), with one they reduce.
public enum TensorFunction: String, CaseIterable, Hashable, Sendable {
    case sum, mean, max, min
    case norm, dot, outer
    case softmax
    case logSoftmax = "log_softmax"
    case logsumexp
    case crossEntropy = "cross_entropy"
    case onehot, reshape, flatten, transpose
    /// `arange(N)`: 0, 1, ..., N-1, as an index (`Z[arange(N), y]` picks one entry per row).
    case arange
    /// `broadcast_to(x, (N, 3))`: NumPy's explicit broadcast; gradients print with it.
    case broadcastTo = "broadcast_to"
    /// `sum_to(g, (3,))`: the sum over the axes a broadcast stretched (its adjoint).
    case sumTo = "sum_to"
    /// `first_argmax_mask(x, axis=1)`: 1 at the first maximum of each lane, 0 elsewhere: where
    /// a max sends its gradient (and `first_argmin_mask` for a min).
    case firstArgmaxMask = "first_argmax_mask"
    case firstArgminMask = "first_argmin_mask"
    /// Convolution (cross-correlation) and pooling, grammar.md section "Convolution and
    /// pooling": `conv2d(x, w, b, stride=2, pad=1)`, `maxpool2d(x, 2, stride=2)`.
    case conv1d, conv2d, maxpool1d, maxpool2d, avgpool1d, avgpool2d
    /// The backward ops of convolution and pooling, as gradients print them:
    /// `conv2d_input_grad(dy, w)`, `conv2d_filter_grad(x, dy)`, `conv2d_bias_grad(dy)`,
    /// `maxpool2d_grad(x, dy, 2)`, `avgpool2d_grad(dy, 2)`.
    case conv1dInputGrad = "conv1d_input_grad"
    case conv2dInputGrad = "conv2d_input_grad"
    case conv1dFilterGrad = "conv1d_filter_grad"
    case conv2dFilterGrad = "conv2d_filter_grad"
    case conv1dBiasGrad = "conv1d_bias_grad"
    case conv2dBiasGrad = "conv2d_bias_grad"
    case maxpool1dGrad = "maxpool1d_grad"
    case maxpool2dGrad = "maxpool2d_grad"
    case avgpool1dGrad = "avgpool1d_grad"
    case avgpool2dGrad = "avgpool2d_grad"
    /// `maxpool2d_pick(x, u, 2)`: u at each window's first maximum of x (second derivatives).
    case maxpool1dPick = "maxpool1d_pick"
    case maxpool2dPick = "maxpool2d_pick"

    /// Whether this is a convolution or pooling function or one of their backward ops.
    public var isConvolution: Bool {
        switch self {
        case .conv1d, .conv2d, .maxpool1d, .maxpool2d, .avgpool1d, .avgpool2d, .conv1dInputGrad, .conv2dInputGrad,
             .conv1dFilterGrad, .conv2dFilterGrad, .conv1dBiasGrad, .conv2dBiasGrad, .maxpool1dGrad, .maxpool2dGrad,
             .avgpool1dGrad, .avgpool2dGrad, .maxpool1dPick, .maxpool2dPick:
            return true
        case .sum, .mean, .max, .min, .norm, .dot, .outer, .softmax, .logSoftmax, .logsumexp, .crossEntropy, .onehot,
             .reshape, .flatten, .transpose, .arange, .broadcastTo, .sumTo, .firstArgmaxMask, .firstArgminMask,
             .trace, .inv, .det, .logdet, .eye:
            return false
        }
    }
    /// Matrix functions of one square matrix (n, n): `trace(A)`, `inv(A)`, `det(A)`,
    /// `logdet(A)` (log det(A), nan where det(A) < 0), and `eye(n)`, the identity.
    case trace, inv, det, logdet, eye

    /// Whether the second argument is a shape tuple (`(B, -1)`).
    public var takesShape: Bool {
        switch self {
        case .reshape, .broadcastTo, .sumTo: return true
        case .sum, .mean, .max, .min, .norm, .dot, .outer, .softmax, .logSoftmax, .logsumexp, .crossEntropy, .onehot,
             .flatten, .transpose, .arange, .firstArgmaxMask, .firstArgminMask, .trace, .inv, .det, .logdet, .eye:
            return false
        case .conv1d, .conv2d, .maxpool1d, .maxpool2d, .avgpool1d, .avgpool2d, .conv1dInputGrad, .conv2dInputGrad,
             .conv1dFilterGrad, .conv2dFilterGrad, .conv1dBiasGrad, .conv2dBiasGrad, .maxpool1dGrad, .maxpool2dGrad,
             .avgpool1dGrad, .avgpool2dGrad, .maxpool1dPick, .maxpool2dPick:
            return false
        }
    }

    /// The spelling users type and printers write.
    public var name: String { rawValue }

    /// How many positional arguments a call takes (a range: `cross_entropy(z, y)` takes 2).
    public var positionalArity: ClosedRange<Int> {
        switch self {
        case .sum, .mean, .max, .min, .norm, .softmax, .logSoftmax, .logsumexp, .flatten, .transpose, .arange,
             .firstArgmaxMask, .firstArgminMask, .trace, .inv, .det, .logdet, .eye:
            return 1...1
        case .dot, .outer, .crossEntropy, .onehot, .reshape, .broadcastTo, .sumTo: return 2...2
        // conv2d(x, w) or conv2d(x, w, b); maxpool2d(x, 2); maxpool2d_grad(x, dy, 2).
        case .conv1d, .conv2d: return 2...3
        case .conv1dInputGrad, .conv2dInputGrad, .conv1dFilterGrad, .conv2dFilterGrad: return 2...2
        case .conv1dBiasGrad, .conv2dBiasGrad: return 1...1
        case .maxpool1d, .maxpool2d, .avgpool1d, .avgpool2d, .avgpool1dGrad, .avgpool2dGrad: return 2...2
        case .maxpool1dGrad, .maxpool2dGrad, .maxpool1dPick, .maxpool2dPick: return 3...3
        }
    }

    /// The keywords a call accepts; any other is an error naming these.
    public var keywords: [String] {
        switch self {
        case .sum, .mean, .max, .min, .logsumexp: return ["axis", "keepdims"]
        case .softmax, .logSoftmax, .firstArgmaxMask, .firstArgminMask: return ["axis"]
        case .transpose: return ["axes"]
        case .norm, .dot, .outer, .crossEntropy, .onehot, .reshape, .flatten, .arange, .broadcastTo, .sumTo,
             .trace, .inv, .det, .logdet, .eye:
            return []
        case .conv1d, .conv2d, .maxpool1d, .maxpool2d, .avgpool1d, .avgpool2d, .conv1dInputGrad, .conv2dInputGrad,
             .conv1dFilterGrad, .conv2dFilterGrad, .maxpool1dGrad, .maxpool2dGrad, .avgpool1dGrad, .avgpool2dGrad,
             .maxpool1dPick, .maxpool2dPick:
            return ["stride", "pad"]
        case .conv1dBiasGrad, .conv2dBiasGrad: return []
        }
    }

    private static let bySpelling: [String: TensorFunction] = {
        var table: [String: TensorFunction] = [:]
        for function in TensorFunction.allCases { table[function.name] = function }
        return table
    }()

    /// The tensor function spelled `name`, if any.
    public static func named(_ name: String) -> TensorFunction? { bySpelling[name] }
}
