/// Printing a program back in the input language, with the fewest parentheses that keep the
/// tree the same: `parse(printed())` gives a structurally equal program. grammar.md describes
/// the style; tests hold the goldens.
extension Program {
    /// The whole program, one statement per line (`name = expr` or a bare expression). A bare
    /// statement after the first that would start with unary `+` is parenthesized, since a
    /// line starting with `+` continues the line before (grammar.md section 2).
    public func printed() -> String {
        var printer = ExpressionPrinter(program: self, style: .minimal)
        for declaration in declarations {
            printer.output += declaration.printed + "\n"
        }
        for (index, statement) in statements.enumerated() {
            if index > 0 { printer.output += "\n" }
            if let name = statement.name { printer.output += name + " = " }
            let mark = printer.output.utf8.count
            printer.write(statement.value)
            let start = printer.output.utf8.index(printer.output.startIndex, offsetBy: mark)
            if index > 0, statement.name == nil, printer.output[start...].first == "+" {
                printer.output.insert("(", at: start)
                printer.output += ")"
            }
        }
        return printer.output
    }

    /// One expression, the subtree rooted at `id`.
    public func printed(_ id: ASTNodeID) -> String {
        var printer = ExpressionPrinter(program: self, style: .minimal)
        printer.write(id)
        return printer.output
    }

    /// The expression with every operator application in parentheses, `-x^2` as `(-(x^2))`:
    /// the unambiguous form the precedence tests compare against.
    func fullyParenthesized(_ id: ASTNodeID) -> String {
        var printer = ExpressionPrinter(program: self, style: .full)
        printer.write(id)
        return printer.output
    }
}

extension Declaration {
    /// `W: (2, 3)`, `x: (3,)`, `b: ()`, `y: int`, `y: int (N,)`: the declaration as written
    /// in the language (a label's `()` is left out).
    public var printed: String {
        switch kind {
        case .real: return "\(name): " + DimensionSyntax.tupleText(dimensions)
        case .label: return "\(name): int" + (dimensions.isEmpty ? "" : " " + DimensionSyntax.tupleText(dimensions))
        }
    }
}

/// Writes expressions into one growing buffer with an explicit work stack. Neither recursion
/// (a 10^6-term sum is a 10^6-deep left spine) nor building strings bottom-up (quadratic copying
/// on such a spine) would do.
struct ExpressionPrinter {
    enum Style {
        /// Parentheses only where precedence and associativity require them.
        case minimal
        /// Parentheses around every unary and binary node.
        case full
    }

    private enum Item {
        case node(ASTNodeID)
        case text(String)
    }

    let program: Program
    let style: Style
    var output = ""

    init(program: Program, style: Style) {
        self.program = program
        self.style = style
    }

    mutating func write(_ root: ASTNodeID) {
        var stack: [Item] = [.node(root)]
        while let item = stack.popLast() {
            switch item {
            case .text(let text):
                output += text
            case .node(let id):
                guard program.nodes.indices.contains(id.index) else {
                    output += "<invalid \(id)>"
                    continue
                }
                let kind = program[id].kind
                if style == .full, precedence(of: id) != Int.max {
                    output += "("
                    stack.append(.text(")"))
                }
                switch kind {
                case .number(let literal): output += literal.text
                case .constant(let constant): output += constant.name
                case .variable(let name): output += name
                case .error: output += "<error>"
                case .unary(let op, let operand):
                    output += op.rawValue
                    push(operand, parenthesized: needsParenthesesUnderPrefix(operand), onto: &stack)
                case .binary(let op, let lhs, let rhs):
                    push(rhs, parenthesized: needsParentheses(rhs, under: op, isLeft: false), onto: &stack)
                    stack.append(.text(ExpressionPrinter.spelling(of: op)))
                    push(lhs, parenthesized: needsParentheses(lhs, under: op, isLeft: true), onto: &stack)
                case .call(let function, let arguments):
                    output += function.name + "("
                    stack.append(.text(")"))
                    pushList(arguments, onto: &stack)
                case .tensorCall(let function, let arguments, let keywords):
                    output += function.name + "("
                    stack.append(.text(keywords.map { ", \($0.name)=\($0.value.text)" }.joined() + ")"))
                    pushList(arguments, onto: &stack)
                case .array(let elements, let shape):
                    pushArray(elements, shape: shape, onto: &stack)
                case .shapeTuple(let dimensions):
                    output += DimensionSyntax.tupleText(dimensions)
                case .transpose(let operand):
                    stack.append(.text(".T"))
                    // `2.T` would read as the malformed number `2.`: a number is parenthesized.
                    push(operand, parenthesized: precedence(of: operand) != Int.max || isNumber(operand), onto: &stack)
                case .index(let base, let indices):
                    stack.append(.text("]"))
                    pushList(indices, onto: &stack)
                    stack.append(.text("["))
                    push(base, parenthesized: precedence(of: base) != Int.max, onto: &stack)
                }
            }
        }
    }

