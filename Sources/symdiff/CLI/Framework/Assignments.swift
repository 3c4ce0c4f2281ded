/// Splits a point such as `x=1,y=pi/2` into names and unevaluated value texts.
///
/// Commas split only at bracket depth 0, so `x=max(1,2),y=3` has two assignments. The values are
/// left as text because evaluating them (`pi/2`, `-1e-3`) is the expression evaluator's job.
/// Names follow identifier shape (a letter or `_`, then letters, digits or `_`; letters include
/// Greek such as `θ`); whether each name is a variable of the expression is checked by the caller.
///
/// Errors are usage errors, since the text is an argument: a missing `=`, an empty name or value,
/// a malformed name, a name given twice, unbalanced brackets, an empty item.
func parseAssignments(_ text: String) throws -> [(name: String, valueText: String)] {
    var assignments: [(name: String, valueText: String)] = []
    // A set for the repeat check: a point for a network may have 10^4 names.
    var seen: Set<String> = []
    for item in try splitAtTopLevelCommas(text) {
        let item = item.trimmingWhitespace()
        guard !item.isEmpty else {
            throw CLIError.usage("empty assignment in '\(text)'; expected NAME=VALUE,NAME=VALUE")
        }
        guard let equals = item.firstIndex(of: "=") else {
            throw CLIError.usage("expected NAME=VALUE, got '\(item)'")
        }
        let name = item[..<equals].trimmingWhitespace()
        let value = item[item.index(after: equals)...].trimmingWhitespace()
        guard !name.isEmpty else { throw CLIError.usage("missing variable name before '=' in '\(item)'") }
        guard isIdentifier(name) else { throw CLIError.usage("'\(name)' is not a variable name (in '\(item)')") }
        guard !value.isEmpty else { throw CLIError.usage("missing value for '\(name)' in '\(item)'") }
        if !seen.insert(name).inserted {
            throw CLIError.usage("variable '\(name)' is given more than once in '\(text)'")
        }
        assignments.append((name, value))
    }
    return assignments
}

/// Whether `text` has identifier shape: a letter or `_`, then letters, digits or `_`.
func isIdentifier(_ text: String) -> Bool {
    guard let first = text.first, first.isLetter || first == "_" else { return false }
    return text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
}

private func splitAtTopLevelCommas(_ text: String) throws -> [Substring] {
    var items: [Substring] = []
    var depth = 0
    var start = text.startIndex
    for index in text.indices {
        switch text[index] {
        case "(", "[": depth += 1
        case ")", "]":
            depth -= 1
            if depth < 0 { throw CLIError.usage("unbalanced brackets in '\(text)'") }
        case "," where depth == 0:
            items.append(text[start..<index])
            start = text.index(after: index)
        default: break
        }
    }
    if depth != 0 { throw CLIError.usage("unbalanced brackets in '\(text)'") }
    items.append(text[start...])
    return items
}
