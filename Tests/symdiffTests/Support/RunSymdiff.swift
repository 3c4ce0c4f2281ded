import Foundation
import Testing

/// The package root, three levels above this file (`Tests/symdiffTests/Support/`).
let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The built `symdiff` executable. `swift test` builds every product, the executable included,
/// before running tests (checked on Swift 6.3.1), so this exists after a plain `swift test`.
/// `SYMDIFF_BINARY=/path/to/symdiff` runs the end-to-end tests against another build, e.g. an
/// older one to see that a regression test fails there.
let symdiffBinary = ProcessInfo.processInfo.environment["SYMDIFF_BINARY"].map { URL(fileURLWithPath: $0) }
    ?? packageRoot.appendingPathComponent(".build/debug/symdiff")

/// Runs the built `symdiff` binary as a subprocess and returns what it wrote and its exit status.
///
/// End-to-end tests go through the real binary so they also check `main.swift`, real file
/// descriptors and exit codes. Output is collected through temporary files rather than pipes, so
/// a command that writes a lot to both streams cannot deadlock the test. Without `stdin`, standard
/// input is empty (`/dev/null`), so a test can never hang waiting for a terminal.
///
/// A missing binary or failed launch is recorded as a test failure and returns status -1.
/// Where the child's standard output goes.
enum ChildOutput {
    /// Into a file the test reads back: `stdout` of the result.
    case captured
    /// Redirected by the shell as `>PATH`, e.g. `/dev/full`; `stdout` of the result is empty.
    case redirected(to: String)
    /// Closed, as the shell's `>&-` does; `stdout` of the result is empty.
    case closed
}

func runSymdiff(_ args: [String], stdin: String? = nil, stdout: ChildOutput = .captured,
                sourceLocation: SourceLocation = #_sourceLocation) -> (stdout: String, stderr: String, status: Int32) {
    guard FileManager.default.isExecutableFile(atPath: symdiffBinary.path) else {
        Issue.record("""
            symdiff binary not found at \(symdiffBinary.path). A plain `swift test` builds it; after \
            `swift test --skip-build` or with another --build-path, run `swift build` first.
            """, sourceLocation: sourceLocation)
        return ("", "", -1)
    }
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("symdiff-test-\(UUID().uuidString)")
    do {
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout")
        let errURL = scratch.appendingPathComponent("stderr")
        let inURL = scratch.appendingPathComponent("stdin")
        try Data().write(to: outURL)
        try Data().write(to: errURL)
        try Data((stdin ?? "").utf8).write(to: inURL)

        let process = Process()
        switch stdout {
        case .captured:
            process.executableURL = symdiffBinary
            process.arguments = args
        case .redirected(let path):
            // Foundation cannot close a child's descriptor, so the shell sets it up and execs.
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "exec \"$0\" \"$@\" >'\(path)'", symdiffBinary.path] + args
        case .closed:
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "exec \"$0\" \"$@\" >&-", symdiffBinary.path] + args
        }
        let outHandle = try FileHandle(forWritingTo: outURL)
        let errHandle = try FileHandle(forWritingTo: errURL)
        let inHandle = stdin == nil ? FileHandle.nullDevice : try FileHandle(forReadingFrom: inURL)
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = inHandle
        try process.run()
        process.waitUntilExit()
        try outHandle.close()
        try errHandle.close()
        return (try String(contentsOf: outURL, encoding: .utf8),
                try String(contentsOf: errURL, encoding: .utf8),
                process.terminationStatus)
    } catch {
        Issue.record("could not run \(symdiffBinary.path) \(args): \(error)", sourceLocation: sourceLocation)
        return ("", "", -1)
    }
}
