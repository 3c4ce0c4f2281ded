import ExprParse

/// The ops on whole arrays, grouped by family: each family's file holds, side by side, its
/// shape rule, its evaluation on `Tensor`s, its vector-Jacobian product (VJP) and its spelling.
///
/// Element-wise arithmetic and functions are not here: they are the scalar ops of `Op`, applied
/// with NumPy broadcasting, and keep their local partials (`Op+Derivative.swift`). An op here
/// gets its gradient from a VJP instead, an expression of the upstream adjoint `g` written with
/// the same smart constructors (`dA = g @ B.T`), because `partial * upstream` cannot express a
/// matrix product's or a softmax's backward pass.
public enum TensorOp: Hashable, Sendable {
    case reduction(Reduction)
    case linear(LinearOp)
    case layout(LayoutOp)
    case softmax(SoftmaxOp)
    /// Boxed: a convolution's kernel, stride and padding take 41 bytes, and inline they made
    /// every `Op` (so every graph node of every program) 48 bytes instead of 24.
    indirect case convolution(ConvolutionOp)
    case matrix(MatrixOp)

    /// The shape of the result, or why the operands do not fit.
    func shape(_ inputs: [TensorShape]) throws(ShapeError) -> TensorShape {
        switch self {
        case .reduction(let op): return try op.shape(inputs)
        case .linear(let op): return try op.shape(inputs)
        case .layout(let op): return try op.shape(inputs)
        case .softmax(let op): return try op.shape(inputs)
        case .convolution(let op): return try op.shape(inputs)
        case .matrix(let op): return try op.shape(inputs)
        }
    }

    /// The value on evaluated operands; named dimensions are bound by `bindings`.
    func evaluate(_ args: [Tensor], bindings: [String: Int]) throws(TensorError) -> Tensor {
        switch self {
        case .reduction(let op): return try op.evaluate(args)
        case .linear(let op): return try op.evaluate(args)
        case .layout(let op): return try op.evaluate(args, bindings: bindings)
        case .softmax(let op): return try op.evaluate(args, bindings: bindings)
        case .convolution(let op): return try op.evaluate(args)
        case .matrix(let op): return try op.evaluate(args, bindings: bindings)
        }
    }

    /// The gradient reaching argument `index` when the upstream adjoint is `g`, or nil when the
    /// argument receives none (a label, a shape).
    func vjp(_ index: Int, inputs x: [Term], out: Term, upstream g: Term) -> Term? {
        switch self {
        case .reduction(let op): return op.vjp(index, inputs: x, out: out, upstream: g)
        case .linear(let op): return op.vjp(index, inputs: x, out: out, upstream: g)
        case .layout(let op): return op.vjp(index, inputs: x, out: out, upstream: g)
        case .softmax(let op): return op.vjp(index, inputs: x, out: out, upstream: g)
        case .convolution(let op): return op.vjp(index, inputs: x, out: out, upstream: g)
        case .matrix(let op): return op.vjp(index, inputs: x, out: out, upstream: g)
        }
    }

    /// Whether gradient flows through the op at all: false for ops whose value is piecewise
    /// constant in their operands (a one-hot mask, an element count).
    var isDifferentiable: Bool {
        switch self {
        case .reduction(let op): return op.isDifferentiable
        case .linear, .softmax: return true
        case .layout(let op): return op.isDifferentiable
        case .convolution(let op): return op.isDifferentiable
        case .matrix(let op): return op.isDifferentiable
        }
    }

    /// The op written in the input language, given its operands' texts. Operators (`@`, `.T`,
    /// indexing) come with the level they bind at.
    public func printed(_ args: [Printed], shapes: [TensorShape]) -> Printed {
        switch self {
        case .reduction(let op): return op.printed(args, shapes: shapes)
        case .linear(let op): return op.printed(args)
        case .layout(let op): return op.printed(args, shapes: shapes)
        case .softmax(let op): return op.printed(args, shapes: shapes)
        case .convolution(let op): return op.printed(args)
        case .matrix(let op): return op.printed(args)
        }
    }

    /// A short name for graph labels and staged tables.
    public var name: String {
        switch self {
        case .reduction(let op): return op.name
        case .linear(let op): return op.name
        case .layout(let op): return op.name
        case .softmax(let op): return op.name
        case .convolution(let op): return op.name
        case .matrix(let op): return op.name
        }
    }

    /// A run-independent hash seed (see `Op.hashSeed`).
    var hashSeed: UInt64 {
        var h: UInt64 = 0xcbf29ce484222325
        for byte in String(describing: self).utf8 { h = (h ^ UInt64(byte)) &* 0x100000001b3 }
        return h
    }

    /// `f(a, b, key=value)` as an atom.
    static func call(_ name: String, _ args: [String], _ keywords: [(String, String)] = []) -> Printed {
        let all = args + keywords.map { "\($0.0)=\($0.1)" }
        return Printed(name + "(" + all.joined(separator: ", ") + ")", Printed.Level.atom)
    }

    /// Keyword arguments for an optional axis and keepdims, as written by users.
    static func axisKeywords(_ axis: Int?, keepdims: Bool) -> [(String, String)] {
        var result: [(String, String)] = []
        if let axis { result.append(("axis", String(axis))) }
        if keepdims { result.append(("keepdims", "true")) }
        return result
    }
}
