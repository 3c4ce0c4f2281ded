import Codegen

/// A deliberately simple tokenizer for generated code: enough to prove that the only words in
/// it are variables, calls and the fixed keywords the emitter writes.
enum SourceTokens {
    enum Kind: Equatable {
        case identifier(String)
        case number
        case punctuation(Character)
    }

    /// Problems found in `text`: unexpected characters, and reserved words in places where the
    /// emitter does not put them.
    static func unexpected(in text: String, language: Language) -> [String] {
        var problems: [String] = []
        let tokens = tokenize(code(text, language), problems: &problems)
        let reserved = language == .numpy ? NumPyEmitter().reservedVariableNames : SwiftEmitter().reservedVariableNames
        for (index, token) in tokens.enumerated() {
            guard case .identifier(let word) = token, reserved.contains(word) else { continue }
            let previous = index > 0 ? tokens[index - 1] : nil
            let next = index + 1 < tokens.count ? tokens[index + 1] : nil
            if previous == .punctuation(".") { continue }   // a member: np.exp, Double.pi, x.isNaN
            if language == .numpy && word == "np" && previous == .identifier("as") { continue }   // import numpy as np
            if allowed(word, next: next, language: language) { continue }
            problems.append("reserved word '\(word)' used as a name")
        }
        return problems
    }

    private static func allowed(_ word: String, next: Kind?, language: Language) -> Bool {
        switch language {
        case .numpy:
            if ["def", "return", "import", "as", "numpy"].contains(word) { return true }
            return word == "np" && next == .punctuation(".")
        case .swift:
            if ["import", "Foundation", "func", "let", "var", "return", "_", "Double"].contains(word) { return true }
            if word == "value" { return next == .punctuation(":") }
            // Foundation and standard library functions, only ever called.
            return next == .punctuation("(") && ReservedCalls.swift.contains(word)
        }
    }

    /// The text without comments and the docstring.
    private static func code(_ text: String, _ language: Language) -> String {
        var lines: [String] = []
        var inDocstring = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if language == .numpy && trimmed.hasPrefix("\"\"\"") {
                inDocstring = !(trimmed.count > 3 && trimmed.hasSuffix("\"\"\"")) && !inDocstring
                continue
            }
            if inDocstring { continue }
            let marker = language == .numpy ? "#" : "//"
            lines.append(line.components(separatedBy: marker)[0])
        }
        return lines.joined(separator: "\n")
    }

    private static func tokenize(_ text: String, problems: inout [String]) -> [Kind] {
        var tokens: [Kind] = []
        let characters = Array(text)
        var i = 0
        while i < characters.count {
            let c = characters[i]
            if c.isWhitespace { i += 1; continue }
            if c.isASCII && (c.isLetter || c == "_") {
                var j = i
                while j < characters.count && characters[j].isASCII && (characters[j].isLetter || characters[j].isNumber || characters[j] == "_") { j += 1 }
                tokens.append(.identifier(String(characters[i..<j])))
                i = j
            } else if c.isASCII && c.isNumber {
                var j = i
                while j < characters.count && (characters[j].isNumber || characters[j] == "." || characters[j] == "e"
                                               || ((characters[j] == "-" || characters[j] == "+") && characters[j - 1] == "e")) { j += 1 }
                tokens.append(.number)
                i = j
            } else if "+-*/=<>?:|.,(){}".contains(c) {
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

/// Library functions the Swift emitter calls.
enum ReservedCalls {
    static let swift: Set<String> = ["log", "log2", "log10", "exp", "sqrt", "sin", "cos", "tan", "asin", "acos", "atan",
                                     "sinh", "cosh", "tanh", "max", "min", "abs", "pow", "log1p"]
}
