/// Parentheses, calls and argument lists, line continuation, and the expression loop's
/// recovery paths.
extension Parser.Session {
    /// `f()` with nothing between the parentheses: a call with zero arguments, which the arity
    /// check then reports. (Empty plain parentheses are a missing expression instead.)
    var closesEmptyCall: Bool {
        guard case .group(let group) = pending.last, group.operandBase == operands.count else { return false }
        return group.kind.isCall
    }

    /// `[]` or `x[]`: an empty array literal or index, reported, then closed.
    var closesEmptyBracket: Bool {
        guard case .group(let group) = pending.last, group.operandBase == operands.count else { return false }
        switch group.kind {
        case .array: return arrayFrames.last?.count == 0
        case .index: return true
        default: return false
        }
    }

    /// The keyword arguments given so far to the call `group`.
    func keywords(of group: Group) -> [KeywordArgument] {
        group.keywordSlot >= 0 ? keywordLists[group.keywordSlot] : []
    }

    /// Groups still open that the closer `closer` closes.
    func openCount(of closer: Group.Closer) -> Int {
        switch closer {
        case .parenthesis: return openGroups - openBrackets - openBars
        case .bracket: return openBrackets
        case .bars: return openBars
        }
    }

    /// Empties the expression loop's stacks (between statements, and after abandoning one).
    mutating func resetStacks() {
        pending.removeAll(keepingCapacity: true)
        operands.removeAll(keepingCapacity: true)
        arrayFrames.removeAll(keepingCapacity: true)
        keywordLists.removeAll(keepingCapacity: true)
        openGroups = 0
        openBrackets = 0
        openBars = 0
    }

    /// Closes the innermost group that `token` closes. Groups opened inside it are reported as
    /// unclosed and closed first (`(x]`, `||(x||`); a closer with no group to close is reported.
    mutating func closeMatching(_ token: Token, _ closer: Group.Closer) {
        guard openCount(of: closer) > 0 else {
            reportStrayCloser(token)
            return
        }
        while true {
            reduce(before: 0, rightAssociative: false)
            guard case .group(let group) = pending.last else { return }
            if group.kind.closer == closer { break }
            reportUnclosed(group, before: token)
            closeGroup(at: nil)
        }
        closeGroup(at: token)
    }

    /// True when the token before the current one is an operator, so a line break here
    /// continues the expression (`x +` at the end of a line).
    var previousIsOperator: Bool {
        guard let previous else { return false }
        switch previous.kind {
        case .plus, .minus, .star, .slash, .caret, .starStar, .at: return true
        default: return false
        }
    }

    /// Whether the line break at the current token is skipped. It is inside parentheses and
    /// after an operator, except before `name =`: an assignment can only start a statement,
    /// so there the earlier line was unfinished and reporting that is more helpful.
    func continuesOverLineBreak(insideGroup: Bool) -> Bool {
        insideGroup && (!startsAssignment(at: position + 1) || nextLineIsKeyword)
    }

    /// A line break in a call, before `axis=...` where the call takes `axis`: a keyword argument
    /// on its own line, not an assignment.
    private var nextLineIsKeyword: Bool {
        guard case .group(let group) = pending.last else { return false }
        let keyword = peek()
        switch group.kind {
        case .tensorCall(let function), .overloadedCall(_, let function):
            return function.keywords.contains(keyword.text)
        case .call, .unknownCall, .parentheses, .tuple, .array, .index, .norm:
            return false
        }
    }

    /// True at a line break when the next line starts with a token that cannot (or would
    /// pointlessly) start a statement, such as `*` or `+`: that line continues this statement.
    /// Blank and comment lines in between are already folded into the one line-break token.
    var nextLineContinues: Bool {
        current.kind == .newline && peek().kind.lineStart == .continuesStatement
    }

    /// Whether `name =` starts at token `index`: only a statement can begin that way.
    func startsAssignment(at index: Int) -> Bool {
        token(at: index).kind == .identifier && token(at: index + 1).kind == .equals
    }

    /// A `,` in a call ends one argument. In plain parentheses it is an error, after which the
    /// group is parsed on like a call so that later problems are still found.
    mutating func startNextArgument(at comma: Token) {
        reduce(before: 0, rightAssociative: false)
        guard case .group(var group) = pending.last else { return }
        switch group.kind {
        case .parentheses:
            report(id: "unexpected-token", "unexpected ','", at: comma.range,
                   notes: ["note: only a function call takes several arguments, as in 'max(a, b)'"])
            group.kind = .tuple
            pending[pending.count - 1] = .group(group)
        case .norm:
            report(id: "unexpected-token", "unexpected ','", at: comma.range,
                   notes: ["note: a norm '||x||' takes one expression"])
        case .array:
            takeArrayElements(from: group.operandBase)
        case .call, .tensorCall, .overloadedCall, .unknownCall, .tuple, .index:
            break
        }
    }

