/// Comparing programs by shape, ignoring where things were written.
extension Program {
    /// True when both programs have the same statements (names and trees), ignoring source
    /// ranges and how the node arenas are laid out. Numbers compare by their text, so `2` and
    /// `2.0` differ, as they print differently. Iterative, for arbitrarily deep trees.
    public func structurallyEqual(_ other: Program) -> Bool {
        guard statements.count == other.statements.count else { return false }
        // Declarations compare by what they declare, not where.
        guard declarations.map(\.printed) == other.declarations.map(\.printed) else { return false }
        var stack: [(ASTNodeID, ASTNodeID)] = []
        for (mine, theirs) in zip(statements, other.statements) {
            guard mine.name == theirs.name else { return false }
            stack.append((mine.value, theirs.value))
        }
        while let (mine, theirs) = stack.popLast() {
            guard nodes.indices.contains(mine.index), other.nodes.indices.contains(theirs.index) else { return false }
            let left = self[mine], right = other[theirs]
            guard Program.sameShape(left.kind, right.kind) else { return false }
            let leftChildren = left.children, rightChildren = right.children
            guard leftChildren.count == rightChildren.count else { return false }
            stack.append(contentsOf: zip(leftChildren, rightChildren))
        }
        return true
    }

    /// Same kind and same own data, children not compared.
    private static func sameShape(_ a: ASTNodeKind, _ b: ASTNodeKind) -> Bool {
        switch (a, b) {
        case (.number(let x), .number(let y)): return x.text == y.text
        case (.constant(let x), .constant(let y)): return x == y
        case (.variable(let x), .variable(let y)): return x == y
        case (.unary(let x, _), .unary(let y, _)): return x == y
        case (.binary(let x, _, _), .binary(let y, _, _)): return x == y
        case (.call(let x, _), .call(let y, _)): return x == y
        case (.tensorCall(let x, _, let a), .tensorCall(let y, _, let b)):
            return x == y && a.map { [$0.name, $0.value.text] } == b.map { [$0.name, $0.value.text] }
        case (.array(_, let x), .array(_, let y)): return x == y
        case (.shapeTuple(let x), .shapeTuple(let y)): return x == y
        case (.transpose, .transpose), (.index, .index), (.error, .error): return true
        default: return false
        }
    }
}
