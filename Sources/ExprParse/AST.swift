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
    /// NumPy's matrix product `@` (same precedence as `*`, as in Python).
    case matmul = "@"

    /// Binding strength: larger binds tighter. Unary minus sits between `*` and `^`
    /// (`-x^2` is `-(x^2)`), see `unaryPrecedence`.
    public var precedence: Int {
        switch self {
        case .add, .subtract: return 1
        case .multiply, .divide, .matmul: return 2
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
    /// A call of a tensor function, with keyword arguments (`sum(x, axis=1)`).
    case tensorCall(TensorFunction, [ASTNodeID], [KeywordArgument])
    /// An array literal `[[1, -1], [0, 2]]`: its elements in row-major order (each a scalar
    /// expression) and its shape (`[2, 2]`); the parser rejects ragged rows.
    case array([ASTNodeID], shape: [Int])
    /// A shape tuple `(B, -1)`, the second argument of `reshape`.
    case shapeTuple([DimensionSyntax])
    /// Postfix `.T`: the transpose of the last two axes.
    case transpose(ASTNodeID)
    /// `base[i]` or `base[i, j]`: each index an integer literal, a label input or `arange(N)`.
    case index(ASTNodeID, [ASTNodeID])
    /// Placeholder the parser inserts where it reported an error and recovered.
    case error
}

/// One node of the AST: what it is and where it was written.
///
/// The range is stored packed (`PackedSourceRange`): 56 bytes a node instead of 80.
public struct ASTNode: Hashable, Sendable {
    public var kind: ASTNodeKind
    private var packedRange: PackedSourceRange
    public var range: SourceRange {
        get { packedRange.range }
        set { packedRange = PackedSourceRange(newValue) }
    }

    public init(kind: ASTNodeKind, range: SourceRange) {
        self.kind = kind
        packedRange = PackedSourceRange(range)
    }

    /// `range.start.offset`, without unpacking the range.
    var startOffset: Int { packedRange.startOffsetValue }

    /// The node's children, in order.
    public var children: [ASTNodeID] {
        switch kind {
        case .number, .constant, .variable, .error, .shapeTuple: return []
        case .unary(_, let operand): return [operand]
        case .binary(_, let lhs, let rhs): return [lhs, rhs]
        case .call(_, let arguments), .tensorCall(_, let arguments, _), .array(let arguments, _): return arguments
        case .transpose(let operand): return [operand]
        case .index(let base, let indices): return [base] + indices
        }
    }
}

/// `name = value` or a bare expression (`name == nil`).
///
/// The ranges are stored packed (`PackedSourceRange`): 80 bytes a statement instead of 128.
public struct Statement: Hashable, Sendable {
    public var name: String?
    public var value: ASTNodeID
    private var packedRange: PackedSourceRange
    private var packedNameRange: PackedSourceRange?

    public var nameRange: SourceRange? {
        get { packedNameRange?.range }
        set { packedNameRange = newValue.map(PackedSourceRange.init) }
    }

    public var range: SourceRange {
        get { packedRange.range }
        set { packedRange = PackedSourceRange(newValue) }
    }

    public init(name: String?, nameRange: SourceRange?, value: ASTNodeID, range: SourceRange) {
        self.name = name
        self.value = value
        packedRange = PackedSourceRange(range)
        packedNameRange = nameRange.map(PackedSourceRange.init)
    }
}

/// A parsed program: statements over one node arena. A single expression is a program with one
/// bare statement. The last statement is the output; names used but never assigned are the
/// inputs, in order of first appearance.
public struct Program: Hashable, Sendable {
    public var nodes: [ASTNode]
    public var statements: [Statement]
    /// Shape declarations (`W: (2, 2)`), in the order written.
    public var declarations: [Declaration]
    /// The `.multiply` nodes written by juxtaposition (`2x`, `W x`): Symbolic refuses a
    /// juxtaposition of two non-scalars, which a student could mean as `@` or as `*`.
    public var juxtapositions: Set<ASTNodeID>

    public init(nodes: [ASTNode], statements: [Statement], declarations: [Declaration] = [], juxtapositions: Set<ASTNodeID> = []) {
        self.nodes = nodes
        self.statements = statements
        self.declarations = declarations
        self.juxtapositions = juxtapositions
    }

    public subscript(id: ASTNodeID) -> ASTNode { nodes[id.index] }

    /// The statement whose value is the program's result.
    public var output: Statement? { statements.last }

    /// The output's name when the last statement is an assignment (`z = 2x + y` gives `z`).
    public var outputName: String? { statements.last?.name }

    /// Names assigned by statements, in order.
    public var assignedNames: [String] { statements.compactMap(\.name) }

    /// The program's inputs: declared names in declaration order, then names that are read but
    /// never assigned, in order of first appearance in the text. A dimension name (`N` in
    /// `X: (N, 3)`) is not an input, even where it is read (`arange(N)`): the values' shapes bind it.
    public var inputs: [String] {
        let assigned = Set(assignedNames)
        var seen = Set<String>()
        var result: [String] = []
        for declaration in declarations where seen.insert(declaration.name).inserted {
            result.append(declaration.name)
        }
        seen.formUnion(dimensionNames)
        // The first read of each name in source order (nodes are not quite in source order:
        // recovery adds some late), found without sorting a copy of the nodes, which at chain
        // 262144 took 126 MB at the start of the ProgramGraph phase. Ties at one offset go to
        // the earlier node, as the stable sort of the nodes did.
        var firstRead: [String: (offset: Int, index: Int)] = [:]
        for (index, node) in nodes.enumerated() {
            guard case .variable(let name) = node.kind, !seen.contains(name), !assigned.contains(name) else { continue }
            let offset = node.startOffset
            if let earlier = firstRead[name], earlier.offset <= offset { continue }
            firstRead[name] = (offset, index)
        }
        result += firstRead.sorted { ($0.value.offset, $0.value.index) < ($1.value.offset, $1.value.index) }.map(\.key)
        return result
    }

    /// The named dimensions of the declarations (`N`, `B`), in order of first appearance.
    public var dimensionNames: [String] {
        var seen = Set<String>()
        var result: [String] = []
        for declaration in declarations {
            for case .named(let name) in declaration.dimensions where seen.insert(name).inserted { result.append(name) }
        }
        return result
    }

    /// The declaration of `name`, if it has one.
    public func declaration(of name: String) -> Declaration? {
        declarations.first { $0.name == name }
    }
}
