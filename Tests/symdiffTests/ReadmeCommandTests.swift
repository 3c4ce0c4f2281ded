import Foundation
import Testing

/// One `$ symdiff ...` line of a `console` block in README.md with the output shown under it.
struct ReadmeExample: CustomTestStringConvertible, Sendable {
    let line: Int
    let command: String
    let arguments: [String]
    /// The lines shown under the command, without the trailing `...` of an elided output.
    let shown: [String]
    /// The README shows only the start of the output and ends it with a line `...`.
    let elided: Bool

    var testDescription: String { "README.md:\(line): \(command)" }
}

/// The README's tour, run against the built binary: every `$ symdiff ...` command in a
/// ```` ```console ```` block of README.md that has output under it must print exactly that output.
///
/// What a command prints is compared as the README shows it: standard error (notes, warnings,
/// errors) first, then standard output. Commands shown without output (the long `emit` listings,
/// `check`, whose figures are a platform's rounding, and the `graph ... | dot` pipeline) are not run.
/// An output that ends in a line `...` is elided on purpose (a long array, the rest of an error's
/// notes): it is not compared as a whole; only the lines shown before the `...` are checked as the
/// start of what the command prints. Arguments after `-f` are files relative to the package root
/// (`examples/lenet.sd`).
@Suite struct ReadmeCommandTests {
    static let readme = packageRoot.appendingPathComponent("README.md")

    /// The examples, parsed from README.md: shell words in single quotes or bare, as written there.
    static let examples: [ReadmeExample] = {
        guard let text = try? String(contentsOf: readme, encoding: .utf8) else { return [] }
        var examples: [ReadmeExample] = []
        var inConsole = false
        var current: (line: Int, command: String)?
        var shown: [String] = []
        func finish() {
            if let current, !shown.isEmpty {
                let elided = shown.last == "..."
                examples.append(ReadmeExample(line: current.line, command: current.command,
                                              arguments: shellWords(String(current.command.dropFirst("symdiff ".count))),
                                              shown: elided ? Array(shown.dropLast()) : shown, elided: elided))
            }
            current = nil
            shown = []
        }
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line == "```console" { inConsole = true; continue }
            guard inConsole else { continue }
            if line == "```" {
                finish()
                inConsole = false
            } else if line.hasPrefix("$ symdiff ") {
                finish()
                current = (index + 1, String(line.dropFirst(2)))
            } else if current != nil {
                shown.append(String(line))
            }
        }
        return examples
    }()

    /// Splits a command line as the shell does for the README's commands: words separated by
    /// spaces, single-quoted parts kept whole.
    static func shellWords(_ text: String) -> [String] {
        var words: [String] = []
        var word = ""
        var quoted = false
        var inWord = false
        for c in text {
            if c == "'" {
                quoted.toggle()
                inWord = true
            } else if c == " ", !quoted {
                if inWord { words.append(word) }
                word = ""
                inWord = false
            } else {
                word.append(c)
                inWord = true
            }
        }
        if inWord { words.append(word) }
        return words
    }

    @Test func theReadmeHasItsExamples() {
        // A change to the README's format that hid the examples from this test would pass silently.
        #expect(Self.examples.count >= 40)
        #expect(Self.examples.contains { $0.elided })
        #expect(Self.shellWords("eval 'W: (2, 2); x' --at 'x=[1, 2]'") == ["eval", "W: (2, 2); x", "--at", "x=[1, 2]"])
    }

    @Test(arguments: ReadmeCommandTests.examples)
    func printsWhatTheReadmeShows(_ example: ReadmeExample) {
        var arguments = example.arguments
        for i in arguments.indices.dropFirst() where arguments[i - 1] == "-f" {
            arguments[i] = packageRoot.appendingPathComponent(arguments[i]).path
        }
        let run = runSymdiff(arguments)
        let printed = (run.stderr + run.stdout).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let lines = printed.last == "" ? Array(printed.dropLast()) : printed
        if example.elided {
            #expect(Array(lines.prefix(example.shown.count)) == example.shown, "README.md line \(example.line)")
            #expect(lines.count > example.shown.count, "README.md line \(example.line) elides output that is not there")
        } else {
            #expect(lines == example.shown, "README.md line \(example.line)")
        }
    }
}
