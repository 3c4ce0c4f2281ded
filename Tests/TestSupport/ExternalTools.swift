import Foundation
import Testing

/// Runs the interpreters and compilers the execution and property tests need, failing (never
/// skipping) with what to install when one is missing. Shared by CodegenTests and PropertyTests.
public enum ExternalTools {
    /// What a finished process said.
    public struct Output {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    /// A fresh scratch directory for one test.
    public static func scratchDirectory(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("symdiff-codegen-\(label)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// `/usr/bin/env tool arguments...`, with the whole output collected.
    public static func run(_ tool: String, _ arguments: [String], in directory: URL? = nil) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        if let directory { process.currentDirectoryURL = directory }
        // Files rather than pipes: a chatty process can never block on a full pipe buffer.
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("symdiff-run-\(UUID().uuidString)")
        let outURL = base.appendingPathExtension("out"), errURL = base.appendingPathExtension("err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        let outHandle = try FileHandle(forWritingTo: outURL), errHandle = try FileHandle(forWritingTo: errURL)
        process.standardOutput = outHandle
        process.standardError = errHandle
        try process.run()
        process.waitUntilExit()
        try outHandle.close()
        try errHandle.close()
        let outData = try Data(contentsOf: outURL), errData = try Data(contentsOf: errURL)
        return Output(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Checks that python3 with NumPy is installed; records a failure saying what to install.
    public static func requirePythonWithNumPy() throws -> Bool {
        let probe = try run("python3", ["-c", "import numpy, sys; print(numpy.__version__, sys.version_info[:2])"])
        guard probe.status == 0 else {
            Issue.record("""
                python3 with NumPy is required for the NumPy execution tests and was not found \
                (`/usr/bin/env python3 -c 'import numpy'` failed with status \(probe.status)). \
                Install Python 3 and NumPy, e.g. `apt-get install python3 python3-numpy` or `pip install numpy`.
                \(probe.stderr)
                """)
            return false
        }
        return true
    }

    /// Checks that swiftc is on the PATH; records a failure saying what to install.
    public static func requireSwiftc() throws -> Bool {
        let probe = try run("swiftc", ["--version"])
        guard probe.status == 0 else {
            Issue.record("""
                swiftc is required for the Swift execution tests and was not found on the PATH \
                (`/usr/bin/env swiftc --version` failed with status \(probe.status)). \
                Install a Swift 6 toolchain and put its usr/bin on the PATH.
                \(probe.stderr)
                """)
            return false
        }
        return true
    }

    /// Whether `tool PROBE...` works; records a failure naming what to install.
    public static func require(_ tool: String, _ probe: [String], install: String) throws -> Bool {
        let result = try run(tool, probe)
        if result.status != 0 {
            Issue.record("\(tool) is required for this test and failed (\(result.status)): \(install)\n\(result.stderr)")
            return false
        }
        return true
    }
}
