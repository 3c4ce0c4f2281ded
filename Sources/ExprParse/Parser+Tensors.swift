/// The tensor syntax inside expressions (grammar.md, "Tensors"): keyword arguments, `reshape`'s
/// shape tuple, postfix `.T`, and the elements of array literals. Tuples (`(2, 3)`, `(B, -1)`,
/// `axis=(0, 1)`) are read token by token here, not by the expression loop: they hold only
/// integers and names, and their depth is one.
extension Parser {
    /// The most dimensions a shape may have, in a declaration, an array literal or a tuple
    /// (NumPy's limit was 32 for years; no course goes near it).
    public static let maxRank = 32
}

extension Parser.Session {
    /// Where a tuple is read, which decides what its items may be.
    enum TupleContext {
        /// `W: (2, N)`: non-negative integers and names.
        case declaration
        /// `reshape(x, (B, -1))`: non-negative integers, names and one `-1`.
        case reshape
        /// `axis=(0, -1)`: integers of either sign.
        case keyword(String)
    }

    // MARK: - Keyword arguments

    /// At a name followed by `=` right after a call's `(` or `,`: a keyword argument.
    var startsKeywordArgument: Bool {
        guard peek().kind == .equals, case .group(let group) = pending.last, group.kind.isCall else { return false }
        var index = position - 1
        while index >= 0, token(at: index).kind == .newline { index -= 1 }
        return index >= 0 && (token(at: index).kind == .comma || token(at: index).kind == .leftParen)
    }

    /// `name=value` in the innermost call: parsed, checked against the function's keywords,
    /// and kept in the group (it makes no node).
    mutating func parseKeywordArgument() {
        let nameToken = current
        let name = nameToken.text
        advance()
        let equals = current
        advance()
        let value = parseKeywordValue(named: name, after: equals)
        let range = SourceRange(start: nameToken.range.start, end: max(previous?.range.end ?? equals.range.end,
                                                                         equals.range.end))
        guard case .group(var group) = pending.last else { return }
        var accepted = value != nil
        switch group.kind {
        case .call(let function):
            if keywords(of: group).isEmpty {
                report(id: "unexpected-keyword", "'\(group.name)' takes no keyword arguments", at: range,
                       notes: function.arity == 1 ? [] : ["note: '\(group.name)' takes \(function.arity) arguments"])
            }
            accepted = false
        case .tensorCall(let function), .overloadedCall(_, let function):
            if function.keywords.isEmpty {
                report(id: "unexpected-keyword", "'\(group.name)' takes no keyword arguments", at: range)
                accepted = false
            } else if !function.keywords.contains(name) {
                var message = "'\(group.name)' has no keyword argument '\(name)'"
                if let suggestion = Parser.Session.nearest(to: name, in: function.keywords) {
                    message += "; did you mean '\(suggestion)'?"
                }
                report(id: "unknown-keyword", message, at: nameToken.range,
                       notes: ["note: '\(group.name)' accepts " + function.keywords.map { "'\($0)='" }.joined(separator: ", ")])
                accepted = false
            } else if let first = keywords(of: group).first(where: { $0.name == name }) {
                report(id: "duplicate-keyword", "keyword argument '\(name)' is given twice", at: range,
                       notes: ["note: first given at \(first.range.start)"])
                accepted = false
            } else if let value, let problem = Parser.Session.problem(with: value, for: name) {
                report(id: "invalid-keyword-value", problem, at: range)
                accepted = false
            }
        case .unknownCall, .parentheses, .tuple, .array, .index, .norm:
            // An unknown function is already reported; its arguments are parsed for recovery.
            accepted = false
        }
        if group.positionalBeforeKeywords == nil { group.positionalBeforeKeywords = operands.count - group.operandBase }
        if accepted, let value {
            if group.keywordSlot < 0 {
                keywordLists.append([])
                group.keywordSlot = keywordLists.count - 1
            }
            keywordLists[group.keywordSlot].append(KeywordArgument(name: name, value: value, range: range))
        }
        pending[pending.count - 1] = .group(group)
    }

