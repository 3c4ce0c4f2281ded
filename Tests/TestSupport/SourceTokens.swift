import Codegen

/// A small tokenizer and a strict check for generated code: outside comments and the
/// docstring there are only identifiers, numbers and a fixed set of punctuation, and every
/// identifier is either a fixed word the emitter writes (in its one position), a member after
/// `.`, a library call, or a name the function itself defines (its own name, a parameter, a
/// `let`/`var`/assignment target) used after its definition and not reserved in the language.
public enum SourceTokens {
    enum Kind: Equatable {
        case identifier(String)
        case number
        case punctuation(Character)
    }

    /// Everything wrong with `text`, empty when it is clean.
    /// `defined` names functions the text may call that are defined elsewhere (the module-level
    /// convolution functions of emitted NumPy).
    /// A generated NumPy module cut into its helper functions (by name; the convolution and
    /// pooling helpers) and the rest, which holds the import and the function `functionName`.
    public static func splitNumPyModule(_ text: String, functionName: String) -> (helpers: [String: String], function: String) {
        var helpers: [String: String] = [:]
        var function = ""
        for block in text.components(separatedBy: "\n\n\n") {
            guard block.hasPrefix("def "), let open = block.firstIndex(of: "(") else {
                function += block + "\n\n\n"
                continue
            }
            let name = String(block[block.index(block.startIndex, offsetBy: 4)..<open])
            if name == functionName { function += block } else { helpers[name] = block }
        }
        return (helpers, function)
    }

    public static func problems(in text: String, language: Language, functionName: String, defined helpers: Set<String> = []) -> [String] {
        var problems: [String] = []
        let tokens = tokenize(code(text, language), problems: &problems)
        let reserved = language == .numpy ? NumPyEmitter().reservedVariableNames : SwiftEmitter().reservedVariableNames
        var defined: Set<String> = helpers.union([functionName])
        func at(_ i: Int) -> Kind? { tokens.indices.contains(i) ? tokens[i] : nil }
        var parenDepth = 0
        var inSignature = false
        for (i, token) in tokens.enumerated() {
            switch token {
            case .punctuation("("): parenDepth += 1; continue
            case .punctuation(")"):
                parenDepth -= 1
                if parenDepth == 0 { inSignature = false }
                continue
            case .punctuation, .number: continue
            case .identifier(let word):
                let previous = at(i - 1), next = at(i + 1)
                if previous == .punctuation(".") { continue }   // a member: np.log, Double.pi
                switch language {
                case .numpy:
                    if ["import", "numpy", "as", "def", "return"].contains(word) && parenDepth == 0 { continue }
                    if word == "np" && (next == .punctuation(".") || previous == .identifier("as")) { continue }
                    // Keyword arguments (`dtype=np.float64`, `axis=1`, `keepdims=True`).
                    if ["dtype", "axis", "keepdims", "stride", "pad", "axis1", "axis2"].contains(word) && next == .punctuation("=") && parenDepth > 0 { continue }
                    // A new axis in an index (`I[None, None]`, the worksheet form of a convolution).
                    if word == "None" && (previous == .punctuation("[") || previous == .punctuation(",")) { continue }
                    if word == "True" && previous == .punctuation("=") && parenDepth > 0 { continue }
                    if previous == .identifier("def") {
                        if word != functionName { problems.append("function named '\(word)', expected '\(functionName)'") }
                        inSignature = true
                        continue
                    }
                    if inSignature || (next == .punctuation("=") && at(i + 2) != .punctuation("=") && parenDepth == 0) {
                        if reserved.contains(word) { problems.append("reserved word '\(word)' defined as a variable") }
                        defined.insert(word)
                        continue
                    }
                case .swift:
                    if word == "Double" || (["import", "Foundation", "func", "let", "var", "return"].contains(word) && parenDepth == 0) { continue }
                    if word == "_" && inSignature { continue }
                    if next == .punctuation("(") && SwiftCalls.names.contains(word) { continue }
                    if previous == .identifier("func") {
                        if word != functionName { problems.append("function named '\(word)', expected '\(functionName)'") }
                        inSignature = true
                        continue
                    }
                    // A tuple label, `(value: Double, dx: Double)` and `return (value: z, dx: dx)`.
                    if next == .punctuation(":") && parenDepth > 0 && !inSignature { continue }
                    if (inSignature && next == .punctuation(":")) || previous == .identifier("let") || previous == .identifier("var") {
                        if reserved.contains(word) { problems.append("reserved word '\(word)' defined as a variable") }
                        defined.insert(word)
                        continue
                    }
                }
                if !defined.contains(word) { problems.append("'\(word)' is used but never defined") }
            }
        }
        return problems
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
            if c == " " || c == "\n" { i += 1; continue }
            if c.isASCII && (c.isLetter || c == "_") {
                var j = i
                while j < characters.count && characters[j].isASCII && (characters[j].isLetter || characters[j].isNumber || characters[j] == "_") { j += 1 }
                tokens.append(.identifier(String(characters[i..<j])))
                i = j
            } else if c.isASCII && c.isNumber {
                var j = i
                while j < characters.count && characters[j].isASCII && (characters[j].isNumber || characters[j] == "." || characters[j] == "e"
                                               || ((characters[j] == "-" || characters[j] == "+") && characters[j - 1] == "e")) { j += 1 }
                tokens.append(.number)
                i = j
            } else if "+-*/=<>?:.,(){}|@[]".contains(c) {
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
enum SwiftCalls {
    static let names: Set<String> = ["log", "log2", "log10", "exp", "sqrt", "sin", "cos", "tan", "asin", "acos", "atan",
                                     "sinh", "cosh", "tanh", "max", "min", "abs", "pow", "log1p", "Double"]
}
