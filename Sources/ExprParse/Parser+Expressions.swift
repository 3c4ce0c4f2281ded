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

    /// An open `(`, `[` or `||`: plain grouping, a call, an array literal, an index, a norm, or
    /// something already reported as an error.
    struct Group {
        enum Kind: Equatable {
            case parentheses
            case call(Function)
            /// A call of a tensor function (`sum(x, axis=1)`).
            case tensorCall(TensorFunction)
            /// `max(` and `min(`: element-wise with two arguments, a reduction with one.
            case overloadedCall(Function, TensorFunction)
            /// `sigmod(x)`: reported as an unknown function; arguments are parsed for recovery.
            case unknownCall
            /// `(a, b)`: reported; parsed on like a call.
            case tuple
            /// `[` where an operand is expected: an array literal, whose elements collect in
            /// `arrayFrames` (not on the operand stack).
            case array
            /// `[` after an operand: indexing; the base is the operand just below `operandBase`.
            case index
            /// `||` where an operand is expected: a norm, closed by the next `||` after an operand.
            case norm

            /// The token that closes a group of this kind.
            var closer: Closer {
                switch self {
                case .parentheses, .call, .tensorCall, .overloadedCall, .unknownCall, .tuple: return .parenthesis
                case .array, .index: return .bracket
                case .norm: return .bars
                }
            }

            /// A call of a function: `name=value` after its `(` or a `,` is a keyword argument.
            var isCall: Bool {
                switch self {
                case .call, .tensorCall, .overloadedCall, .unknownCall: return true
                case .parentheses, .tuple, .array, .index, .norm: return false
                }
            }
        }

        enum Closer {
            case parenthesis, bracket, bars

            var spelling: String {
                switch self {
                case .parenthesis: return ")"
                case .bracket: return "]"
                case .bars: return "||"
                }
            }
        }

        var kind: Kind
        /// The opening token's range, where an unclosed-group error points.
        var open: SourceRange
        /// Where the whole group starts: the `(`, or the function name of a call.
        var start: SourceLocation
        /// The function name as written, for messages.
        var name: String
        /// The operand stack's height when the group opened; the arguments sit above it.
        var operandBase: Int
        /// Where a call's keyword arguments are in `Session.keywordLists` (-1: none), kept out
        /// of the group so that a `Pending` stays a plain value, cheap to copy.
        var keywordSlot = -1
        /// Positional arguments before the first keyword argument (nil while there is none).
        var positionalBeforeKeywords: Int?

        init(kind: Kind, open: SourceRange, start: SourceLocation, name: String, operandBase: Int) {
            self.kind = kind
            self.open = open
            self.start = start
            self.name = name
            self.operandBase = operandBase
        }

        /// How the opening token reads in messages: `'('`, `'['` or `'||'`.
        var openSpelling: String {
            switch kind.closer {
            case .parenthesis: return "("
            case .bracket: return "["
            case .bars: return "||"
            }
        }
    }

    /// The elements of an array literal being parsed, flattened row-major, and the shape of
    /// its first element, which every other must match.
    struct ArrayFrame {
        var elements: [ASTNodeID] = []
        /// The shape of each element (`[]` for a scalar, `[2]` for a row of two), set by the first.
        var elementShape: [Int]?
        var count = 0
        /// Set after an error inside: the literal becomes one `.error` node, reported once.
        var failed = false
    }

    enum Pending {
        case binary(BinaryOperator)
        /// A `*` understood between two operands (`2x`, `W x`), recorded in `juxtapositions`.
        case implicitMultiply
        case unary(UnaryOperator, start: SourceLocation)
        case group(Group)
    }

    /// Parses one expression and stops before the first token that cannot continue it (`;`, a
    /// line break outside parentheses, `=`, a `,` outside calls, or the end).
    mutating func parseExpression() -> Operand {
        resetStacks()
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
                case .identifier where startsKeywordArgument:
                    parseKeywordArgument()
                    expectingOperand = false
                case .identifier:
                    expectingOperand = parseName(token)
                case .leftParen where startsShapeTuple:
                    parseShapeTupleArgument()
                    expectingOperand = false
                case .leftBracket:
                    let group = Group(kind: .array, open: token.range, start: token.range.start,
                                      name: "", operandBase: operands.count)
                    if push(.group(group), at: token) {
                        arrayFrames.append(ArrayFrame())
                        advance()
                    }
                case .barBar:
                    let group = Group(kind: .norm, open: token.range, start: token.range.start,
                                      name: "norm", operandBase: operands.count)
                    if push(.group(group), at: token) { advance() }
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
                case .rightBracket where closesEmptyBracket:
                    reportEmptyBrackets(at: token)
                    closeGroup(at: token)
                    advance()
                    expectingOperand = false
                case .rightParen where openCount(of: .parenthesis) == 0, .rightBracket where openCount(of: .bracket) == 0:
                    reportStrayCloser(token)
                    advance()
                default:
                    reportMissingOperand(before: token)
                    pushOperand(.error, at: SourceRange(start: token.range.start, end: token.range.start))
                    expectingOperand = false
                }
            } else {
                switch token.kind {
                case .plus, .minus, .star, .slash, .caret, .starStar, .at:
                    let op = token.binaryOperator ?? .multiply
                    reduce(before: op.precedence, rightAssociative: op.isRightAssociative)
                    if push(.binary(op), at: token) {
                        advance()
                        expectingOperand = true
                    }
                case .barBar where openCount(of: .bars) > 0:
                    closeMatching(token, .bars)
                    advance()
                case .identifier, .leftParen, .barBar:
                    // Implicit multiplication: `2x`, `(x+1)(x-1)`, `2||x||`. The token is not
                    // consumed; it starts the right operand, which binds like the right operand of `*`.
                    reduce(before: BinaryOperator.multiply.precedence, rightAssociative: false)
                    if push(.implicitMultiply, at: token) { expectingOperand = true }
                case .number:
                    reportMissingOperator(before: token)
                    reduce(before: BinaryOperator.multiply.precedence, rightAssociative: false)
                    if push(.implicitMultiply, at: token) { expectingOperand = true }
                case .leftBracket:
                    // Indexing binds tightest, so it applies to the operand just completed.
                    let base = operands.last?.range.start ?? token.range.start
                    let group = Group(kind: .index, open: token.range, start: base, name: "", operandBase: operands.count)
                    if push(.group(group), at: token) { advance() }
                    expectingOperand = true
                case .dot:
                    parseTransposeSuffix()
                case .rightParen:
                    closeMatching(token, .parenthesis)
                    advance()
                case .rightBracket:
                    closeMatching(token, .bracket)
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
            if function == .max || function == .min, let reduction = TensorFunction.named(name) {
                openCall(.overloadedCall(function, reduction), name: token, parenthesis: next)
            } else {
                openCall(.call(function), name: token, parenthesis: next)
            }
            return true
        }
        if let constant = NamedConstant(rawValue: name) {
            pushOperand(.constant(constant), at: token.range)
            advance()
            return false
        }
        // `x(y+1)` multiplies, and so does a name assigned earlier; any other longer name before
        // `(` is far more likely a misspelled function than a product (see grammar.md). A tensor
        // function's name is not reserved: `mean = (a + b)/2` stays valid, as it always was.
        let assignedEarlier = (assignments[name]?.statement ?? Int.max) < statements.count
        if next.kind == .leftParen, !assignedEarlier, let function = TensorFunction.named(name) {
            openCall(.tensorCall(function), name: token, parenthesis: next)
            return true
        }
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

    mutating func pushOperand(_ kind: ASTNodeKind, at range: SourceRange) {
        operands.append(Operand(id: add(kind, at: range), range: range))
    }

    /// Pushes a pending operator unless that would nest deeper than allowed; then it reports
    /// the error once and the main loop abandons the expression.
    @discardableResult
    mutating func push(_ entry: Pending, at token: Token) -> Bool {
        guard pending.count < Parser.maxNestingDepth else {
            report(id: "nesting-too-deep",
                   "expression is nested too deeply (more than \(Parser.maxNestingDepth) levels)",
                   at: token.range,
                   notes: ["note: split it into several statements, as in 'a = ...; b = ...'"])
            nestingExceeded = true
            return false
        }
        if case .group(let group) = entry {
            openGroups += 1
            switch group.kind.closer {
            case .parenthesis: break
            case .bracket: openBrackets += 1
            case .bars: openBars += 1
            }
        }
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
            case .implicitMultiply: topPrecedence = BinaryOperator.multiply.precedence
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
            case .implicitMultiply:
                let rhs = popOperand()
                let lhs = popOperand()
                let range = lhs.range.union(rhs.range)
                let id = add(.binary(.multiply, lhs.id, rhs.id), at: range)
                juxtapositions.insert(id)
                operands.append(Operand(id: id, range: range))
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
    mutating func popOperand() -> Operand {
        if let operand = operands.popLast() { return operand }
        let here = SourceRange(start: current.range.start, end: current.range.start)
        return Operand(id: add(.error, at: here), range: here)
    }
}
