import ExprParse

/// Problems the Symbolic layer reports about a program or a request, one human message each.
public enum SymbolicError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The program still has parse errors; Symbolic only accepts a clean AST.
    case programHasErrors
    /// `--vars` named something twice.
    case duplicateVariable(String)
    /// `--vars` left out an input the program reads.
    case missingVariable(String)
    /// A name given for an input is not one (and is not allowed as an extra, unused input).
    case notAnInput(String)
    /// A program with more nodes than `Limits.maxNodes`.
    case tooLarge(nodes: Int, limit: Int)
    /// A problem with a source position: a shape error at an operator, a tensor construct
    /// misused. The CLI renders it like a parse error.
    case diagnostic(Diagnostic)

    public var description: String {
        switch self {
        case .programHasErrors: return "the program has errors"
        case .duplicateVariable(let v): return "variable '\(v)' is listed twice"
        case .missingVariable(let v): return "input '\(v)' is missing from the variable list"
        case .notAnInput(let v): return "'\(v)' is not an input of the program"
        case .tooLarge(let nodes, let limit):
            return "the program is too large: \(nodes) operations (the limit is \(limit))"
        case .diagnostic(let d): return d.message
        }
    }
}

/// Documented size limits: beyond them symdiff fails with a clear error instead of thrashing.
public enum Limits {
    /// Most graph nodes a program may build (forward and backward together).
    public static let maxNodes = 20_000_000
    /// Most syntax-tree nodes a program may have: the backward pass adds up to about three
    /// nodes per forward node, so a larger program could not fit in `maxNodes` anyway, and it
    /// is refused before any work (a 15 MB product was refused only after 211 s and 6.9 GB).
    public static let maxProgramNodes = maxNodes / 4
    /// Largest graph on which full canonical simplification runs; larger closed forms are left
    /// in their light-simplified (still linear-size) form.
    public static let maxSimplifyNodes = 200_000
}
