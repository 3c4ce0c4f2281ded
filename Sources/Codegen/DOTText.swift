import Symbolic

/// The lexical side of Graphviz DOT: quoting and attribute lists.
///
/// Only generated ids (`n0`, `n1`, ...) and fixed keywords are written bare; every piece of
/// program text goes through `quoted`, so no variable name, however chosen, can end a string,
/// start a comment or be read as a keyword (`node`, `edge`, `graph`, `strict` are all fine).
enum DOTText {
    /// `text` as a DOT double-quoted string. Backslashes are doubled because DOT reads `\n`,
    /// `\l`, `\N`, `\G` inside labels as escapes; a line break becomes DOT's centred `\n`.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for character in text {
            switch character {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            // "\r\n" is one Character in Swift, so it needs its own case.
            case "\n", "\r", "\r\n": result += "\\n"
            default: result.append(character)
            }
        }
        return result + "\""
    }

    /// ` [key=value, ...]`, values quoted unless they are fixed words of ours.
    static func attributes(_ pairs: [(String, Value)]) -> String {
        guard !pairs.isEmpty else { return "" }
        return " [" + pairs.map { "\($0.0)=\($0.1.text)" }.joined(separator: ", ") + "]"
    }

    /// An attribute value: program text (always quoted) or one of the renderer's own words.
    enum Value {
        case text(String)
        case word(String)

        var text: String {
            switch self {
            case .text(let text): return DOTText.quoted(text)
            case .word(let word): return word
            }
        }
    }

    /// A number as the labels show it: the shortest text that reads back as the same Double,
    /// with `inf`, `-inf` and `nan` spelled out.
    static func number(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        return Number.format(value)
    }
}
