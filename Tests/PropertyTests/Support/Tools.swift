import Foundation
import Testing

/// Runs python3 and swiftc for the batched execution properties, with output in files (a
/// chatty process never blocks on a pipe).
enum Tools {
    struct Output {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static func scratch(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("symdiff-property-\(label)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func run(_ tool: String, _ arguments: [String], in directory: URL? = nil) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        if let directory { process.currentDirectoryURL = directory }
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("symdiff-property-run-\(UUID().uuidString)")
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
        return Output(status: process.terminationStatus,
                      stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
                      stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }

    /// Whether `tool --version`-style probing works; records a failure naming what to install.
    static func require(_ tool: String, _ probe: [String], install: String) throws -> Bool {
        let result = try run(tool, probe)
        if result.status != 0 {
            Issue.record("\(tool) is required for this property and failed (\(result.status)): \(install)\n\(result.stderr)")
            return false
        }
        return true
    }
}

/// Numeric comparison shared by the properties.
enum Numbers {
    /// `|a - b| <= tolerance * max(1, |b|)`; NaN matches NaN, infinities match themselves.
    static func close(_ a: Double, _ b: Double, _ tolerance: Double) -> Bool {
        if a.isNaN && b.isNaN { return true }
        if a == b { return true }
        return Swift.abs(a - b) <= tolerance * Swift.max(1, Swift.abs(b))
    }

    /// `Double`'s `description` for generated source: `1.0`, `-0.25`, `1e-300`.
    static func literal(_ d: Double) -> String { "\(d)" }
}