    /// Closes the innermost group at `closing` (nil when it was never closed) and pushes the
    /// resulting operand: the parenthesized expression, a call, or an error node.
    mutating func closeGroup(at closing: Token?) {
        reduce(before: 0, rightAssociative: false)
        if case .group(let group) = pending.last, case .array = group.kind { takeArrayElements(from: group.operandBase) }
        guard case .group(let group) = pending.popLast() else { return }
        openGroups -= 1
        switch group.kind.closer {
        case .parenthesis: break
        case .bracket: openBrackets -= 1
        case .bars: openBars -= 1
        }
        let arguments = Array(operands[group.operandBase...])
        operands.removeSubrange(group.operandBase...)
        let end = closing?.range.end ?? arguments.last?.range.end ?? group.open.end
        let range = SourceRange(start: group.start, end: end)
        var ids: [ASTNodeID] { arguments.map(\.id) }
        switch group.kind {
        case .parentheses:
            if arguments.count == 1, let inner = arguments.first {
                operands.append(Operand(id: inner.id, range: range))
                return
            }
        case .call(let function):
            if arguments.count == function.arity, keywords(of: group).isEmpty {
                operands.append(Operand(id: add(.call(function, ids), at: range), range: range))
                return
            }
            if keywords(of: group).isEmpty { reportArity(of: group, expected: function.arity, got: arguments.count, at: range) }
        case .tensorCall(let function):
            if checkTensorCall(function, group: group, arguments: arguments, range: range) {
                operands.append(Operand(id: add(.tensorCall(function, ids, keywords(of: group)), at: range), range: range))
                return
            }
        case .overloadedCall(let function, let reduction):
            if arguments.count == function.arity, keywords(of: group).isEmpty {
                operands.append(Operand(id: add(.call(function, ids), at: range), range: range))
                return
            }
            if arguments.count == function.arity, let first = keywords(of: group).first {
                report(id: "unexpected-keyword",
                       "'\(group.name)' of \(function.arity) arguments is element-wise and takes no keyword arguments",
                       at: first.range,
                       notes: ["note: to reduce one array, write '\(group.name)(x, \(first.name)=...)'"])
            } else if checkTensorCall(reduction, group: group, arguments: arguments, range: range,
                                      alternative: function.arity) {
                operands.append(Operand(id: add(.tensorCall(reduction, ids, keywords(of: group)), at: range), range: range))
                return
            }
        case .array:
            if let frame = arrayFrames.popLast(), !frame.failed {
                let shape = [frame.count] + (frame.elementShape ?? [])
                if shape.count <= Parser.maxRank {
                    operands.append(Operand(id: add(.array(frame.elements, shape: shape), at: range), range: range))
                    return
                }
                report(id: "rank-too-large",
                       "the array literal has \(shape.count) dimensions; at most \(Parser.maxRank) are supported",
                       at: group.open)
            }
        case .index:
            if let base = operands.popLast() {
                let indexed = SourceRange(start: base.range.start, end: end)
                if arguments.isEmpty {
                    operands.append(Operand(id: add(.error, at: indexed), range: indexed))
                } else {
                    operands.append(Operand(id: add(.index(base.id, ids), at: indexed), range: indexed))
                }
                return
            }
        case .norm:
            if arguments.count == 1 {
                operands.append(Operand(id: add(.tensorCall(.norm, ids, []), at: range), range: range))
                return
            }
        case .unknownCall, .tuple:
            break
        }
        operands.append(Operand(id: add(.error, at: range), range: range))
    }

    /// `wrong-arity`: "'max' takes 2 arguments, got 1".
    private mutating func reportArity(of group: Group, expected: Int, got: Int, at range: SourceRange) {
        let noun = expected == 1 ? "argument" : "arguments"
        report(id: "wrong-arity", "'\(group.name)' takes \(expected) \(noun), got \(got)", at: range)
    }

    /// Builds the remaining pending operators; every `(` still open is reported where it opened.
    mutating func finishExpression() -> Operand {
        while openGroups > 0 {
            reduce(before: 0, rightAssociative: false)
            if case .group(let group) = pending.last { reportUnclosed(group, before: current) }
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
            case .leftParen, .leftBracket: balance += 1
            case .rightParen, .rightBracket: balance = max(0, balance - 1)
            default: break
            }
            end = current.range.end
            advance()
        }
        resetStacks()
        let range = SourceRange(start: start, end: end)
        return Operand(id: add(.error, at: range), range: range)
    }

    // MARK: - Reports

    /// "expected an expression after '+'", pointing at the operator, `(`, `,` or `=` that wants
    /// an operand; at the start of an expression, "expected an expression before ..." instead.
    mutating func reportMissingOperand(before token: Token) {
        var index = position - 1
        while index >= 0, self.token(at: index).kind == .newline { index -= 1 }
        if index >= 0 {
            let previous = self.token(at: index)
            switch previous.kind {
            case .plus, .minus, .star, .slash, .caret, .starStar, .leftParen, .comma, .equals, .at, .leftBracket,
                 .barBar:
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

    /// A `)` or `]` with no group open that it could close.
    mutating func reportStrayCloser(_ token: Token) {
        switch token.kind {
        case .rightBracket: report(id: "unexpected-bracket", "unmatched ']'", at: token.range)
        default: report(id: "unexpected-paren", "unmatched ')'", at: token.range)
        }
    }

    /// `'(' is never closed`, `'[' is never closed`, `'||' is never closed`, at the opener.
    mutating func reportUnclosed(_ group: Group, before token: Token) {
        let id: String
        switch group.kind.closer {
        case .parenthesis: id = "unclosed-paren"
        case .bracket: id = "unclosed-bracket"
        case .bars: id = "unclosed-norm"
        }
        report(id: id, "'\(group.openSpelling)' is never closed", at: group.open,
               notes: ["note: expected '\(group.kind.closer.spelling)' before \(token.quoted)"])
    }

    /// `[]`: an array needs an element; `x[]`: an index needs one.
    mutating func reportEmptyBrackets(at token: Token) {
        guard case .group(let group) = pending.last else { return }
        let range = SourceRange(start: group.open.start, end: token.range.end)
        if group.kind == .array {
            report(id: "empty-array", "an array literal needs at least one element", at: range)
        } else {
            report(id: "expected-expression", "expected an index between '[' and ']'", at: range)
        }
    }
}