    /// A keyword's value: `1`, `-1`, `true`, `false`, `(0, 1)`. Anything more is reported and
    /// skipped up to the `,` or `)` that ends the argument.
    private mutating func parseKeywordValue(named name: String, after equals: Token) -> KeywordValue? {
        let start = current
        var value: KeywordValue?
        switch current.kind {
        case .minus, .number:
            if let n = parseSignedInteger() { value = .integer(n) }
        case .identifier where current.text == "true" || current.text == "false":
            value = .boolean(current.text == "true")
            advance()
        case .leftParen:
            guard let tuple = parseTuple(.keyword(name)) else { return nil }
            value = .integers(tuple.dimensions.map { dimension in
                switch dimension {
                case .size(let n): return n
                case .named: return 0
                }
            })
        default:
            break
        }
        if let value, current.kind == .comma || current.kind == .rightParen { return value }
        if value == nil, start.kind == .number || start.kind == .minus {
            let consumed = previous?.range.end ?? start.range.end
            let skipped = skipArgument(from: start)
            report(id: "invalid-keyword-value", "'\(name)' takes integers, got '\(tokenText(from: start))'",
                   at: SourceRange(start: start.range.start, end: max(consumed, skipped.end)))
            return nil
        }
        if current.kind == .comma || current.kind == .rightParen || isStatementEndToken(current.kind) {
            let at = current.kind == .comma || current.kind == .rightParen || value == nil ? equals.range : start.range
            report(id: "invalid-keyword-value",
                   "expected the value of '\(name)': an integer, true or false, or a tuple of integers", at: at)
            return nil
        }
        let skipped = skipArgument(from: start)
        report(id: "invalid-keyword-value",
               "the value of '\(name)' must be an integer, true or false, or a tuple of integers, not an expression",
               at: skipped)
        return nil
    }

    /// Skips to the `,` or `)` that ends the current argument (or the statement's end), and
    /// returns the range skipped.
    private mutating func skipArgument(from start: Token) -> SourceRange {
        var balance = 0
        var end = start.range.end
        while !isStatementEndToken(current.kind) {
            switch current.kind {
            case .leftParen, .leftBracket: balance += 1
            case .rightParen, .rightBracket:
                if balance == 0 { return SourceRange(start: start.range.start, end: end) }
                balance -= 1
            case .comma where balance == 0: return SourceRange(start: start.range.start, end: end)
            default: break
            }
            end = current.range.end
            advance()
        }
        return SourceRange(start: start.range.start, end: end)
    }

    private func isStatementEndToken(_ kind: TokenKind) -> Bool {
        kind == .semicolon || kind == .end || (kind == .newline && openGroups == 0)
    }

    /// What is wrong with `value` for the keyword `name`, if anything.
    static func problem(with value: KeywordValue, for name: String) -> String? {
        switch (name, value) {
        case ("axis", .integer), ("axis", .integers), ("keepdims", .boolean), ("axes", .integers): return nil
        case ("axis", _): return "'axis' must be an integer or a tuple of integers, got \(value.text)"
        case ("keepdims", _): return "'keepdims' must be true or false, got \(value.text)"
        case ("axes", _): return "'axes' must be a tuple of integers, got \(value.text)"
        case ("stride", .integer(let n)): return n >= 1 ? nil : "'stride' must be a positive integer, got \(n)"
        case ("pad", .integer(let n)): return n >= 0 ? nil : "'pad' must be 0 or a positive integer, got \(n)"
        case ("stride", _), ("pad", _): return "'\(name)' must be an integer, got \(value.text)"
        default: return nil
        }
    }

