/// Statements: `name = expression` or a bare expression, separated by `;` or line breaks, and
/// the checks that concern names across statements.
extension Parser.Session {
    /// Parses every statement, then checks names across statements.
    mutating func parseProgram() {
        var firstNodes: [Int] = []
        // Statements followed by a line that starts with `-` (see `TokenKind.LineStart`), with
        // that `-`: if their value goes unread, the warning suggests the line was meant to continue.
        var followedByMinusLine: [Int: Token] = [:]
        while !shouldStop {
            let sawSemicolon = skipSeparators()
            if current.kind == .end { break }
            statementStart = position
            if current.kind == .identifier, peek().kind == .colon {
                parseDeclaration()
                continue
            }
            if current.kind.lineStart == .mayContinue, !statements.isEmpty, !sawSemicolon {
                followedByMinusLine[statements.count - 1] = current
            }
            firstNodes.append(nodes.count)
            parseStatement()
        }
        // A program cut off at the size limit is refused as a whole; checking it is wasted work.
        guard sizeLimitRange == nil else { return }
        checkUsesBeforeAssignment(firstNodes: firstNodes)
        if !declarations.isEmpty { checkDeclarations() }
        warnAboutUnusedValues(followedByMinusLine: followedByMinusLine)
    }

    /// Skips `;` and line breaks; returns whether a `;` was among them.
    private mutating func skipSeparators() -> Bool {
        var sawSemicolon = false
        while current.kind == .newline || current.kind == .semicolon {
            if current.kind == .semicolon { sawSemicolon = true }
            advance()
        }
        return sawSemicolon
    }

    private mutating func parseStatement() {
        let start = current.range.start
        var name: String?
        var nameRange: SourceRange?
        if current.kind == .identifier, peek().kind == .equals {
            name = current.text
            nameRange = current.range
            recordAssignment(of: current.text, at: current.range)
            advance()
            advance()
        }
        let value = parseExpression()
        if !isStatementEnd(current.kind) {
            reportUnexpectedTokenAfterStatement()
            while !isStatementEnd(current.kind) { advance() }
        }
        let range = SourceRange(start: start, end: max(value.range.end, start))
        statements.append(Statement(name: name, nameRange: nameRange, value: value.id, range: range))
    }

    private func isStatementEnd(_ kind: TokenKind) -> Bool {
        kind == .newline || kind == .semicolon || kind == .end
    }

    private mutating func reportUnexpectedTokenAfterStatement() {
        let note: String
        switch current.kind {
        case .equals: note = "note: only a single name can be assigned, as in 'y = 2*x'"
        case .colon: note = "note: a declaration such as 'W: (2, 3)' is a statement of its own"
        case .comma: note = "note: commas separate the arguments of a function call"
        default: note = "note: put one statement on each line, or separate them with ';'"
        }
        report(id: "unexpected-token", "unexpected \(current.quoted)", at: current.range, notes: [note])
    }

    // MARK: - Declarations

