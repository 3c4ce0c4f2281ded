import ExprParse
import Foundation
import Symbolic
import Testing

/// End-to-end goldens for how the built binary reads programs and reports parse problems:
/// continuation lines, warnings (stderr, exit 0, every subcommand), reserved names, oversize
/// programs, long lines, control characters and byte-order marks.
@Suite struct ParseDiagnosticGoldenTests {
    @Test func plusLineContinuesTheStatementAbove() {
        let run = runSymdiff(["grad", "-"], stdin: "f = x^2\n    + y^2\n")
        #expect(run.stdout == "df/dx = 2*x\ndf/dy = 2*y\n")
        #expect(run.stderr == "")
        #expect(run.status == 0)
    }

    @Test func minusLineStartsAStatementAndTheLostAssignmentIsWarnedAbout() {
        let run = runSymdiff(["grad", "-"], stdin: "f = x^2\n    - y^2\n")
        #expect(run.stdout == "df/dx = 0\ndf/dy = -2*y\n")
        #expect(run.stderr == """
            <stdin>:1:1: warning: 'f' is assigned but never used
            f = x^2
            ^~~~~~~
            note: line 2 starts with '-', so it is a new statement; to continue this one, end this line with the '-' or wrap the expression in parentheses

            """)
        #expect(run.status == 0)
    }

    @Test(arguments: [
        ["parse"], ["parse", "--print"], ["stage"], ["grad"], ["emit", "--lang", "numpy"], ["eval", "--at", "x=1,y=2"],
        ["graph"], ["stats"], ["check", "--points", "3", "--seed", "1"],
    ])
    func warningsReachStderrForEverySubcommand(command: [String]) {
        let run = runSymdiff(command + ["-"], stdin: "u = y\nf = x^2\n")
        #expect(run.stderr == "<stdin>:1:1: warning: 'u' is assigned but never used\nu = y\n^~~~~\n")
        #expect(run.status == 0)
        #expect(!run.stdout.isEmpty)
    }

    @Test func reservedStageNameSaysWhyAndSuggestsAFreeName() {
        let program = "a = ln(x); b = sqrt(y); c = sigmoid(b); d = a*c; e = x + y; g = e^2; h = sigmoid(g); f = d/h"
        let run = runSymdiff(["grad", program])
        #expect(run.stdout == "")
        #expect(run.stderr == """
            input:1:50: error: cannot assign to 'e': it is the constant e (Euler's number, 2.71828...)
            \(program)
                                                             ^
            note: 'e' is reserved; use another name, such as 'e1', here and where the value is read

            """)
        #expect(run.status == 1)
    }

    @Test func parserNodeLimitIsTheSymbolicProgramLimit() {
        #expect(Parser.maxNodes == Limits.maxProgramNodes)
    }

    /// The case: about 15 MB, under the 16 MiB input limit, with 15.6 million nodes.
    /// It used to be refused only after parsing it all (21 s and 3.1 GB in a release build);
    /// now the lexer stops at the limit.
    @Test func oversizeProgramIsRefusedEarlyWithAShortMessage() throws {
        let source = String(repeating: "x*y*", count: 3_900_000) + "x"
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("symdiff-big-\(UUID().uuidString).txt")
        try Data(source.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let started = Date()
        let run = runSymdiff(["stats", "-f", url.path])
        let elapsed = Date().timeIntervalSince(started)
        #expect(run.status == 1)
        #expect(run.stdout == "")
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.first == "\(url.path):1:5000001: error: the program is too large: more than 5000000 operations (the limit is 5000000)")
        #expect(lines.last == "note: symdiff stopped reading here")
        #expect(run.stderr.utf8.count < 1000)
        // A debug build on a shared machine; the old code took minutes here.
        #expect(elapsed < 60, "\(elapsed) s")
    }

    @Test func longLineIsShownAsAWindowAndControlCharactersAreEscaped() {
        let run = runSymdiff(["grad", "-"], stdin: String(repeating: "x+", count: 500_000) + "\u{1B}[2J")
        #expect(run.status == 1)
        #expect(!run.stderr.contains("\u{1B}"))
        #expect(run.stderr.utf8.count < 1000)
        #expect(run.stderr.hasPrefix("<stdin>:1:1000001: error: unexpected character '\\u{1B}'\n..."))
    }

    @Test func byteOrderMarkIsSkipped() {
        let run = runSymdiff(["grad", "-"], stdin: "\u{FEFF}x^2\n")
        #expect(run.stdout == "df/dx = 2*x\n")
        #expect(run.stderr == "")
        #expect(run.status == 0)
    }
}
