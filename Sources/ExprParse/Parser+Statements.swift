/// Statements: `name = expression` or a bare expression, separated by `;` or line breaks, and
/// the checks that concern names across statements.
extension Parser.Session {
    /// Parses every statement, then checks names across statements.
    mutating func parseProgram() {
        var firstNodes: [Int] = []
        while !shouldStop {
            skipSeparators()
            if current.kind == .end { break }
            firstNodes.append(nodes.count)
            parseStatement()
        }
        checkUsesBeforeAssignment(firstNodes: firstNodes)
        warnAboutUnusedExpressions()
    }

    private mutating func skipSeparators() {
        while current.kind == .newline || current.kind == .semicolon { advance() }
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
        case .comma: note = "note: commas separate the arguments of a function call"
        default: note = "note: put one statement on each line, or separate them with ';'"
        }
        report(id: "unexpected-token", "unexpected \(current.quoted)", at: current.range, notes: [note])
    }

    /// Rejects assignments to reserved names and second assignments; remembers the first.
    private mutating func recordAssignment(of name: String, at range: SourceRange) {
        if NamedConstant(rawValue: name) != nil {
            report(id: "assign-to-constant", "cannot assign to '\(name)': it is a constant", at: range)
        } else if Function.named(name) != nil {
            report(id: "assign-to-function", "cannot assign to '\(name)': it is a function", at: range)
        } else if let first = assignments[name] {
            report(id: "assigned-twice", "'\(name)' is assigned twice", at: range,
                   notes: ["note: '\(name)' is first assigned at \(first.range.start)"])
        } else {
            assignments[name] = (statements.count, range)
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
                       at: nodes[index].range, notes: ["note: '\(name)' is assigned at \(assignment.range.start)"])
            }
        }
    }

    /// Only the last statement is the output, so an earlier bare expression is computed for
    /// nothing; that is legal but almost always a mistake (a forgotten `name =`).
    private mutating func warnAboutUnusedExpressions() {
        for statement in statements.dropLast() where statement.name == nil {
            if case .error = nodes[statement.value.index].kind { continue }
            report(.warning, id: "unused-expression", "expression result is unused", at: statement.range,
                   notes: ["note: only the last statement is the output; name this one, as in 'y = ...'"])
        }
    }
}