    /// `name: (d1, d2, ...)`, `name: ()`, `name: int` or `name: int (d1, ...)`: a shape
    /// declaration, kept in `declarations` (it is not a statement and makes no node).
    private mutating func parseDeclaration() {
        let nameToken = current
        let name = nameToken.text
        advance()
        let colon = current
        advance()
        var kind = DeclaredKind.real
        var dimensions: [DimensionSyntax] = []
        var shapeRange = current.range
        var valid = true
        if current.kind == .identifier, current.text == "int" {
            kind = .label
            advance()
        }
        if current.kind == .leftParen {
            if let tuple = parseTuple(.declaration) {
                dimensions = tuple.dimensions
                shapeRange = kind == .label ? shapeRange.union(tuple.range) : tuple.range
            } else {
                valid = false
            }
        } else if kind == .real {
            let at = isStatementEnd(current.kind) ? colon.range : current.range
            report(id: "invalid-declaration", "expected a shape such as (2, 3), or 'int', after ':'", at: at,
                   notes: ["note: a declaration gives an input's shape: 'W: (2, 3)', 'x: (3,)', 'b: ()', 'y: int'"])
            valid = false
        }
        if valid, !isStatementEnd(current.kind) {
            reportUnexpectedTokenAfterStatement()
            valid = false
        }
        while !isStatementEnd(current.kind) { advance() }
        let range = SourceRange(start: nameToken.range.start, end: max(previous?.range.end ?? colon.range.end,
                                                                        colon.range.end))
        if let constant = NamedConstant(rawValue: name) {
            report(id: "declare-reserved", "cannot declare '\(name)': it is the constant \(constant.meaning)",
                   at: nameToken.range)
        } else if Function.named(name) != nil {
            report(id: "declare-reserved", "cannot declare '\(name)': it is a function", at: nameToken.range)
        } else if let first = declarations.first(where: { $0.name == name }) {
            report(id: "declared-twice", "'\(name)' is declared twice", at: nameToken.range,
                   notes: ["note: '\(name)' is first declared at \(first.nameRange.start)"])
        } else if valid {
            declarations.append(Declaration(name: name, nameRange: nameToken.range, kind: kind,
                                            dimensions: dimensions, shapeRange: shapeRange, range: range))
        }
    }

    /// Declarations against the statements: a declared name is an input, so no statement may
    /// assign it, and it must be declared before it is read. One never read gets a warning.
    private mutating func checkDeclarations() {
        var firstUse: [String: SourceRange] = [:]
        let declared = Set(declarations.map(\.name))
        for node in nodes {
            guard case .variable(let name) = node.kind, declared.contains(name) else { continue }
            if let known = firstUse[name], known.start <= node.range.start { continue }
            firstUse[name] = node.range
        }
        work += nodes.count
        let clean = !statements.isEmpty && !diagnostics.diagnostics.contains { $0.severity == .error }
        var dimensions: [String: SourceRange] = [:]
        for declaration in declarations {
            for case .named(let name) in declaration.dimensions where dimensions[name] == nil {
                dimensions[name] = declaration.shapeRange
            }
        }
        for declaration in declarations {
            let name = declaration.name
            if let shape = dimensions[name] {
                report(id: "dimension-declared", "'\(name)' is a dimension name, so it cannot be declared as an input",
                       at: declaration.nameRange,
                       notes: ["note: '\(name)' is a dimension at \(shape.start); its size comes from the values' shapes"])
                continue
            }
            if let assignment = assignments[name] {
                report(id: "declare-assigned", "'\(name)' is declared as an input but also assigned",
                       at: declaration.nameRange,
                       notes: ["note: '\(name)' is assigned at \(assignment.start); an assigned name gets its "
                               + "shape from its value, so remove the declaration or rename one of them"])
            } else if let use = firstUse[name], use.start < declaration.range.start {
                report(id: "declared-after-use", "'\(name)' is declared after its first use",
                       at: declaration.nameRange,
                       notes: ["note: '\(name)' is first used at \(use.start); move the declaration before it"])
            } else if firstUse[name] == nil, clean {
                report(.warning, id: "unused-declaration", "'\(name)' is declared but never used",
                       at: declaration.range)
            }
        }
    }

    /// Rejects assignments to reserved names and second assignments; remembers the first.
    private mutating func recordAssignment(of name: String, at range: SourceRange) {
        if let constant = NamedConstant(rawValue: name) {
            report(id: "assign-to-constant", "cannot assign to '\(name)': it is the constant \(constant.meaning)",
                   at: range,
                   notes: ["note: '\(name)' is reserved; use another name, such as '\(unusedName(like: name))', "
                           + "here and where the value is read"])
        } else if Function.named(name) != nil {
            report(id: "assign-to-function", "cannot assign to '\(name)': it is a function", at: range)
        } else if let first = assignments[name] {
            report(id: "assigned-twice", "'\(name)' is assigned twice", at: range,
                   notes: ["note: '\(name)' is first assigned at \(first.start)"])
        } else {
            assignments[name] = (statements.count, range.start)
        }
    }

