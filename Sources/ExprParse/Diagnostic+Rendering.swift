/// Rendering a diagnostic the way compilers do.
extension Diagnostic {
    /// The diagnostic as text, with no trailing newline and no colour:
    /// ```
    /// input:1:5: error: unknown function 'sigmod'; did you mean 'sigmoid'?
    /// x + sigmod(x)
    ///     ^~~~~~
    /// note: to multiply, write 'sigmod*(...)'
    /// ```
    /// The source line is shown with tabs as single spaces (a tab is one column, so the caret
    /// stays aligned) and without trailing spaces. `^` marks the first character of the range and
    /// `~` the rest of it on that line; an empty range, or one at the end of the line, is a
    /// lone `^`. Each note follows on its own line.
    public func render(source: String, fileName: String = "input") -> String {
        var output = "\(fileName):\(range.start.line):\(range.start.column): \(severity.rawValue): \(message)"
        let line = Diagnostic.line(range.start.line, of: source)
        output += "\n" + Diagnostic.trimmingTrailingSpaces(String(line.map { $0 == "\t" ? " " : $0 }))
        let column = max(range.start.column, 1)
        let lastColumn = range.end.line == range.start.line ? range.end.column : line.count + 1
        let width = min(lastColumn, line.count + 1) - column
        output += "\n" + String(repeating: " ", count: column - 1) + "^"
        if width > 1 { output += String(repeating: "~", count: width - 1) }
        for note in notes { output += "\n" + note }
        return output
    }

    /// The characters of 1-based line `number` (empty past the end). Lines break at any
    /// newline character, `\r\n` included, exactly as the lexer counts them.
    static func line(_ number: Int, of source: String) -> [Character] {
        var current = 1
        var result: [Character] = []
        for character in source {
            if character.isNewline {
                if current == number { break }
                current += 1
            } else if current == number {
                result.append(character)
            }
        }
        return result
    }

    private static func trimmingTrailingSpaces(_ text: String) -> String {
        var text = text
        while let last = text.last, last == " " { text.removeLast() }
        return text
    }
}
