/// Parentheses, calls and argument lists, line continuation, and the expression loop's
/// recovery paths.
extension Parser.Session {
    /// `f()` with nothing between the parentheses: a call with zero arguments, which the arity
    /// check then reports. (Empty plain parentheses are a missing expression instead.)
    var closesEmptyCall: Bool {
        guard case .group(let group) = pending.last, group.operandBase == operands.count else { return false }
        return group.kind != .parentheses
    }

    /// True when the token before the current one is an operator, so a line break here
    /// continues the expression (`x +` at the end of a line).
    var previousIsOperator: Bool {
        guard let previous else { return false }
        switch previous.kind {
        case .plus, .minus, .star, .slash, .caret, .starStar: return true
        default: return false
        }
    }

    /// Whether the line break at the current token is skipped. It is inside parentheses and
    /// after an operator, except before `name =`: an assignment can only start a statement,
    /// so there the earlier line was unfinished and reporting that is more helpful.
    func continuesOverLineBreak(insideGroup: Bool) -> Bool {
        insideGroup && !startsAssignment(at: position + 1)
    }

    /// True at a line break when the next line starts with a token that cannot (or would
    /// pointlessly) start a statement, such as `*` or `+`: that line continues this statement.
    /// Blank and comment lines in between are already folded into the one line-break token.
    var nextLineContinues: Bool {
        current.kind == .newline && peek().kind.lineStart == .continuesStatement
    }

    /// Whether `name =` starts at token `index`: only a statement can begin that way.
    func startsAssignment(at index: Int) -> Bool {
        index + 1 < tokens.count && tokens[index].kind == .identifier && tokens[index + 1].kind == .equals
    }

    /// A `,` in a call ends one argument. In plain parentheses it is an error, after which the
    /// group is parsed on like a call so that later problems are still found.
    mutating func startNextArgument(at comma: Token) {
        reduce(before: 0, rightAssociative: false)
        guard case .group(var group) = pending.last else { return }
        if group.kind == .parentheses {
            report(id: "unexpected-token", "unexpected ','", at: comma.range,
                   notes: ["note: only a function call takes several arguments, as in 'max(a, b)'"])
            group.kind = .tuple
            pending[pending.count - 1] = .group(group)
        }
    }

    /// Closes the innermost group at `closing` (nil when it was never closed) and pushes the
    /// resulting operand: the parenthesized expression, a call, or an error node.
    mutating func closeGroup(at closing: Token?) {
        reduce(before: 0, rightAssociative: false)
        guard case .group(let group) = pending.popLast() else { return }
        openGroups -= 1
        let arguments = Array(operands[group.operandBase...])
        operands.removeSubrange(group.operandBase...)
        let end = closing?.range.end ?? arguments.last?.range.end ?? group.open.end
        let range = SourceRange(start: group.start, end: end)
        switch group.kind {
        case .parentheses:
            if arguments.count == 1, let inner = arguments.first {
                operands.append(Operand(id: inner.id, range: range))
                return
            }
        case .call(let function):
            if arguments.count == function.arity {
                operands.append(Operand(id: add(.call(function, arguments.map(\.id)), at: range), range: range))
                return
            }
            let noun = function.arity == 1 ? "argument" : "arguments"
            report(id: "wrong-arity", "'\(group.name)' takes \(function.arity) \(noun), got \(arguments.count)",
                   at: range)
        case .unknownCall, .tuple:
            break
        }
        operands.append(Operand(id: add(.error, at: range), range: range))
    }

    /// Builds the remaining pending operators; every `(` still open is reported where it opened.
    mutating func finishExpression() -> Operand {
        while openGroups > 0 {
            reduce(before: 0, rightAssociative: false)
            if case .group(let group) = pending.last {
                report(id: "unclosed-paren", "'(' is never closed", at: group.open,
                       notes: ["note: expected ')' before \(current.quoted)"])
            }
            closeGroup(at: nil)
        }
        reduce(before: 0, rightAssociative: false)
        if let result = operands.last { return result }
        let here = SourceRange(start: current.range.start, end: current.range.start)
        return Operand(id: add(.error, at: here), range: here)
    }

    /// After `nesting-too-deep`: skips to the end of the statement (a `;`, a line break outside
    /// the parentheses still open and not before a continuation line, or one before `name =`)
    /// and stands one error node in for the expression.
    mutating func abandonExpression(from start: SourceLocation) -> Operand {
        var balance = openGroups
        var end = start
        scan: while true {
            switch current.kind {
            case .end, .semicolon: break scan
            case .newline where (balance == 0 && !nextLineContinues) || startsAssignment(at: position + 1): break scan
            case .leftParen: balance += 1
            case .rightParen: balance = max(0, balance - 1)
            default: break
            }
            end = current.range.end
            advance()
        }
        pending.removeAll(keepingCapacity: true)
        operands.removeAll(keepingCapacity: true)
        openGroups = 0
        let range = SourceRange(start: start, end: end)
        return Operand(id: add(.error, at: range), range: range)
    }

    // MARK: - Reports

    /// "expected an expression after '+'", pointing at the operator, `(`, `,` or `=` that wants
    /// an operand; at the start of an expression, "expected an expression before ..." instead.
    mutating func reportMissingOperand(before token: Token) {
        var index = position - 1
        while index >= 0, tokens[index].kind == .newline { index -= 1 }
        if index >= 0 {
            let previous = tokens[index]
            switch previous.kind {
            case .plus, .minus, .star, .slash, .caret, .starStar, .leftParen, .comma, .equals:
                report(id: "expected-expression", "expected an expression after '\(previous.text)'",
                       at: previous.range)
                return
            default:
                break
            }
        }
        report(id: "expected-expression", "expected an expression before \(token.quoted)", at: token.range)
    }

    /// A number right after an operand: `2 3` (two numbers) or `x 2`, `)2`.
    mutating func reportMissingOperator(before number: Token) {
        if let previous, previous.kind == .number {
            report(id: "adjacent-numbers", "two numbers side by side",
                   at: previous.range.union(number.range),
                   notes: ["note: write '\(previous.text)*\(number.text)' to multiply"])
        } else {
            report(id: "missing-operator", "expected an operator before '\(number.text)'", at: number.range,
                   notes: ["note: a number cannot follow a name or ')' directly; write '*' to multiply"])
        }
    }

    mutating func reportStrayParenthesis(_ token: Token) {
        report(id: "unexpected-paren", "unmatched ')'", at: token.range)
    }
}
