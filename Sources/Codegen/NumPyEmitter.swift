import ExprParse
import Symbolic

/// Writes a NumPy function: element-wise on Python floats and on NumPy arrays of any
/// broadcastable shapes, returning `(value, df/dx1, df/dx2, ...)`.
public struct NumPyEmitter: Emitter {
    /// The NumPy emitter.
    public init() {}

    /// `.numpy`.
    public var language: Language { .numpy }
    /// `NumPyDialect`.
    public var dialect: NumPyDialect { NumPyDialect() }
    /// Python keywords, soft keywords, builtins, `np` and friends.
    public var reservedVariableNames: Set<String> { ReservedNames.python }
    /// The same names: a function called `print` or `np` would shadow what callers expect.
    public var reservedFunctionNames: Set<String> { ReservedNames.python }

    /// Only xlogy, whose guard reads both arguments again; every other spelling reads each once.
    public func repeatsArgument(_ function: Function) -> Bool { function == .xlogy || function == .sigmoid }

    /// A read-only zero in the broadcast shape of the value and the input: the shape every
    /// other partial has, widened by the input's own shape (the derivative is zero at every
    /// element). A view of one number, so a wide input costs no memory.
    public func zero(forInput input: String, value: String) -> String {
        "np.broadcast_to(0.0, np.broadcast(\(value), \(input)).shape)"
    }

    /// The partial broadcast to the shape of the value (and of itself), with no arithmetic:
    /// the backward pass folds in the seed 1 instead of multiplying by `np.ones_like(value)`,
    /// so a partial that reads fewer inputs than the value (`df/dx = y`) is narrower until here.
    /// `np.broadcast_to` returns a read-only view, which shares memory with whatever the
    /// partial was computed from (another partial, an input the caller passed in as float64).
    public func returnedPartial(_ partial: String, value: String) -> String? {
        "np.broadcast_to(\(partial), np.broadcast(\(value), \(partial)).shape)"
    }

    /// A constant value as a float64 array, not a Python int, so that the value and constant
    /// partials (`df/dx = 3`) have NumPy's float semantics like every other output, and the
    /// backward pass never computes in Python's exact, unbounded ints.
    public func constantValue(_ expression: String) -> String { "np.asarray(\(expression), dtype=np.float64)" }

    /// Non-finite constants, which Python arithmetic would raise on (see `PinnedNames`).
    public func pinnedNames(_ graph: Graph, nodes: [NodeID], names: NodeMap<String>) -> NodeMap<String> {
        PinnedNames.nonFiniteConstants(graph, nodes: nodes)
    }

    /// The module text: import, function, docstring, float64 conversion, body, return.
    public func render(_ function: GeneratedFunction) -> String {
        CodeWriter.text { write(function, to: &$0) }
    }
}

extension NumPyEmitter {
    /// Writes the module text `render` returns into `out`.
    func write(_ function: GeneratedFunction, to out: inout CodeWriter) {
        write(function, to: &out) { function.body.write(into: &$0) }
    }

    /// Writes the module text into `out` with the body's lines from `body` (`function.body` is
    /// not read), each formatted into `out` as it comes.
    func write(_ function: GeneratedFunction, to out: inout CodeWriter, body: (inout NumPyBodyLines) -> Void) {
        out.write("import numpy as np\n\n\ndef ")
        out.write(function.name)
        out.write("(")
        out.write(function.parameters, separator: ", ")
        out.write("):\n")
        out.write("    \"\"\"Value and gradient of \(Docstring.escaped(function.summary)).\n\n")
        out.write("    Returns (value")
        out.write(function.parameters, separator: "", eachPrefix: ", d\(function.name)/d")
        out.write("); element-wise on floats and NumPy arrays.\n")
        if !function.parameters.isEmpty {
            out.write("    Each partial is a read-only array in the value's shape (0-d for floats), which may share\n")
            out.write("    memory with an input or another partial: np.array(d) makes a writable copy.\n")
        }
        if !function.renamed.isEmpty {
            out.write("    Renamed (reserved in Python): \(function.renamed.map(\.description).joined(separator: ", ")).\n")
        }
        out.write("    \"\"\"\n")
        if !function.parameters.isEmpty {
            out.write("    # float64 arrays: IEEE semantics (1/0 is inf, log(-1) is nan), never a Python exception\n")
        }
        for parameter in function.parameters {
            out.write("    ")
            out.write(parameter)
            out.write(" = np.asarray(")
            out.write(parameter)
            out.write(", dtype=np.float64)\n")
        }
        var lines = NumPyBodyLines(out: out)
        body(&lines)
        out = lines.out
        if function.partialNames.isEmpty {
            out.write("    return (\(function.valueName),)\n")
        } else {
            out.write("    return ")
            out.write(function.valueName)
            out.write(function.partialNames, separator: "", eachPrefix: ", ")
            out.write("\n")
        }
    }
}

/// A NumPy function body's lines, each formatted into the file as it comes.
struct NumPyBodyLines: BodyLineSink {
    var out: CodeWriter

    mutating func append(_ kind: FunctionBody.Kind, name: UnsafeBufferPointer<UInt8>, expression: UnsafeBufferPointer<UInt8>) {
        switch kind {
        case .comment:
            out.write("    # ")
        case .define:
            out.write("    ")
            out.write(name)
            out.write(" = ")
        case .accumulate, .decrement:
            // Never `+=`: it would write into an array that another adjoint may alias
            // (after `dx = da`, `dx += ...` would change `da` too).
            out.write("    ")
            out.write(name)
            out.write(" = ")
            out.write(name)
            out.write(kind == .accumulate ? " + " : " - ")
        }
        out.write(expression)
        out.write("\n")
    }

    mutating func appendComment(_ prefix: String, quoting name: String, _ expression: UnsafeBufferPointer<UInt8>) {
        out.writeQuotedComment("# ", prefix, name, expression)
    }
}

/// Text placed inside generated documentation.
enum Docstring {
    /// `text` safe inside a Python triple-quoted string and on one line of a comment: printed
    /// programs are plain ASCII already, so this only guards against a caller's raw text.
    static func escaped(_ text: String) -> String {
        String(text.map { character -> Character in
            character == "\\" || character == "\"" || character.isNewline || !character.isASCII ? " " : character
        })
    }
}
