/// Rendering a diagnostic the way compilers do.
extension Diagnostic {
    /// The most columns of a source line a rendering shows; longer lines are cut to a window
    /// around the range, with `...` where text was left out.
    public static let maxShownColumns = 120
    /// Columns shown before the range when a long line is cut.
    static let shownColumnsBefore = 40

    /// The diagnostic as text, with no trailing newline and no colour:
    /// ```
    /// input:1:5: error: unknown function 'sigmod'; did you mean 'sigmoid'?
    /// x + sigmod(x)
    ///     ^~~~~~
    /// note: to multiply, write 'sigmod*(...)'
    /// ```
    /// The source line is shown with tabs as single spaces (a tab is one column, so the caret
    /// stays aligned), control and invisible format characters escaped as `\u{1B}` (so that
    /// input cannot drive the terminal), and without trailing spaces. A line longer than
    /// `maxShownColumns` is cut to a window of that many columns around the range, `...`
    /// marking each side left out. `^` marks the first character of the range and `~` the rest
    /// of it on the shown line; an empty range, or one at the end of the line, is a lone `^`.
    /// Each note follows on its own line.
    public func render(source: String, fileName: String = "input") -> String {
        var output = "\(fileName):\(range.start.line):\(range.start.column): \(severity.rawValue): \(message)"
        let line = Diagnostic.line(range.start.line, of: source)
        let isASCII = line.utf8.allSatisfy { $0 < 0x80 }
        let length = isASCII ? line.utf8.count : line.count
        let column = min(max(range.start.column, 1), length + 1)
        let lastColumn = max(column, min(range.end.line == range.start.line ? range.end.column : length + 1, length + 1))

        var from = 1, to = length + 1
        if length > Diagnostic.maxShownColumns {
            from = max(1, column - Diagnostic.shownColumnsBefore)
            to = min(length + 1, from + Diagnostic.maxShownColumns)
            from = max(1, to - Diagnostic.maxShownColumns)
        }
        let shown: Substring
        if isASCII {
            let utf8 = line.utf8
            shown = line[utf8.index(utf8.startIndex, offsetBy: from - 1)..<utf8.index(utf8.startIndex, offsetBy: to - 1)]
        } else {
            shown = line.dropFirst(from - 1).prefix(to - from)
        }

        var text = from > 1 ? "..." : ""
        var caretIndent = text.count
        var underline = 0
        for (offset, character) in shown.enumerated() {
            let displayed = character.displayed
            text += displayed
            let current = from + offset
            if current < column { caretIndent += displayed.count }
            if current >= column, current < lastColumn { underline += displayed.count }
        }
        if to <= length {
            text += "..."
        } else {
            while text.last == " " { text.removeLast() }
        }
        output += "\n" + text
        output += "\n" + String(repeating: " ", count: caretIndent) + "^"
        if underline > 1 { output += String(repeating: "~", count: underline - 1) }
        for note in notes { output += "\n" + note }
        return output
    }

    /// The text of 1-based line `number` (empty past the end), without its line break. Lines
    /// break exactly where the lexer counts them: LF, VT, FF, CR (`\r\n` once), NEL, U+2028 and
    /// U+2029; a byte-order mark opening the text is skipped, as the lexer skips it. The search
    /// runs over UTF-8 bytes, so finding the last line of a large input stays cheap.
    static func line(_ number: Int, of source: String) -> Substring {
        var source = source
        let bounds: (start: Int, end: Int) = source.withUTF8 { bytes in
            let count = bytes.count
            var index = count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
            var current = 1
            var lineStart = index
            while index < count {
                let byte = bytes[index]
                var breakLength = 0
                switch byte {
                case 0x0A...0x0C: breakLength = 1
                case 0x0D: breakLength = index + 1 < count && bytes[index + 1] == 0x0A ? 2 : 1
                case 0xC2 where index + 1 < count && bytes[index + 1] == 0x85: breakLength = 2
                case 0xE2 where index + 2 < count && bytes[index + 1] == 0x80
                    && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9):
                    breakLength = 3
                default: break
                }
                if breakLength == 0 {
                    index += 1
                    continue
                }
                if current == number { return (lineStart, index) }
                current += 1
                index += breakLength
                lineStart = index
            }
            return current == number ? (lineStart, count) : (count, count)
        }
        let utf8 = source.utf8
        let start = utf8.index(utf8.startIndex, offsetBy: bounds.start)
        let end = utf8.index(utf8.startIndex, offsetBy: bounds.end)
        return source[start..<end]
    }
}

extension Character {
    /// The character as a diagnostic shows it: a tab as one space, and a control or invisible
    /// format character (NUL, ESC, a byte-order mark, a bidirectional override) as its code
    /// point, `\u{1B}`, so that echoing input cannot move the cursor or recolour the terminal.
    var displayed: String {
        if self == "\t" { return " " }
        let scalars = unicodeScalars
        if scalars.count == 1, let scalar = scalars.first {
            let category = scalar.properties.generalCategory
            if category == .control || category == .format {
                return "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            }
        }
        return String(self)
    }
}
