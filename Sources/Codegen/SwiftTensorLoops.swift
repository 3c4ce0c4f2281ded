import Symbolic

/// The small loop IR the Swift tensor emitter writes every op with: extents (sizes known as a
/// number times named dimensions), flat row-major indices in Horner form, and an indented line
/// buffer that opens and closes loop nests. Ops differ only in which loops they open and what
/// one iteration does; the index arithmetic (broadcasting included) is all here.

/// One axis length, or a product of them: a fixed number times named dimensions (`4 * N`), so
/// that a shape with named dimensions is still written as arithmetic on `Int` parameters.
struct Extent: Hashable {
    var fixed: Int
    /// Parameter names of named dimensions, in the order met.
    var names: [String]

    static let one = Extent(fixed: 1, names: [])

    init(fixed: Int, names: [String] = []) {
        self.fixed = fixed
        self.names = names
    }

    /// Whether the extent is exactly 1 whatever the dimensions (an axis without a loop).
    var isOne: Bool { fixed == 1 && names.isEmpty }

    /// `4`, `N`, `4 * N`, `N * B`: binds like a product, so it can follow `*` unparenthesised.
    var text: String {
        if names.isEmpty { return String(fixed) }
        if fixed == 1 { return names.joined(separator: " * ") }
        return "\(fixed) * " + names.joined(separator: " * ")
    }

    static func * (a: Extent, b: Extent) -> Extent {
        Extent(fixed: a.fixed.multipliedReportingOverflow(by: b.fixed).partialValue, names: a.names + b.names)
    }

    /// The product of `extents` (1 for none).
    static func product<S: Sequence>(_ extents: S) -> Extent where S.Element == Extent {
        extents.reduce(Extent.one, *)
    }
}

/// Flat row-major indices.
enum FlatIndex {
    /// The flat index of the element whose per-axis indices are `parts` in an array of those
    /// extents, in Horner form: `(i * 3 + j) * 4 + k`. A nil index is 0 (a stretched or
    /// size-1 axis) and drops out: `i * 4` rather than `i * 4 + 0`.
    static func horner(_ parts: [(index: String?, extent: Extent)]) -> String {
        var text: String?
        for (index, extent) in parts {
            guard let sofar = text else {
                text = index
                continue
            }
            // A size-1 axis multiplies by 1: only its index (0 or a label) is added.
            if extent.isOne {
                text = index.map { sofar + " + " + $0 } ?? sofar
                continue
            }
            let scaled = (sofar.contains(" + ") ? "(\(sofar))" : sofar) + " * " + extent.text
            text = index.map { scaled + " + " + $0 } ?? scaled
        }
        return text ?? "0"
    }

    /// The index into an operand of shape `operand` read while looping over `loop` (the
    /// operand's shape broadcast to the loop's, NumPy style: aligned on the right, a size-1
    /// axis of the operand stretched), given the loop's per-axis indices.
    static func broadcast(_ operand: [Extent], into loop: [Extent], indices: [String?]) -> String {
        horner(parts(operand, into: loop, indices: indices))
    }

    /// The Horner parts of `broadcast`, for indices that go on with more axes (a batch of
    /// matrices: the batch part, then row and column).
    static func parts(_ operand: [Extent], into loop: [Extent], indices: [String?]) -> [(index: String?, extent: Extent)] {
        let offset = loop.count - operand.count
        return operand.enumerated().map { axis, extent in
            let loopAxis = axis + offset
            // (An operand never has more axes than the loop; guarded all the same.)
            guard loopAxis >= 0 else { return (nil, extent) }
            // Stretched: the operand's size-1 axis against a longer loop axis always reads 0.
            let stretched = extent.isOne && !loop[loopAxis].isOne
            return (stretched ? nil : indices[loopAxis], extent)
        }
    }
}

/// Indented Swift lines for a function body, with loop nests.
struct SwiftLines {
    private(set) var lines: [String] = []
    private var depth = 1

    /// Appends `text` at the current indentation.
    mutating func line(_ text: String) {
        lines.append(String(repeating: "    ", count: depth) + text)
    }

    /// A line that opens a closure (`... { a, n in`) and one level deeper.
    mutating func openClosure(_ text: String) {
        line(text)
        depth += 1
    }

    /// `text {` and one level deeper.
    mutating func open(_ text: String) {
        line(text + " {")
        depth += 1
    }

    /// `}` one level up.
    mutating func close() {
        depth -= 1
        line("}")
    }

    /// `}()` one level up: the end of a closure called where it is written.
    mutating func closeCall() {
        depth -= 1
        line("}()")
    }

    /// Closes `count` levels.
    mutating func close(_ count: Int) {
        for _ in 0..<count { close() }
    }

    /// Opens `for v in 0..<extent` for every axis whose extent is not 1, and returns each
    /// axis's index (nil for an axis without a loop) and how many loops were opened.
    mutating func loops(_ axes: [(variable: String, extent: Extent)]) -> (indices: [String?], opened: Int) {
        var indices: [String?] = []
        var opened = 0
        for (variable, extent) in axes {
            if extent.isOne {
                indices.append(nil)
            } else {
                open("for \(variable) in 0..<\(extent.text)")
                indices.append(variable)
                opened += 1
            }
        }
        return (indices, opened)
    }
}