    /// The keyword nearest to `name` within two edits.
    static func nearest(to name: String, in candidates: [String]) -> String? {
        let target = Array(name.lowercased())
        var best: (String, Int)?
        for candidate in candidates {
            let distance = Suggestions.editDistance(target, Array(candidate))
            if distance <= Suggestions.maximumDistance, best.map({ distance < $0.1 }) ?? true { best = (candidate, distance) }
        }
        return best?.0
    }

    // MARK: - Tuples

    /// At `(` as `reshape`'s second argument.
    var startsShapeTuple: Bool {
        guard case .group(let group) = pending.last, case .tensorCall(let function) = group.kind, function.takesShape,
              operands.count - group.operandBase == 1, keywords(of: group).isEmpty else { return false }
        var index = position - 1
        while index >= 0, token(at: index).kind == .newline { index -= 1 }
        return index >= 0 && token(at: index).kind == .comma
    }

    /// `reshape`'s shape tuple, as one `.shapeTuple` operand (an `.error` one if it is invalid).
    mutating func parseShapeTupleArgument() {
        let open = current
        if let tuple = parseTuple(.reshape) {
            pushOperand(.shapeTuple(tuple.dimensions), at: tuple.range)
        } else {
            let range = SourceRange(start: open.range.start, end: previous?.range.end ?? open.range.end)
            pushOperand(.error, at: range)
        }
    }

    /// `( item, item, ... )` from the current `(`, with an optional trailing comma; `(3)` is
    /// `(3,)`. Items are integers (`-` allowed where the context allows it) or names. Line breaks
    /// are allowed after `(` and `,` and before `)`. Nil after reporting a problem.
    mutating func parseTuple(_ context: TupleContext) -> (dimensions: [DimensionSyntax], range: SourceRange)? {
        let open = current
        advance()
        var dimensions: [DimensionSyntax] = []
        var valid = true
        var sawInferred = false
        while true {
            skipTupleLineBreaks()
            if current.kind == .rightParen { break }
            let itemStart = current
            if let dimension = parseTupleItem(context), current.kind == .comma || current.kind == .rightParen
                || current.kind == .newline || current.kind == .semicolon || current.kind == .end {
                if case .size(-1) = dimension, case .reshape = context {
                    if sawInferred {
                        report(id: "invalid-dimension", "only one dimension of 'reshape' can be -1",
                               at: itemStart.range.union(previous?.range ?? itemStart.range))
                        valid = false
                    }
                    sawInferred = true
                }
                dimensions.append(dimension)
            } else {
                let text = tokenText(from: itemStart)
                let range = skipTupleItem(from: itemStart)
                reportInvalidItem(context, text: text, at: range)
                valid = false
            }
            skipTupleLineBreaks()
            if current.kind == .comma {
                advance()
                continue
            }
            if current.kind == .rightParen { break }
            report(id: "unclosed-paren", "'(' is never closed", at: open.range,
                   notes: ["note: expected ')' before \(current.quoted)"])
            return nil
        }
        let range = open.range.union(current.range)
        advance()
        if dimensions.count > Parser.maxRank {
            report(id: "rank-too-large",
                   "a shape has at most \(Parser.maxRank) dimensions, this one has \(dimensions.count)", at: range)
            return nil
        }
        return valid ? (dimensions, range) : nil
    }

    /// One tuple item, if it is exactly `NUMBER`, `- NUMBER` or `NAME` and allowed here.
    private mutating func parseTupleItem(_ context: TupleContext) -> DimensionSyntax? {
        if current.kind == .identifier {
            if case .keyword = context { return nil }
            if NamedConstant(rawValue: current.text) != nil || Function.named(current.text) != nil { return nil }
            let name = current.text
            advance()
            return .named(name)
        }
        guard let n = parseSignedInteger() else { return nil }
        switch context {
        case .declaration: return n >= 0 ? .size(n) : nil
        case .reshape: return n >= -1 ? .size(n) : nil
        case .keyword: return .size(n)
        }
    }

