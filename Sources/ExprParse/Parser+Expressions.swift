/// Expressions, parsed by an operator-precedence loop with explicit stacks instead of recursion:
/// the operand stack holds finished subtrees, the pending stack holds prefix operators, binary
/// operators waiting for their right operand, and open parentheses and calls. Each token is
/// looked at once, so the cost is linear, and the stacks grow only with nesting, which is capped
/// at `Parser.maxNestingDepth`.
extension Parser.Session {
    /// A finished subtree and the source it covers, including any parentheses around it (the
    /// AST has no parenthesis nodes, but `(x + y)z` should span from the `(`).
    struct Operand {
        var id: ASTNodeID
        var range: SourceRange
    }

    /// An open `(`: plain grouping, a call, or something already reported as an error.
    struct Group {
        enum Kind: Equatable {
            case parentheses
            case call(Function)
            /// `sigmod(x)`: reported as an unknown function; arguments are parsed for recovery.
            case unknownCall
            /// `(a, b)`: reported; parsed on like a call.
            case tuple
        }
        var kind: Kind
        /// The `(` token's range, where an unclosed-parenthesis error points.
        var open: SourceRange
        /// Where the whole group starts: the `(`, or the function name of a call.
        var start: SourceLocation
        /// The function name as written, for messages.
        var name: String
        /// The operand stack's height when the group opened; the arguments sit above it.
        var operandBase: Int
    }

    enum Pending {
        case binary(BinaryOperator)
        case unary(UnaryOperator, start: SourceLocation)
        case group(Group)
    }

    /// Parses one expression and stops before the first token that cannot continue it (`;`, a
    /// line break outside parentheses, `=`, a `,` outside calls, or the end).
    mutating func parseExpression() -> Operand {
        pending.removeAll(keepingCapacity: true)
        operands.removeAll(keepingCapacity: true)
        openGroups = 0
        nestingExceeded = false
        let start = current.range.start
        var expectingOperand = true
        loop: while !shouldStop {
            if nestingExceeded { return abandonExpression(from: start) }
            work += 1
            let token = current
            if expectingOperand {
                switch token.kind {
                case .number:
                    let value = Double(token.text) ?? 0
                    pushOperand(.number(NumberLiteral(text: token.text, value: value)), at: token.range)
                    advance()
                    expectingOperand = false
                case .identifier:
                    expectingOperand = parseName(token)
                case .minus, .plus:
                    if push(.unary(token.kind == .minus ? .negate : .plus, start: token.range.start), at: token) {
                        advance()
                    }
                case .leftParen:
                    let group = Group(kind: .parentheses, open: token.range, start: token.range.start,
                                      name: "", operandBase: operands.count)
                    if push(.group(group), at: token) { advance() }
                case .newline where continuesOverLineBreak(insideGroup: openGroups > 0 || previousIsOperator):
                    advance()
                case .rightParen where closesEmptyCall:
                    closeGroup(at: token)
                    advance()
                    expectingOperand = false
                case .rightParen where openGroups == 0:
                    reportStrayParenthesis(token)
                    advance()
                default:
                    reportMissingOperand(before: token)
                    pushOperand(.error, at: SourceRange(start: token.range.start, end: token.range.start))
                    expectingOperand = false
                }
            } else {
                switch token.kind {
                case .plus, .minus, .star, .slash, .caret, .starStar:
                    let op = token.binaryOperator ?? .multiply
                    reduce(before: op.precedence, rightAssociative: op.isRightAssociative)
                    if push(.binary(op), at: token) {
                        advance()
                        expectingOperand = true
                    }
                case .identifier, .leftParen:
                    // Implicit multiplication: `2x`, `(x+1)(x-1)`. The token is not consumed; it
                    // starts the right operand, which binds like the right operand of `*`.
                    reduce(before: BinaryOperator.multiply.precedence, rightAssociative: false)
                    if push(.binary(.multiply), at: token) { expectingOperand = true }
                case .number:
                    reportMissingOperator(before: token)
                    reduce(before: BinaryOperator.multiply.precedence, rightAssociative: false)
                    if push(.binary(.multiply), at: token) { expectingOperand = true }
                case .rightParen:
                    if openGroups > 0 { closeGroup(at: token) } else { reportStrayParenthesis(token) }
                    advance()
                case .comma where openGroups > 0:
                    startNextArgument(at: token)
                    advance()
                    expectingOperand = true
                case .newline where continuesOverLineBreak(insideGroup: openGroups > 0) || nextLineContinues:
                    advance()
                default:
                    break loop
                }
            }
        }
        if expectingOperand {
            pushOperand(.error, at: SourceRange(start: current.range.start, end: current.range.start))
        }
        return finishExpression()
    }

