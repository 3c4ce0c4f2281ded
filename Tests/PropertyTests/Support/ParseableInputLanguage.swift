import ExprParse
import Symbolic

/// `InputLanguage` with the graph's internal ops written in the input language, so that the
/// numbers of a printed form can be checked even where its real text uses a spelling the
/// grammar does not accept (yet): `broadcast_to`, `sum_to`, `x.shape[k]` and the first-extreme
/// masks of `max`/`min`. Everything else is `InputLanguage`'s own rendering, delegated.
///
/// The rewrites are exact at the points the properties use: `x * ones` is `x` stretched, a sum
/// with `keepdims` then `reshape` is `sum_to`, a count is the axis' size, and
/// `1 - step(max(x) - x)` is the argmax mask wherever the maximum is unique (generated values
/// are random, so it is).
struct ParseableInputLanguage: Dialect {
    var base: InputLanguage
    /// The sizes of the named dimensions at the point evaluated.
    var bindings: [String: Int]

    init(spaced: Bool = false, bindings: [String: Int]) {
        base = InputLanguage(spaced: spaced)
        self.bindings = bindings
    }

    /// The spellings `InputLanguage` prints that the parser refuses, which this dialect replaces.
    static let internalSpellings = ["broadcast_to(", "sum_to(", "first_argmax_mask(", "first_argmin_mask(", ".shape[", ".size"]

    func number(_ value: Number) -> Printed { base.number(value) }
    func constant(_ constant: NamedConstant) -> Printed { base.constant(constant) }
    func variable(_ name: String) -> Printed { base.variable(name) }
    func call(_ function: Function, _ arguments: [String]) -> Printed { base.call(function, arguments) }
    func power(_ base: Printed, _ exponent: Printed) -> Printed { self.base.power(base, exponent) }
    var times: String { base.times }
    var over: String { base.over }

    private func sizes(_ shape: TensorShape) -> [Int] {
        shape.dimensions.map { $0.size ?? bindings[$0.description] ?? 1 }
    }

    /// An array literal of `value`s of `sizes`.
    private static func filled(_ value: String, _ sizes: ArraySlice<Int>) -> String {
        guard let first = sizes.first else { return value }
        return "[" + Array(repeating: filled(value, sizes.dropFirst()), count: first).joined(separator: ", ") + "]"
    }

    func tensor(_ op: TensorOp, _ args: [Printed], shapes: [TensorShape]) -> Printed {
        switch op {
        case .layout(.broadcast(let target)):
            let ones = Self.filled("1", sizes(target)[...])
            return Printed("(" + args[0].wrapped(below: Printed.Level.product) + " * " + ones + ")", Printed.Level.atom)
        case .layout(.sumTo(let target)):
            guard let source = shapes.first, let u = try? target.unbroadcast(from: source) else { break }
            if target.rank == 0 { return Printed("sum(\(args[0].text))", Printed.Level.atom) }
            var text = args[0].text
            for axis in u.summedAxes { text = "sum(\(text), axis=\(axis), keepdims=true)" }
            return Printed("reshape(\(text), \(TensorShape(sizes(target).map(Dimension.fixed))))", Printed.Level.atom)
        case .reduction(.count(let axis)):
            guard let source = shapes.first else { break }
            let n = sizes(source)
            let count = axis.map { n[$0 < 0 ? $0 + n.count : $0] } ?? n.reduce(1, *)
            return Printed(String(count), Printed.Level.atom)
        case .reduction(.firstExtreme(let isMax, let axis)):
            let x = args[0].text
            let extreme = "\(isMax ? "max" : "min")(\(x)" + (axis.map { ", axis=\($0), keepdims=true" } ?? "") + ")"
            let gap = isMax ? "\(extreme) - (\(x))" : "(\(x)) - \(extreme)"
            return Printed("(1 - step(\(gap)))", Printed.Level.atom)
        default:
            break
        }
        return base.tensor(op, args, shapes: shapes)
    }
}
