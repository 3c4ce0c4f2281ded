/// Names generated code must not use for its own variables, per target language.
///
/// An input called `lambda`, `in` or `np` is fine in symdiff's language but would break (or
/// silently change) the generated code, so code generators rename every variable on these
/// lists. The lists are deliberately generous: shadowing a builtin such as `sum` or `abs` is
/// legal in both languages, but a reader of the generated code should never have to wonder
/// which one is meant.
///
/// They live in Symbolic, not Codegen, because the names Symbolic makes up (stages `a`, `b`,
/// ..., `as`, ...; adjoints `d<name>`) avoid every one of them from the start
/// (`NameAllocator`): only a name the program itself chose can need renaming, so code
/// generation never rewrites the names of a 10^5-statement program.
public enum ReservedNames {
    /// Python keywords, soft keywords (3.12's `type` included, as code outlives the interpreter
    /// it was generated on), every name in `builtins`, and the modules the code could clash with.
    public static let python: Set<String> = Set(pythonKeywords + pythonSoftKeywords + pythonBuiltins + pythonModules)

    /// Swift keywords (contextual ones included: a local `let some = ...` or `let each = ...`
    /// compiles in some positions and not in others), the standard types and modules the code
    /// names, every Foundation function it calls, and `value`, the label of the result tuple.
    public static let swift: Set<String> = swiftFunctionNames.union(["value"])

    /// Swift names that cannot name the generated function: the variable list minus `value`
    /// (a function may be called `value`; only a variable would clash with the tuple label).
    public static let swiftFunctionNames: Set<String> =
        Set(swiftKeywords + swiftContextualKeywords + swiftLibraryNames + swiftFunctions)

    /// Every name some target language reserves: what generated names avoid.
    public static let everyLanguage: Set<String> = python.union(swift)

    // MARK: - Python

    static let pythonKeywords = [
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def",
        "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda",
        "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
    ]

    static let pythonSoftKeywords = ["_", "case", "match", "type"]

    /// `dir(builtins)` of CPython 3.11, plus `__builtins__`, which every module also sees.
    static let pythonBuiltins = [
        "ArithmeticError", "AssertionError", "AttributeError", "BaseException", "BaseExceptionGroup",
        "BlockingIOError", "BrokenPipeError", "BufferError", "BytesWarning", "ChildProcessError",
        "ConnectionAbortedError", "ConnectionError", "ConnectionRefusedError", "ConnectionResetError",
        "DeprecationWarning", "EOFError", "Ellipsis", "EncodingWarning", "EnvironmentError", "Exception",
        "ExceptionGroup", "FileExistsError", "FileNotFoundError", "FloatingPointError", "FutureWarning",
        "GeneratorExit", "IOError", "ImportError", "ImportWarning", "IndentationError", "IndexError",
        "InterruptedError", "IsADirectoryError", "KeyError", "KeyboardInterrupt", "LookupError", "MemoryError",
        "ModuleNotFoundError", "NameError", "NotADirectoryError", "NotImplemented", "NotImplementedError",
        "OSError", "OverflowError", "PendingDeprecationWarning", "PermissionError", "ProcessLookupError",
        "RecursionError", "ReferenceError", "ResourceWarning", "RuntimeError", "RuntimeWarning",
        "StopAsyncIteration", "StopIteration", "SyntaxError", "SyntaxWarning", "SystemError", "SystemExit",
        "TabError", "TimeoutError", "TypeError", "UnboundLocalError", "UnicodeDecodeError",
        "UnicodeEncodeError", "UnicodeError", "UnicodeTranslateError", "UnicodeWarning", "UserWarning",
        "ValueError", "Warning", "ZeroDivisionError", "__build_class__", "__builtins__", "__debug__", "__doc__",
        "__import__", "__loader__", "__name__", "__package__", "__spec__", "abs", "aiter", "all", "anext", "any",
        "ascii", "bin", "bool", "breakpoint", "bytearray", "bytes", "callable", "chr", "classmethod", "compile",
        "complex", "copyright", "credits", "delattr", "dict", "dir", "divmod", "enumerate", "eval", "exec",
        "exit", "filter", "float", "format", "frozenset", "getattr", "globals", "hasattr", "hash", "help", "hex",
        "id", "input", "int", "isinstance", "issubclass", "iter", "len", "license", "list", "locals", "map",
        "max", "memoryview", "min", "next", "object", "oct", "open", "ord", "pow", "print", "property", "quit",
        "range", "repr", "reversed", "round", "set", "setattr", "slice", "sorted", "staticmethod", "str", "sum",
        "super", "tuple", "type", "vars", "zip",
    ]

    /// The module the code imports (and its alias), and modules a reader would not expect to
    /// see reassigned.
    static let pythonModules = ["np", "numpy", "os", "sys", "math", "builtins"]

    // MARK: - Swift

    /// Keywords reserved in every position (The Swift Programming Language, "Lexical Structure").
    static let swiftKeywords = [
        "associatedtype", "borrowing", "class", "consuming", "deinit", "enum", "extension", "fileprivate", "func",
        "import", "init", "inout", "internal", "let", "nonisolated", "open", "operator", "private",
        "precedencegroup", "protocol", "public", "rethrows", "static", "struct", "subscript", "typealias", "var",
        "break", "case", "catch", "continue", "default", "defer", "do", "else", "fallthrough", "for", "guard",
        "if", "in", "repeat", "return", "throw", "switch", "where", "while", "Any", "as", "await", "false", "is",
        "nil", "self", "Self", "super", "throws", "true", "try", "_",
    ]

    /// Keywords reserved only in particular contexts, including the newer expression keywords
    /// (`consume`, `copy`, `unsafe`, `each`, `some`, `any`) that change how `name x` parses.
    static let swiftContextualKeywords = [
        "actor", "any", "associativity", "async", "consume", "convenience", "copy", "didSet", "discard",
        "distributed", "dynamic", "each", "final", "get", "indirect", "infix", "isolated", "lazy", "left",
        "macro", "mutating", "none", "nonmutating", "optional", "override", "package", "postfix", "precedence",
        "prefix", "Protocol", "required", "right", "sending", "set", "some", "then", "Type", "unowned", "unsafe",
        "weak", "willSet", "yield",
    ]

    /// Types, modules and global functions of the standard library a reader would recognise.
    static let swiftLibraryNames = [
        "Double", "Float", "Float80", "Int", "String", "Bool", "Character", "Array", "Dictionary", "Set",
        "Optional", "Never", "Void", "Error", "AnyObject", "Swift", "Foundation", "Glibc", "Darwin", "print",
        "debugPrint", "assert", "precondition", "fatalError", "type", "max", "min", "abs",
    ]

    /// Every Foundation math function the Swift emitter calls, and their close relatives.
    static let swiftFunctions = [
        "pow", "exp", "exp2", "expm1", "log", "log1p", "log2", "log10", "sqrt", "cbrt", "sin", "cos", "tan",
        "asin", "acos", "atan", "atan2", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "hypot", "floor",
        "ceil", "round", "trunc", "fabs", "fmod", "remainder", "copysign",
    ]
}
