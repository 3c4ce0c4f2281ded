import ExprParse

/// Identifiers chosen to break generated code: every Python keyword, soft keyword and builtin,
/// every Swift keyword, the names generated code uses itself, names that differ only by case,
/// and names shaped like the generator's own temporaries. Names symdiff's language reserves
/// (its functions and constants) are left out, since they cannot be variables.
enum HostileNames {
    static let pythonKeywords = [
        "False", "None", "True", "_", "and", "as", "assert", "async", "await", "break", "case", "class", "continue",
        "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is",
        "lambda", "match", "nonlocal", "not", "or", "pass", "raise", "return", "try", "type", "while", "with",
        "yield",
    ]

    /// `dir(builtins)` of CPython 3.12 (the dunder names that are plain identifiers included).
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
        "PythonFinalizationError", "RecursionError", "ReferenceError", "ResourceWarning", "RuntimeError",
        "RuntimeWarning", "StopAsyncIteration", "StopIteration", "SyntaxError", "SyntaxWarning", "SystemError",
        "SystemExit", "TabError", "TimeoutError", "TypeError", "UnboundLocalError", "UnicodeDecodeError",
        "UnicodeEncodeError", "UnicodeError", "UnicodeTranslateError", "UnicodeWarning", "UserWarning",
        "ValueError", "Warning", "ZeroDivisionError", "__build_class__", "__builtins__", "__debug__", "__doc__",
        "__import__", "__loader__", "__name__", "__package__", "__spec__", "__file__", "__class__", "aiter",
        "all", "anext", "any", "ascii", "bin", "bool", "breakpoint", "bytearray", "bytes", "callable", "chr",
        "classmethod", "compile", "complex", "copyright", "credits", "delattr", "dict", "dir", "divmod",
        "enumerate", "eval", "exec", "exit", "filter", "float", "format", "frozenset", "getattr", "globals",
        "hasattr", "hash", "help", "hex", "id", "input", "int", "isinstance", "issubclass", "iter", "len",
        "license", "list", "locals", "map", "memoryview", "next", "object", "oct", "open", "ord", "print",
        "property", "quit", "range", "repr", "reversed", "round", "set", "setattr", "slice", "sorted",
        "staticmethod", "str", "sum", "super", "tuple", "vars", "zip", "np", "numpy", "math", "os", "sys",
        "builtins", "nan", "inf", "float64", "array", "errstate", "where",
    ]

    static let swiftKeywords = [
        "associatedtype", "borrowing", "class", "consuming", "deinit", "enum", "extension", "fileprivate", "func",
        "import", "init", "inout", "internal", "let", "nonisolated", "open", "operator", "package", "precedencegroup",
        "private", "protocol", "public", "rethrows", "static", "struct", "subscript", "typealias", "var", "break",
        "case", "catch", "continue", "default", "defer", "do", "else", "fallthrough", "for", "guard", "if", "in",
        "repeat", "return", "throw", "switch", "where", "while", "Any", "as", "await", "false", "is", "nil",
        "self", "Self", "super", "throws", "true", "try", "some", "any", "each", "Type", "Protocol", "async",
        "actor", "isolated", "macro", "convenience", "dynamic", "final", "indirect", "infix", "lazy", "mutating",
        "nonmutating", "optional", "override", "postfix", "prefix", "required", "unowned", "weak", "willSet",
        "didSet", "get", "set", "copy", "consume", "discard", "unsafe", "then", "_", "Double", "Int", "Float",
        "String", "Bool", "Foundation", "Swift", "Glibc", "Darwin", "print", "value", "log1p", "expm1", "fabs",
        "hypot", "isNaN", "isFinite", "infinity", "nan", "pi", "Array", "Optional", "Never", "Void",
        "precondition", "fatalError", "assert", "abs", "round", "floor", "ceil",
    ]

    /// Names the code generator's own output uses or could use: adjoints, temporaries, the
    /// output, the seed, the result label, renamed spellings.
    static let generatedLike = [
        "out", "out_", "out2", "dout", "dout_", "value", "value_", "f", "f_", "grad", "t0", "t1", "t2", "t_0", "h0",
        "tmp", "a", "b", "c", "d", "da", "db", "dx", "dy", "dda", "ddx", "x", "y", "dX", "X", "lambda_", "in_",
        "def_", "np_", "d_", "seed", "dseed", "result", "results", "args", "kwargs", "self_", "_0", "__", "___",
        "dfor", "dif", "din", "dlambda", "ddef", "dnp", "o", "el", "ef", "ouble", "nt",
    ]

    /// Pairs that differ only by case.
    static let caseTwins = ["x", "X", "value", "Value", "VALUE", "np", "Np", "NP", "out", "Out", "OUT", "da", "dA",
                            "Da", "none", "None", "NONE", "true", "True", "self", "Self", "type", "Type", "e1", "E1"]

    /// Every hostile name symdiff's own language accepts as a variable.
    static var all: [String] {
        var seen = Set<String>()
        return (pythonKeywords + pythonBuiltins + swiftKeywords + generatedLike + caseTwins)
            .filter { Function.named($0) == nil && NamedConstant(rawValue: $0) == nil && seen.insert($0).inserted }
    }

    /// Function names tried for the generated function: valid hostile ones must be accepted and
    /// work, reserved ones must be rejected with `CodegenError.invalidFunctionName`.
    static let functionNames = [
        "f", "value", "out", "dout", "da", "dx", "t0", "_", "__", "_f", "F", "x", "X", "lambda_", "np_", "self_",
        "grad", "sum", "float", "def", "lambda", "np", "numpy", "in", "func", "let", "Double", "exp", "self",
        "Self", "print", "import", "return", "None", "nil", "init", "", "1f", "f-g", "f g", "é", "f\n", "f()",
        "f#", "f;import os", "__import__", "sigmoid", "sin", "pi", "e",
    ]
}
