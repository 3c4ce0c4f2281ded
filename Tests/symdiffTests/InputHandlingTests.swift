import Foundation
import Testing

/// How the built binary gets its expression (argument, `-f FILE`, `-`) and reads option values.
///
/// The command bodies are stubs for now, so these check only that argument handling lets an
/// invocation through: no usage error (status 2) and no pointer to help on stderr.
@Suite struct InputHandlingTests {
    private func expectAccepted(_ result: (stdout: String, stderr: String, status: Int32),
                                sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status != 2, "stderr: \(result.stderr)", sourceLocation: sourceLocation)
        #expect(!result.stderr.contains("Run 'symdiff help"), sourceLocation: sourceLocation)
    }

    /// A file in a fresh temporary directory holding `contents`.
    private func temporaryFile(_ contents: Data) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("symdiff-input-\(UUID().uuidString).txt")
        try contents.write(to: url)
        return url
    }

    @Test func dashReadsStandardInput() {
        expectAccepted(runSymdiff(["stage", "-", "--expand"], stdin: "x = ln(t); y = t^3/3; z = 2x + y\n"))
    }

    @Test func standardInputOverTheLimitIsRefused() {
        let result = runSymdiff(["stats", "-"], stdin: String(repeating: "x", count: 16 * 1024 * 1024 + 1))
        #expect(result.stderr == "error: standard input is larger than the 16 MiB input limit\n")
        #expect(result.stdout == "")
        #expect(result.status == 1)
    }

    @Test func fileInput() throws {
        let url = try temporaryFile(Data("ln(x)*sigmoid(sqrt(y))".utf8))
        defer { try? FileManager.default.removeItem(at: url) }
        expectAccepted(runSymdiff(["grad", "-f", url.path, "--wrt", "x,y"]))
        expectAccepted(runSymdiff(["grad", "--file=\(url.path)"]))
    }

    @Test func fileOverTheLimitIsRefused() throws {
        let url = try temporaryFile(Data(count: 16 * 1024 * 1024 + 1))
        defer { try? FileManager.default.removeItem(at: url) }
        let result = runSymdiff(["stats", "-f", url.path])
        #expect(result.stderr == "error: '\(url.path)' is larger than the 16 MiB input limit\n")
        #expect(result.stdout == "")
        #expect(result.status == 1)
    }

    @Test func doubleDashLetsAnExpressionStartWithADash() {
        expectAccepted(runSymdiff(["grad", "--format", "json", "--", "-x^2"]))
        expectAccepted(runSymdiff(["eval", "--at", "x=1", "--", "-x"]))
    }

    @Test func optionValuesMayBeNegative() {
        expectAccepted(runSymdiff(["eval", "(x - 3)^2", "--at", "x=-1", "--step", "-0.5"]))
        expectAccepted(runSymdiff(["eval", "(x - 3)^2", "--at=x=-1", "--step=-0.5"]))
        expectAccepted(runSymdiff(["check", "-2*x", "--seed", "-3"]))
    }
}
