/// Why a shape rule failed. `description` is one line in NumPy's words, naming both shapes as
/// NumPy does (`(6,5,3) (6,5)`); `explanation` says in plain words what went wrong, for
/// `symdiff shape` and for diagnostics that point at the operator.
public enum ShapeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Broadcasting failed: aligned on the right, `axisFromEnd` (-1 is the last) has sizes
    /// `left` and `right`, neither 1.
    case notBroadcastable(TensorShape, TensorShape, axisFromEnd: Int, left: Dimension, right: Dimension)
    /// `@` with a scalar operand (NumPy refuses it too; use `*`).
    case matmulScalar(TensorShape, TensorShape)
    /// `@`: the left operand's last axis differs from the right's second-to-last.
    case matmulCore(TensorShape, TensorShape, left: Dimension, right: Dimension)
    /// `@`: the batch dimensions (all but the last two) do not broadcast.
    case matmulBatch(TensorShape, TensorShape, left: Dimension, right: Dimension)
    /// An axis outside `-rank..<rank`.
    case axisOutOfBounds(axis: Int, rank: Int)
    /// An index outside `-size..<size` on axis `axis`.
    case indexOutOfBounds(index: Int, axis: Int, size: Int)
    /// A permutation that is not one of `0..<rank`.
    case badPermutation([Int], rank: Int)
    /// A size below zero.
    case negativeDimension(TensorShape)
    /// More than `TensorShape.maxElements` elements, or a count that overflows.
    case tooManyElements(TensorShape, limit: Int)
    /// `reshape` to a shape with a different element count (`size` is the array's count;
    /// `target` may hold one -1, meaning "whatever is left").
    case cannotReshape(size: Int, target: [Int])
    /// A rule needed the size of a named dimension that is not bound yet.
    case unresolvedDimension(name: String, shape: TensorShape)
    /// An op that needs a particular rank (`outer` takes vectors, `cross_entropy` logits of
    /// rank 1 or 2).
    case wrongRank(operation: String, expected: String, got: TensorShape)
    /// Two shapes that must be equal are not (labels for a batch of logits, say).
    case mismatch(operation: String, TensorShape, TensorShape, reason: String)
    /// A convolution or pooling whose output size `(size - window + 2*pad)/stride + 1` is not a
    /// whole number of at least 1 on some spatial axis.
    case windowSize(operation: String, size: Int, window: Int, pad: Int, stride: Int)
    /// A pooling padded by more than half its window (some window would hold no real cell).
    case poolPadding(operation: String, kernel: Int, pad: Int)

    public var description: String {
        switch self {
        case .notBroadcastable(let a, let b, _, _, _):
            return "operands could not be broadcast together with shapes \(a.compactDescription) \(b.compactDescription)"
        case .matmulScalar(let a, let b):
            return "matmul: \(a.compactDescription) @ \(b.compactDescription): operands must not be scalars"
        case .matmulCore(let a, let b, let l, let r):
            return "matmul: \(a.compactDescription) @ \(b.compactDescription): \(l) != \(r)"
        case .matmulBatch(let a, let b, let l, let r):
            return "matmul: \(a.compactDescription) @ \(b.compactDescription): batch dimensions \(l) and \(r) do not broadcast"
        case .axisOutOfBounds(let axis, let rank):
            return "axis \(axis) is out of bounds for array of dimension \(rank)"
        case .indexOutOfBounds(let index, let axis, let size):
            return "index \(index) is out of bounds for axis \(axis) with size \(size)"
        case .badPermutation(let axes, let rank):
            return "axes (\(axes.map(String.init).joined(separator: ", "))) are not a permutation of 0..<\(rank)"
        case .negativeDimension(let s):
            return "negative dimensions are not allowed: \(s.compactDescription)"
        case .tooManyElements(let s, let limit):
            return "shape \(s.compactDescription) has too many elements (the limit is \(limit))"
        case .cannotReshape(let size, let target):
            let t = target.count == 1 ? "(\(target[0]),)" : "(" + target.map(String.init).joined(separator: ",") + ")"
            return "cannot reshape array of size \(size) into shape \(t)"
        case .unresolvedDimension(let name, let s):
            return "the size of dimension \(name) in \(s.compactDescription) is not known"
        case .wrongRank(let op, let expected, let got):
            return "\(op) expects \(expected), got shape \(got.compactDescription)"
        case .mismatch(let op, let a, let b, _):
            return "\(op): shapes \(a.compactDescription) and \(b.compactDescription) do not match"
        case .windowSize(let op, let size, let window, let pad, let stride):
            let span = size - window + 2 * pad
            if span < 0 {
                return "\(op): the window (\(window)) is larger than the padded input (\(size) + 2*\(pad) = \(size + 2 * pad))"
            }
            return "\(op): (\(size) - \(window) + 2*\(pad))/\(stride) + 1 = \(ShapeError.quotientText(span + stride, stride)) is not an integer"
        case .poolPadding(let op, let kernel, let pad):
            return "\(op): padding \(pad) is more than half the window \(kernel)"
        }
    }

    /// `n/d` as a decimal when it has one (14.5), else as a reduced fraction (10/3).
    static func quotientText(_ n: Int, _ d: Int) -> String {
        guard d > 0 else { return "\(n)/\(d)" }
        var (a, b) = (Swift.abs(n), d)
        while b != 0 { (a, b) = (b, a % b) }
        let (numerator, denominator) = (n / Swift.max(a, 1), d / Swift.max(a, 1))
        var rest = denominator
        while rest % 2 == 0 { rest /= 2 }
        while rest % 5 == 0 { rest /= 5 }
        return rest == 1 ? Tensor.formatElement(Double(numerator) / Double(denominator)) : "\(numerator)/\(denominator)"
    }

    /// The reason in plain words, one or two sentences.
    public var explanation: String {
        switch self {
        case .notBroadcastable(_, _, let axis, let l, let r):
            return "aligned on the right, axis \(axis) has \(l) vs \(r): two sizes broadcast only when they are equal or one of them is 1"
        case .matmulScalar:
            return "@ is the matrix product and needs at least one axis on each side; write * to multiply by a scalar"
        case .matmulCore(_, _, let l, let r):
            return "the last axis of the left operand (\(l)) must equal the second-to-last axis of the right operand (\(r)); a 1-D operand counts as a row on the left and a column on the right"
        case .matmulBatch(_, _, let l, let r):
            return "all axes but the last two are batch axes and broadcast like +; aligned on the right, batch sizes \(l) and \(r) are different and neither is 1"
        case .axisOutOfBounds(_, let rank):
            return rank == 0 ? "a scalar has no axes" : "valid axes are 0 to \(rank - 1), or -\(rank) to -1 counting from the end"
        case .indexOutOfBounds(_, _, let size):
            return size == 0 ? "the axis is empty" : "valid indices are 0 to \(size - 1), or -\(size) to -1 counting from the end"
        case .badPermutation(_, let rank):
            return "give every axis from 0 to \(rank - 1) exactly once"
        case .negativeDimension:
            return "every size must be 0 or more"
        case .tooManyElements:
            return "symdiff refuses arrays larger than \(TensorShape.maxElements) elements rather than run out of memory"
        case .cannotReshape(_, let target):
            return target.filter { $0 == -1 }.count > 1
                ? "only one dimension may be -1 (it takes whatever size is left)"
                : "the new shape must hold exactly as many elements as the array; -1 stands for the one size that makes it fit"
        case .unresolvedDimension(let name, _):
            return "bind it by giving a value for an input that uses \(name), or with --dim \(name)=SIZE"
        case .wrongRank(let op, let expected, _):
            return "\(op) is defined for \(expected)"
        case .mismatch(_, _, _, let reason):
            return reason
        case .windowSize(_, let size, let window, let pad, _):
            let span = size - window + 2 * pad
            var text = "the output size is (W - F + 2P)/S + 1 for input size W, window F, padding P and stride S; "
                + "a configuration where it is not a whole number is invalid (symdiff does not drop the last cells)"
            if span > 0 {
                let fits = (1...Swift.min(span, 64)).filter { span % $0 == 0 }.map(String.init)
                if !fits.isEmpty { text += "; with this padding, stride " + (fits.count == 1 ? fits[0] : fits.dropLast().joined(separator: ", ") + " or " + (fits.last ?? "")) + " fits" }
            }
            return text
        case .poolPadding:
            return "every window must hold at least one real cell: the padding may be at most half the window size (PyTorch's rule)"
        }
    }
}