    /// A name assigned by some statement may only be read by later statements: reading it
    /// earlier (or in its own definition) would silently make it an input instead.
    private mutating func checkUsesBeforeAssignment(firstNodes: [Int]) {
        var reported = Set<String>()
        for (statement, first) in firstNodes.enumerated() {
            let end = statement + 1 < firstNodes.count ? firstNodes[statement + 1] : nodes.count
            for index in first..<end {
                work += 1
                guard case .variable(let name) = nodes[index].kind,
                      let assignment = assignments[name], assignment.statement >= statement,
                      reported.insert(name).inserted else { continue }
                report(id: "use-before-assignment", "'\(name)' is used before it is assigned",
                       at: nodes[index].range, notes: ["note: '\(name)' is assigned at \(assignment.start)"])
            }
        }
    }

    /// `name` followed by the first of 1, 2, 3, ... that makes a name the program does not use
    /// (`e1` for `e`), to suggest instead of a reserved name.
    private mutating func unusedName(like name: String) -> String {
        if usedNames == nil {
            usedNames = lexer.identifierNames()
        }
        var suffix = 1
        while usedNames?.contains("\(name)\(suffix)") == true || Function.named("\(name)\(suffix)") != nil {
            suffix += 1
        }
        return "\(name)\(suffix)"
    }

    /// Only the last statement is the output, so an earlier statement whose value nothing reads
    /// is computed for nothing: legal, but almost always a mistake (a forgotten `name =`, a
    /// misspelt name, or a line meant to continue the one before). Warnings, not errors.
    private mutating func warnAboutUnusedValues(followedByMinusLine: [Int: Token]) {
        // After a parse error the reads a recovery skipped are unknown; do not guess.
        let checkAssignments = !diagnostics.diagnostics.contains { $0.severity == .error }
        var unread = Set(checkAssignments ? statements.dropLast().compactMap(\.name) : [])
        if !unread.isEmpty {
            for node in nodes {
                if case .variable(let name) = node.kind { unread.remove(name) }
            }
            work += nodes.count
        }
        // Warnings never fill the log that stops parsing: after `maxUnusedWarnings` of them one
        // summary stands for the rest (a listing of 200 named temporaries, of which a partial
        // reads a few, is a valid program, not "too many errors").
        var warned = 0, unwarned = 0
        var firstUnwarned: SourceRange?
        defer {
            if let range = firstUnwarned {
                report(.warning, id: "unused-assignment", "\(unwarned) more values are computed but never used",
                       at: range)
            }
        }
        for (index, statement) in statements.enumerated().dropLast() {
            if case .error = nodes[statement.value.index].kind { continue }
            if statement.name.map({ unread.contains($0) }) ?? true, warned >= Parser.maxUnusedWarnings {
                unwarned += 1
                if firstUnwarned == nil { firstUnwarned = statement.range }
                continue
            }
            if statement.name.map({ unread.contains($0) }) ?? true { warned += 1 }
            var notes: [String] = []
            if let minus = followedByMinusLine[index] {
                notes.append("note: line \(minus.range.start.line) starts with '-', so it is a new statement; to "
                             + "continue this one, end this line with the '-' or wrap the expression in parentheses")
            }
            if let name = statement.name {
                guard unread.contains(name) else { continue }
                report(.warning, id: "unused-assignment", "'\(name)' is assigned but never used",
                       at: statement.range, notes: notes)
            } else {
                report(.warning, id: "unused-expression", "expression result is unused", at: statement.range,
                       notes: notes.isEmpty
                           ? ["note: only the last statement is the output; name this one, as in 'y = ...'"]
                           : notes)
            }
        }
    }
}
