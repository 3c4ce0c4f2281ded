import ExprParse
import Symbolic

/// One statement of a generated function body, before a language formats it.
public enum BodyLine: Hashable, Sendable {
    /// A comment line (without the comment marker).
    case comment(String)
    /// The first assignment of `name`.
    case define(name: String, expression: String)
    /// `name = name + expression`: an adjoint receiving a further contribution.
    case accumulate(name: String, expression: String)
    /// `name = name - expression`: a further contribution through a negation.
    case decrement(name: String, expression: String)
}

/// A generated function in language-neutral form: the driver (`emit`) fills it in, an
/// `Emitter` writes it out.
public struct GeneratedFunction: Hashable, Sendable {
    /// The function's name.
    public var name: String
    /// Parameter names, in input order, as spelled in the generated code.
    public var parameters: [String]
    /// The variable holding the value.
    public var valueName: String
    /// The variables holding ∂value/∂parameter, in parameter order.
    public var partialNames: [String]
    /// The program as the documentation shows it, e.g. `f(x, y, z) = (x + y)*z`.
    public var summary: String
    /// Variables renamed away from reserved names.
    public var renamed: [Renaming]
    /// The statements between the parameter conversion and the return.
    public var body: FunctionBody

    /// A function with the given parts.
    public init(name: String, parameters: [String], valueName: String, partialNames: [String], summary: String,
                renamed: [Renaming], body: FunctionBody) {
        self.name = name
        self.parameters = parameters
        self.valueName = valueName
        self.partialNames = partialNames
        self.summary = summary
        self.renamed = renamed
        self.body = body
    }
}

/// A target language: how it spells the math (its `Dialect`, whose `call` is the visitor-style
/// per-function hook and `power`/`number`/`constant` the per-op ones), which names it reserves,
/// and how it lays out a function.
///
/// The driver (`emit`) does everything that is the same in every language: naming, staging,
/// hoisting, the order of statements. An emitter only answers the questions below, so a new
/// language is one dialect and one emitter.
public protocol Emitter {
    /// The dialect type the printer writes expressions in.
    associatedtype Spelling: Dialect

    /// The language this emitter writes.
    var language: Language { get }
    /// How the language spells numbers, constants, calls and operators.
    var dialect: Spelling { get }
    /// Names no generated variable may have (keywords, builtins, names the code relies on).
    var reservedVariableNames: Set<String> { get }
    /// Names the generated function may not have.
    var reservedFunctionNames: Set<String> { get }
    /// Whether the dialect's spelling of `function` writes an argument more than once, which
    /// the driver then hoists into a temporary unless it is a plain name or constant.
    func repeatsArgument(_ function: Function) -> Bool
    /// The derivative of an input the output ignores, given the value's name.
    func zero(forInput input: String, value: String) -> String
    /// The expression a partial derivative variable becomes once the backward pass is done
    /// (given the value's name), or `nil` to return it as it is. The seed d<value>/d<value> = 1
    /// is folded into the backward pass (a term straight from the value is its partial alone),
    /// so array code gives each partial its final shape here, once.
    func returnedPartial(_ partial: String, value: String) -> String?
    /// The value when it is a constant expression (`2`, `pi`), so that it has the language's
    /// floating-point type.
    func constantValue(_ expression: String) -> String
    /// Spellings for nodes that must not be printed by the standard rules in this language
    /// (constants Python arithmetic cannot compute, operands Swift cannot negate), given the
    /// nodes that will be printed, ascending, and the names already assigned. A pinned node
    /// that also has a name is defined by its pinned spelling.
    func pinnedNames(_ graph: Graph, nodes: [NodeID], names: NodeMap<String>) -> NodeMap<String>
    /// The whole file for `function`.
    func render(_ function: GeneratedFunction) -> String
}

extension Emitter {
    /// Whether `name` can name a generated function in this language.
    public func isValidFunctionName(_ name: String) -> Bool {
        Identifier.isValid(name) && !reservedFunctionNames.contains(name)
    }
}