    /// `NUMBER` or `- NUMBER` where the number is written as plain digits and fits an `Int`.
    /// Consumes the tokens it looked at.
    private mutating func parseSignedInteger() -> Int? {
        var sign = 1
        if current.kind == .minus {
            sign = -1
            advance()
        }
        guard current.kind == .number else { return nil }
        let text = current.text
        advance()
        guard text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }), let n = Int(text) else {
            return nil
        }
        return sign * n
    }

    private mutating func skipTupleLineBreaks() {
        while current.kind == .newline,
              previous?.kind == .leftParen || previous?.kind == .comma || peek().kind == .rightParen {
            advance()
        }
    }

    /// Skips the rest of a bad tuple item, up to the `,` or `)` after it (or the line's end).
    private mutating func skipTupleItem(from start: Token) -> SourceRange {
        var end = previous.map { $0.range.end >= start.range.end ? $0.range.end : start.range.end } ?? start.range.end
        var balance = 0
        while current.kind != .end, current.kind != .semicolon, current.kind != .newline {
            if balance == 0, current.kind == .comma || current.kind == .rightParen { break }
            if current.kind == .leftParen { balance += 1 }
            if current.kind == .rightParen { balance -= 1 }
            end = current.range.end
            advance()
        }
        return SourceRange(start: start.range.start, end: end)
    }

    /// The item's text as written, for messages: its tokens up to the `,` or `)` (at most 40 characters).
    /// `start` is in the current statement, so its tokens are kept; those after the cursor are
    /// lexed here.
    private mutating func tokenText(from start: Token) -> String {
        var index = position
        while index > 0, token(at: index).range.start > start.range.start { index -= 1 }
        var text = ""
        var balance = 0
        var last: SourceRange?
        while text.count <= 40 {
            lexer.lex(through: index)
            let token = self.token(at: index)
            if token.kind == .end || token.kind == .newline || token.kind == .semicolon { break }
            if balance == 0, token.kind == .comma || token.kind == .rightParen { break }
            if token.kind == .leftParen { balance += 1 }
            if token.kind == .rightParen { balance -= 1 }
            if let last, last.end.offset < token.range.start.offset { text += " " }
            text += token.text
            last = token.range
            index += 1
        }
        return text.count > 40 ? String(text.prefix(40)) + "..." : text
    }

    private mutating func reportInvalidItem(_ context: TupleContext, text: String, at range: SourceRange) {
        let shown = text.isEmpty ? "nothing" : "'\(text)'"
        switch context {
        case .declaration:
            report(id: "invalid-dimension", "a dimension must be a non-negative integer or a name, got \(shown)",
                   at: range)
        case .reshape:
            report(id: "invalid-dimension",
                   "a dimension of 'reshape' must be a non-negative integer, a name or -1, got \(shown)", at: range)
        case .keyword(let name):
            report(id: "invalid-keyword-value", "'\(name)' takes integers, got \(shown)", at: range)
        }
    }

    // MARK: - .T

    /// `.T` after an operand: the transpose of the operand just completed (it binds tighter
    /// than `^` and prefix `-`). `.` followed by anything else is reported and skipped.
    mutating func parseTransposeSuffix() {
        let dot = current
        let next = peek()
        guard next.kind == .identifier else {
            report(id: "unknown-attribute", "expected 'T' after '.'", at: dot.range,
                   notes: ["note: '.T' is the only attribute, the transpose"])
            advance()
            return
        }
        advance()
        advance()
        guard next.text == "T" else {
            var notes = ["note: '.T' (the transpose) is the only attribute"]
            if TensorFunction.named(next.text) != nil || Function.named(next.text) != nil {
                notes.append("note: '\(next.text)' is a function: write '\(next.text)(...)'")
            }
            report(id: "unknown-attribute", "only '.T' is supported, not '.\(next.text)'",
                   at: dot.range.union(next.range), notes: notes)
            return
        }
        let operand = popOperand()
        let range = SourceRange(start: operand.range.start, end: next.range.end)
        operands.append(Operand(id: add(.transpose(operand.id), at: range), range: range))
    }

    // MARK: - Array literals

    /// Moves the finished elements above `base` into the innermost array literal's frame. An
    /// element that is itself a literal is a row: its elements are taken over (flattened) and
    /// its node, the last one made, is dropped, so the arena holds one node per literal.
    mutating func takeArrayElements(from base: Int) {
        guard !arrayFrames.isEmpty, base <= operands.count else { return }
        let items = operands[base...]
        for item in items {
            var shape: [Int] = []
            var children = [item.id]
            switch nodes[item.id.index].kind {
            case .array(let elements, let rowShape):
                shape = rowShape
                children = elements
                if item.id.index == nodes.count - 1 { nodes.removeLast() }
            case .error:
                arrayFrames[arrayFrames.count - 1].failed = true
            default:
                break
            }
            let frame = arrayFrames[arrayFrames.count - 1]
            if let expected = frame.elementShape {
                if expected != shape, !frame.failed {
                    report(id: "ragged-array", Parser.Session.raggedMessage(shape, expected: expected), at: item.range,
                           notes: ["note: every row of an array must have the same length"])
                    arrayFrames[arrayFrames.count - 1].failed = true
                }
            } else {
                arrayFrames[arrayFrames.count - 1].elementShape = shape
            }
            arrayFrames[arrayFrames.count - 1].elements.append(contentsOf: children)
            arrayFrames[arrayFrames.count - 1].count += 1
        }
        operands.removeSubrange(base...)
    }

    /// "this row has 3 elements, the first row has 2", or in shapes for other mismatches.
    static func raggedMessage(_ shape: [Int], expected: [Int]) -> String {
        if shape.count == 1, expected.count == 1 {
            func elements(_ n: Int) -> String { n == 1 ? "1 element" : "\(n) elements" }
            return "ragged array: this row has \(elements(shape[0])), the first row has \(expected[0])"
        }
        func describe(_ shape: [Int]) -> String {
            switch shape.count {
            case 0: return "a single value"
            case 1: return "a row of \(shape[0])"
            default: return "an array of shape " + DimensionSyntax.tupleText(shape.map(DimensionSyntax.size))
            }
        }
        return "ragged array: this element is \(describe(shape)), the first is \(describe(expected))"
    }

    // MARK: - Tensor calls

    /// Checks a tensor call's arguments: keywords last, the positional count, `reshape`'s
    /// shape tuple. `alternative` is the element-wise arity of `max`/`min`, for the message.
    mutating func checkTensorCall(_ function: TensorFunction, group: Group, arguments: [Operand],
                                  range: SourceRange, alternative: Int? = nil) -> Bool {
        if let before = group.positionalBeforeKeywords, arguments.count > before {
            report(id: "positional-after-keyword", "positional argument after a keyword argument",
                   at: arguments[before].range,
                   notes: ["note: write keyword arguments last, as in '\(group.name)(x, \(keywords(of: group).first?.name ?? "axis")=...)'"])
            return false
        }
        let arity = function.positionalArity
        guard arity.contains(arguments.count) else {
            let expected: String
            if let alternative {
                expected = "\(arity.lowerBound) argument (to reduce it) or \(alternative) (element-wise)"
            } else if arity.count == 1 {
                expected = "\(arity.lowerBound) \(arity.lowerBound == 1 ? "argument" : "arguments")"
            } else {
                expected = "\(arity.lowerBound) to \(arity.upperBound) arguments"
            }
            report(id: "wrong-arity", "'\(group.name)' takes \(expected), got \(arguments.count)", at: range)
            return false
        }
        if function == .reshape, arguments.count == 2 {
            switch nodes[arguments[1].id.index].kind {
            case .shapeTuple, .error: break
            default:
                report(id: "expected-shape", "the second argument of 'reshape' must be a shape tuple such as (B, -1)",
                       at: arguments[1].range)
                return false
            }
        }
        return true
    }
}