    // MARK: - Names

    /// A name in operand position: a call, a constant, a variable, or an unknown function.
    /// Returns whether an operand is still expected (true after opening a call).
    private mutating func parseName(_ token: Token) -> Bool {
        let name = token.text
        let next = peek()
        if let function = Function.named(name) {
            guard next.kind == .leftParen else {
                report(id: "function-without-call", "'\(name)' is a function; call it as '\(name)(...)'",
                       at: token.range)
                pushOperand(.error, at: token.range)
                advance()
                return false
            }
            openCall(.call(function), name: token, parenthesis: next)
            return true
        }
        if let constant = NamedConstant(rawValue: name) {
            pushOperand(.constant(constant), at: token.range)
            advance()
            return false
        }
        // `x(y+1)` multiplies, and so does a name assigned earlier; any other longer name before
        // `(` is far more likely a misspelled function than a product (see grammar.md).
        let assignedEarlier = (assignments[name]?.statement ?? Int.max) < statements.count
        if next.kind == .leftParen, name.count > 1, !assignedEarlier {
            var message = "unknown function '\(name)'"
            if let suggestion = Suggestions.nearestFunction(to: name) {
                message += "; did you mean '\(suggestion)'?"
            }
            report(id: "unknown-function", message, at: token.range,
                   notes: ["note: to multiply, write '\(name)*(...)'"])
            openCall(.unknownCall, name: token, parenthesis: next)
            return true
        }
        pushOperand(.variable(name), at: token.range)
        advance()
        return false
    }

    private mutating func openCall(_ kind: Group.Kind, name: Token, parenthesis: Token) {
        let group = Group(kind: kind, open: parenthesis.range, start: name.range.start,
                          name: name.text, operandBase: operands.count)
        if push(.group(group), at: name) {
            advance()
            advance()
        }
    }

    // MARK: - Stacks

    private mutating func pushOperand(_ kind: ASTNodeKind, at range: SourceRange) {
        operands.append(Operand(id: add(kind, at: range), range: range))
    }

    /// Pushes a pending operator unless that would nest deeper than allowed; then it reports
    /// the error once and the main loop abandons the expression.
    @discardableResult
    private mutating func push(_ entry: Pending, at token: Token) -> Bool {
        guard pending.count < Parser.maxNestingDepth else {
            report(id: "nesting-too-deep",
                   "expression is nested too deeply (more than \(Parser.maxNestingDepth) levels)",
                   at: token.range,
                   notes: ["note: split it into several statements, as in 'a = ...; b = ...'"])
            nestingExceeded = true
            return false
        }
        if case .group = entry { openGroups += 1 }
        pending.append(entry)
        return true
    }

    /// Builds the nodes of pending operators that bind at least as tightly as an incoming binary
    /// operator of `precedence` (strictly more tightly if it is right-associative).
    mutating func reduce(before precedence: Int, rightAssociative: Bool) {
        while let top = pending.last {
            let topPrecedence: Int
            switch top {
            case .binary(let op): topPrecedence = op.precedence
            case .unary: topPrecedence = BinaryOperator.unaryPrecedence
            case .group: return
            }
            guard topPrecedence > precedence || (topPrecedence == precedence && !rightAssociative) else { return }
            pending.removeLast()
            work += 1
            switch top {
            case .binary(let op):
                let rhs = popOperand()
                let lhs = popOperand()
                let range = lhs.range.union(rhs.range)
                operands.append(Operand(id: add(.binary(op, lhs.id, rhs.id), at: range), range: range))
            case .unary(let op, let start):
                let operand = popOperand()
                let range = SourceRange(start: start, end: operand.range.end)
                operands.append(Operand(id: add(.unary(op, operand.id), at: range), range: range))
            case .group:
                return
            }
        }
    }

    /// The stacks are balanced by construction; should that ever fail, an error node keeps the
    /// tree well-formed rather than crashing on user input.
    private mutating func popOperand() -> Operand {
        if let operand = operands.popLast() { return operand }
        let here = SourceRange(start: current.range.start, end: current.range.start)
        return Operand(id: add(.error, at: here), range: here)
    }
}