    private func isNumber(_ id: ASTNodeID) -> Bool {
        guard program.nodes.indices.contains(id.index), case .number = program[id].kind else { return false }
        return true
    }

    /// Pushes `a, b, c` so that it pops in order.
    private func pushList(_ items: [ASTNodeID], onto stack: inout [Item]) {
        for (index, item) in items.enumerated().reversed() {
            stack.append(.node(item))
            if index > 0 { stack.append(.text(", ")) }
        }
    }

    /// Pushes a nested list `[[a, b], [c, d]]` of row-major `elements` with `shape`.
    private func pushArray(_ elements: [ASTNodeID], shape: [Int], onto stack: inout [Item]) {
        // Build the token sequence front to back, then push it reversed.
        var items: [Item] = []
        func emit(_ axis: Int, _ offset: Int) -> Int {
            if axis == shape.count {
                items.append(.node(elements[offset]))
                return offset + 1
            }
            items.append(.text("["))
            var next = offset
            for i in 0..<shape[axis] {
                if i > 0 { items.append(.text(", ")) }
                next = emit(axis + 1, next)
            }
            items.append(.text("]"))
            return next
        }
        if elements.count == shape.reduce(1, *) { _ = emit(0, 0) } else { items.append(.text("<invalid array>")) }
        stack.append(contentsOf: items.reversed())
    }

    /// `+` and `-` are spaced, `*`, `/` and `^` are not: `x^2 + 2*y`.
    static func spelling(of op: BinaryOperator) -> String {
        switch op {
        case .add, .subtract: return " \(op.rawValue) "
        case .multiply, .divide, .power: return op.rawValue
        case .matmul: return " @ "
        }
    }

    /// Pushes a child so that it pops before anything pushed earlier; the closing parenthesis
    /// goes on first so it comes out last.
    private func push(_ child: ASTNodeID, parenthesized: Bool, onto stack: inout [Item]) {
        if parenthesized { stack.append(.text(")")) }
        stack.append(.node(child))
        if parenthesized { stack.append(.text("(")) }
    }

    /// How tightly a node binds when printed: operators by their precedence, unary at 3,
    /// everything else (names, numbers, calls) as an atom. A negative literal, which the parser
    /// never makes but another module might, binds like unary minus.
    private func precedence(of id: ASTNodeID) -> Int {
        guard program.nodes.indices.contains(id.index) else { return Int.max }
        switch program[id].kind {
        case .binary(let op, _, _): return op.precedence
        case .unary: return BinaryOperator.unaryPrecedence
        case .number(let literal): return literal.text.hasPrefix("-") ? BinaryOperator.unaryPrecedence : Int.max
        case .constant, .variable, .call, .error, .tensorCall, .array, .shapeTuple, .transpose, .index: return Int.max
        }
    }

    /// Parentheses for an operand of a binary operator. A unary operand needs them only as the
    /// base of `^` (`(-x)^2`): after `+ - * /` and as an exponent (`2^-x`) the grammar takes a
    /// unary expression directly.
    private func needsParentheses(_ child: ASTNodeID, under op: BinaryOperator, isLeft: Bool) -> Bool {
        guard style == .minimal else { return false }
        let childPrecedence = precedence(of: child)
        if childPrecedence == BinaryOperator.unaryPrecedence { return op == .power && isLeft }
        if childPrecedence != op.precedence { return childPrecedence < op.precedence }
        // Equal precedence: only the side the operator associates towards may go bare.
        return isLeft == op.isRightAssociative
    }

    /// Parentheses for the operand of a prefix operator: needed for `+ - * /` (`-(x*y)`, since
    /// `-x*y` is `(-x)*y`), not for `^` (`-x^2` is `-(x^2)`) or another prefix (`--x`).
    private func needsParenthesesUnderPrefix(_ child: ASTNodeID) -> Bool {
        guard style == .minimal else { return false }
        return precedence(of: child) < BinaryOperator.unaryPrecedence
    }
}
