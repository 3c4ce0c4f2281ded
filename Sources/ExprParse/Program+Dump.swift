/// A tree dump for tests and debugging, one node per line with its source range:
/// ```
/// program
///   statement z @1:1-1:7
///     binary * @1:5-1:7
///       number 2 @1:5-1:6
///       variable x @1:6-1:7
/// ```
extension Program {
    /// The indented tree of every statement, with `@line:col-line:col` ranges. Written with an
    /// explicit stack, so deep trees cannot overflow; the text itself grows with depth times
    /// size, so it is meant for the small trees of tests.
    public func dump() -> String {
        var output = "program"
        for declaration in declarations {
            output += "\n  declaration \(declaration.printed) @\(declaration.range)"
        }
        var stack: [(id: ASTNodeID, depth: Int)] = []
        for statement in statements {
            output += "\n  "
            if let name = statement.name {
                output += "statement \(name) @\(statement.range)"
            } else {
                output += "statement @\(statement.range)"
            }
            stack.append((statement.value, 2))
            while let (id, depth) = stack.popLast() {
                output += "\n" + String(repeating: "  ", count: depth)
                guard nodes.indices.contains(id.index) else {
                    output += "invalid \(id)"
                    continue
                }
                let node = self[id]
                output += Program.label(of: node.kind) + " @\(node.range)"
                for child in node.children.reversed() { stack.append((child, depth + 1)) }
            }
        }
        return output
    }

    /// `binary *`, `number 3.14`, `call sin`, ...: the node's kind and its own data.
    static func label(of kind: ASTNodeKind) -> String {
        switch kind {
        case .number(let literal): return "number \(literal.text)"
        case .constant(let constant): return "constant \(constant.name)"
        case .variable(let name): return "variable \(name)"
        case .unary(let op, _): return "unary \(op.rawValue)"
        case .binary(let op, _, _): return "binary \(op.rawValue)"
        case .call(let function, _): return "call \(function.name)"
        case .tensorCall(let function, _, let keywords):
            return "call \(function.name)" + keywords.map { " \($0.name)=\($0.value.text)" }.joined()
        case .array(_, let shape): return "array " + DimensionSyntax.tupleText(shape.map(DimensionSyntax.size))
        case .shapeTuple(let dimensions): return "shape " + DimensionSyntax.tupleText(dimensions)
        case .transpose: return "transpose .T"
        case .index: return "index"
        case .error: return "error"
        }
    }
}
