import TestSupport
import Foundation
import Testing

extension ExternalTools {
    /// Checks that Graphviz's `dot` is on the PATH; records a failure saying what to install.
    static func requireDot() throws -> Bool {
        let probe = try run("dot", ["-V"])
        guard probe.status == 0 else {
            Issue.record("""
                Graphviz's dot is required for the DOT tests and was not found \
                (`/usr/bin/env dot -V` failed with status \(probe.status)). \
                Install it, e.g. `apt-get install graphviz` (CI installs it).
                \(probe.stderr)
                """)
            return false
        }
        return true
    }

    /// Runs `dot -Tsvg` on `text`; the failure names `label` and shows what dot said.
    static func checkWithDot(_ text: String, label: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let directory = try scratchDirectory("dot")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("graph.dot")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let result = try run("dot", ["-Tsvg", file.path])
        // A warning is as bad as an error: it means dot read something other than we meant.
        #expect(result.status == 0 && result.stderr.isEmpty && result.stdout.contains("<svg"),
                "dot rejected \(label) (status \(result.status)):\n\(result.stderr)\n\(text)", sourceLocation: sourceLocation)
    }
}
