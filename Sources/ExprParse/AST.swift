/// The index of a node in a `Program`'s node arena. Children always have smaller indices than
/// their parents, so iterating `nodes` in order is a bottom-up (topological) walk: nothing that
/// consumes an AST needs recursion, which keeps a 10^6-term sum or a deep chain off the stack.
public struct ASTNodeID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let index: Int
    public init(_ index: Int) { self.index = index }
    public static func < (lhs: ASTNodeID, rhs: ASTNodeID) -> Bool { lhs.index < rhs.index }
    public var description: String { "#\(index)" }
}

/// A number as written. The text is kept so that `0.1` or `2/3` stay exact downstream; `value`
/// is the nearest Double (the parser rejects literals outside Double's finite range).
public struct NumberLiteral: Hashable, Sendable {
    public var text: String
    public var value: Double
    public init(text: String, value: Double) {
        self.text = text
        self.value = value
    }
}

/// Prefix operators.
public enum UnaryOperator: String, Hashable, Sendable {
    case negate = "-"
    case plus = "+"
}

/// Infix operators. `**` parses to `.power`; implicit multiplication (`2x`) to `.multiply`.
public enum BinaryOperator: String, Hashable, Sendable, CaseIterable {
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"
    case power = "^"

    /// Binding strength: larger binds tighter. Unary minus sits between `*` and `^`
    /// (`-x^2` is `-(x^2)`), see `unaryPrecedence`.
    public var precedence: Int {
        switch self {
        case .add, .subtract: return 1
        case .multiply, .divide: return 2
        case .power: return 4
        }
    }

    public var isRightAssociative: Bool { self == .power }

    /// The precedence of prefix `-` and `+`.
    public static let unaryPrecedence = 3
}

/// What an AST node is.
public enum ASTNodeKind: Hashable, Sendable {
    case number(NumberLiteral)
    case constant(NamedConstant)
    /// A name: an input, or a name assigned by an earlier statement.
    case variable(String)
    case unary(UnaryOperator, ASTNodeID)
    case binary(BinaryOperator, ASTNodeID, ASTNodeID)
    case call(Function, [ASTNodeID])
    /// Placeholder the parser inserts where it reported an error and recovered.
    case error
}

/// One node of the AST: what it is and where it was written.
public struct ASTNode: Hashable, Sendable {
    public var kind: ASTNodeKind
    public var range: SourceRange
    public init(kind: ASTNodeKind, range: SourceRange) {
        self.kind = kind
        self.range = range
    }

    /// The node's children, in order.
    public var children: [ASTNodeID] {
        switch kind {
        case .number, .constant, .variable, .error: return []
        case .unary(_, let operand): return [operand]
        case .binary(_, let lhs, let rhs): return [lhs, rhs]
        case .call(_, let arguments): return arguments
        }
    }
}

/// `name = value` or a bare expression (`name == nil`).
public struct Statement: Hashable, Sendable {
    public var name: String?
    public var nameRange: SourceRange?
    public var value: ASTNodeID
    public var range: SourceRange
    public init(name: String?, nameRange: SourceRange?, value: ASTNodeID, range: SourceRange) {
        self.name = name
        self.nameRange = nameRange
        self.value = value
        self.range = range
    }
}

/// A parsed program: statements over one node arena. A single expression is a program with one
/// bare statement. The last statement is the output; names used but never assigned are the
/// inputs, in order of first appearance.
public struct Program: Hashable, Sendable {
    public var nodes: [ASTNode]
    public var statements: [Statement]

    public init(nodes: [ASTNode], statements: [Statement]) {
        self.nodes = nodes
        self.statements = statements
    }

    public subscript(id: ASTNodeID) -> ASTNode { nodes[id.index] }

    /// The statement whose value is the program's result.
    public var output: Statement? { statements.last }

    /// The output's name when the last statement is an assignment (`z = 2x + y` gives `z`).
    public var outputName: String? { statements.last?.name }

    /// Names assigned by statements, in order.
    public var assignedNames: [String] { statements.compactMap(\.name) }

    /// Names that are read but never assigned: the program's inputs, in order of first appearance
    /// in the text.
    public var inputs: [String] {
        let assigned = Set(assignedNames)
        var seen = Set<String>()
        var result: [String] = []
        for node in nodes.sorted(by: { $0.range.start < $1.range.start }) {
            if case .variable(let name) = node.kind, !assigned.contains(name), seen.insert(name).inserted {
                result.append(name)
            }
        }
        return result
    }
}
