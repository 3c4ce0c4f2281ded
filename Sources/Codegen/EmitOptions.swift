/// A target language of the code generator.
public enum Language: String, CaseIterable, Sendable {
    /// Python 3 with NumPy: element-wise on floats and arrays of any broadcastable shapes.
    case numpy
    /// Swift with Foundation, on `Double`.
    case swift

    /// The language's name for messages.
    public var displayName: String {
        switch self {
        case .numpy: return "Python"
        case .swift: return "Swift"
        }
    }
}

/// What to generate.
public struct EmitOptions: Hashable, Sendable {
    /// The target language.
    public var language: Language
    /// The generated function's name; it must be an identifier that is not reserved in
    /// `language` (see `CodegenError.invalidFunctionName`).
    public var functionName: String
    /// `false`: the staged forward and backward pass, one statement per equation (the default,
    /// what a worksheet solution shows). `true`: the value and the simplified closed-form partial
    /// derivatives, with shared subexpressions computed once.
    public var closedForm: Bool

    /// Options for `language`, by default a staged function named `f`.
    public init(language: Language, functionName: String = "f", closedForm: Bool = false) {
        self.language = language
        self.functionName = functionName
        self.closedForm = closedForm
    }
}

/// A variable the generated code had to call something else, because its own name is reserved
/// in the target language (`lambda` becomes `lambda_` in Python).
public struct Renaming: Hashable, Sendable, CustomStringConvertible {
    /// The name in symdiff's program (an input, a statement, or an adjoint `d<name>`).
    public let from: String
    /// The name in the generated code.
    public let to: String

    /// Records that `from` is spelled `to` in the generated code.
    public init(from: String, to: String) {
        self.from = from
        self.to = to
    }

    /// `from -> to`, as the generated documentation lists it.
    public var description: String { "\(from) -> \(to)" }
}

/// Generated source code.
///
/// A scalar function is kept as its parts (the body's bytes and the header's items) and
/// written out when asked: `text` renders the whole file, `write(_:)` hands it over in chunks.
/// `symdiff emit` holds neither: it writes a `CodeStream`, which makes the body as it writes it.
public struct EmittedCode: Hashable, Sendable {
    private enum Content: Hashable, Sendable {
        case text(String)
        case numpy(GeneratedFunction)
        /// With the names the body accumulates into, which Swift declares `var`.
        case swift(GeneratedFunction, variables: Set<String>)
    }

    private let content: Content
    /// Every variable renamed to stay clear of the target language's reserved names, in the
    /// order the generated code introduces them (also listed in the generated documentation).
    public let renamed: [Renaming]

    /// Code whose text is already written.
    init(text: String, renamed: [Renaming]) {
        self.content = .text(text)
        self.renamed = renamed
    }

    /// `function` as `emitter` writes it: kept as parts when the emitter is one of this
    /// module's, which can write it piece by piece, and rendered now otherwise.
    init<E: Emitter>(_ function: GeneratedFunction, by emitter: E, renamed: [Renaming]) {
        switch emitter {
        case is NumPyEmitter: content = .numpy(function)
        case is SwiftEmitter: content = .swift(function, variables: function.body.accumulatedNames)
        default: content = .text(emitter.render(function))
        }
        self.renamed = renamed
    }

    /// A Swift function whose body accumulates into `variables`, as its builder planned them.
    init(swift function: GeneratedFunction, variables: Set<String>, renamed: [Renaming]) {
        content = .swift(function, variables: variables)
        self.renamed = renamed
    }

    /// The whole file: import, function with documentation, trailing newline.
    public var text: String {
        switch content {
        case .text(let text): return text
        case .numpy(let function): return CodeWriter.text { NumPyEmitter().write(function, to: &$0) }
        case .swift(let function, let variables): return CodeWriter.text { SwiftEmitter().write(function, variables: variables, to: &$0) }
        }
    }

    /// Hands `text` to `sink` in order, in chunks that are each valid UTF-8, without making it
    /// whole: what a caller writing the code to a file or a pipe wants.
    public func write(_ sink: (UnsafeBufferPointer<UInt8>) -> Void) {
        switch content {
        case .text(let text):
            var text = text
            text.withUTF8 { sink($0) }
        case .numpy(let function):
            CodeWriter.stream({ NumPyEmitter().write(function, to: &$0) }, to: sink)
        case .swift(let function, let variables):
            CodeWriter.stream({ SwiftEmitter().write(function, variables: variables, to: &$0) }, to: sink)
        }
    }

    /// Equal when the texts and renames are.
    public static func == (lhs: EmittedCode, rhs: EmittedCode) -> Bool {
        lhs.renamed == rhs.renamed && lhs.text == rhs.text
    }

    /// Hashes what `==` compares.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(text)
        hasher.combine(renamed)
    }
}

/// Problems the code generator reports, one human message each.
public enum CodegenError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The requested function name is not an identifier of the language, or is one of its
    /// keywords or of the names the generated code relies on (`np`, `exp`, `Double`, ...).
    case invalidFunctionName(String, Language)
    /// A program with arrays: the emitters write element-wise scalar code only (tensor code
    /// generation is its own piece of work).
    case tensorProgram

    /// The message for users: what is wrong with the name and what would do.
    public var description: String {
        switch self {
        case .invalidFunctionName(let name, let language):
            let shown = name.isEmpty ? "an empty name" : "'\(name)'"
            if Identifier.isValid(name) {
                return "\(shown) cannot name a generated \(language.displayName) function: it is reserved "
                    + "in \(language.displayName) or used by the generated code"
            }
            return "\(shown) cannot name a generated \(language.displayName) function: "
                + "expected an identifier such as grad_f (letters, digits and _, not starting with a digit)"
        case .tensorProgram:
            return "code generation for programs with arrays (declared shapes, @, sum, softmax, ...) is not available yet"
        }
    }
}

/// The identifier rule shared by symdiff's language, Python and Swift (ASCII only).
enum Identifier {
    /// Whether `text` matches `[A-Za-z_][A-Za-z0-9_]*`.
    static func isValid(_ text: String) -> Bool {
        guard let first = text.utf8.first, isStart(first) else { return false }
        return text.utf8.allSatisfy { isStart($0) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) }
    }

    private static func isStart(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || byte == UInt8(ascii: "_")
    }
}
