/// Helpers for dialects that splice an argument's text into a larger spelling (`-a`, `a > 0`,
/// `a.isNaN`), where the argument arrives as text printed at the lowest precedence.
enum OperandText {
    /// Whether `text` is a single operand that needs no parentheses anywhere: a name, an
    /// unsigned number, a call or member chain such as `np.exp(x)`, or a fully parenthesised
    /// group.
    static func isAtomic(_ text: String) -> Bool {
        guard let first = text.first, first != "-", first != "+" else { return false }
        var depth = 0
        for character in text {
            switch character {
            case "(": depth += 1
            case ")": depth -= 1
            default:
                // Outside parentheses only name, number and member characters may appear.
                if depth == 0 && !(character.isLetter || character.isNumber || character == "_" || character == ".") {
                    return false
                }
            }
            if depth < 0 { return false }
        }
        return depth == 0
    }

    /// Whether `text` is a plain name or unsigned number: safe to repeat, as evaluating it
    /// twice costs nothing.
    static func isPlain(_ text: String) -> Bool {
        !text.isEmpty && text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }
    }

    /// `text`, in parentheses unless it is atomic.
    static func grouped(_ text: String) -> String { isAtomic(text) ? text : "(\(text))" }

    /// `-text` with the parentheses the operand needs.
    static func negated(_ text: String) -> String { "-" + grouped(text) }
}
