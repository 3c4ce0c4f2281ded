import Codegen

/// The strict token check for generated tensor Swift (the scalar check, `SourceTokens`, knows
/// no brackets, loops or closures): outside comments there are only identifiers, numbers,
/// punctuation and string literals of plain words, and every identifier is a fixed word of
/// the emitter, a member after `.`, a library call, an argument or tuple label, or a name the
/// function defines (its own name, a parameter, a `let`/`var`, a loop variable, a closure
/// parameter) before it is used, and never a name Swift reserves.
enum SwiftTensorTokens {
    enum Token: Equatable {
        case word(String)
        case number
        case string(String)
        case punctuation(Character)
    }

    static let fixed: Set<String> = ["import", "Foundation", "func", "let", "var", "return", "for", "in", "if", "do",
                                     "Double", "Int", "precondition", "_", "where", "continue", "false"]
    static let calls: Set<String> = ["log", "log2", "log10", "exp", "sqrt", "sin", "cos", "tan", "asin", "acos", "atan",
                                     "sinh", "cosh", "tanh", "max", "min", "abs", "pow", "log1p", "stride", "Array"]

    static func problems(in text: String, functionName: String) -> [String] {
        var problems: [String] = []
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            return trimmed.hasPrefix("//") ? "" : String(line)
        }
        let reserved = SwiftEmitter().reservedVariableNames.union(["precondition", "Int"])
        var defined: Set<String> = [functionName]
        for line in lines {
            let tokens = tokenize(line, problems: &problems)
            // A closure header `{ a, initialized in` defines its parameters.
            var closureParameters: Set<Int> = []
            if let brace = tokens.lastIndex(of: .punctuation("{")), tokens.last == .word("in") {
                for i in (brace + 1)..<(tokens.count - 1) where tokens[i] != .punctuation(",") { closureParameters.insert(i) }
            }
            var depth = 0
            for (i, token) in tokens.enumerated() {
                switch token {
                case .punctuation("("): depth += 1
                case .punctuation(")"): depth -= 1
                case .punctuation, .number: break
                case .string(let content):
                    if !content.allSatisfy({ $0.isLetter || $0.isNumber || " _,()*:.'<>-".contains($0) }) {
                        problems.append("string literal with unexpected characters: \(content)")
                    }
                case .word(let word):
                    let previous = i > 0 ? tokens[i - 1] : nil
                    let next = i + 1 < tokens.count ? tokens[i + 1] : nil
                    if previous == .punctuation(".") { continue }
                    let defines = closureParameters.contains(i) || previous == .word("let") || previous == .word("var")
                        || previous == .word("for") || previous == .word("func")
                        || (previous == .word("_") && next == .punctuation(":"))
                    if defines {
                        if previous == .word("func") && word != functionName { problems.append("function named \(word)") }
                        if reserved.contains(word) { problems.append("reserved word '\(word)' defined") }
                        defined.insert(word)
                        continue
                    }
                    if fixed.contains(word) { continue }
                    if calls.contains(word) && next == .punctuation("(") { continue }
                    // An argument or tuple label: `count:`, `value:`, `dW:`.
                    if depth > 0 && next == .punctuation(":") { continue }
                    if !defined.contains(word) { problems.append("'\(word)' is used but never defined") }
                }
            }
        }
        return problems
    }

    static func tokenize(_ line: String, problems: inout [String]) -> [Token] {
        var tokens: [Token] = []
        let characters = Array(line)
        var i = 0
        while i < characters.count {
            let c = characters[i]
            if c == " " { i += 1; continue }
            if c.isASCII && (c.isLetter || c == "_") {
                var j = i
                while j < characters.count && characters[j].isASCII && (characters[j].isLetter || characters[j].isNumber || characters[j] == "_") { j += 1 }
                tokens.append(.word(String(characters[i..<j])))
                i = j
            } else if c.isASCII && c.isNumber {
                var j = i
                while j < characters.count && characters[j].isASCII && (characters[j].isNumber || characters[j] == "." && j + 1 < characters.count && characters[j + 1].isNumber
                                                                       || characters[j] == "e" || ((characters[j] == "-" || characters[j] == "+") && characters[j - 1] == "e")) { j += 1 }
                tokens.append(.number)
                i = j
            } else if c == "\"" {
                var j = i + 1
                while j < characters.count && characters[j] != "\"" && characters[j] != "\\" { j += 1 }
                if j >= characters.count || characters[j] == "\\" { problems.append("unterminated or escaped string in: \(line)") }
                tokens.append(.string(String(characters[(i + 1)..<min(j, characters.count)])))
                i = j + 1
            } else if "+-*/=<>?:.,(){}[]!&|".contains(c) {
                tokens.append(.punctuation(c))
                i += 1
            } else {
                problems.append("unexpected character '\(c)'")
                i += 1
            }
        }
        return tokens
    }
}
