import Foundation
import Testing

/// Exact-text snapshots in `Tests/CodegenTests/Snapshots/`, rewritten when the environment has
/// `RECORD_SNAPSHOTS=1`. Package.swift excludes the folder from the target's sources.
enum Snapshot {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()   // Support
        .deletingLastPathComponent()   // CodegenTests
        .appendingPathComponent("Snapshots", isDirectory: true)

    static var recording: Bool { ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" }

    /// Compares `text` with the snapshot `name`, or records it.
    static func assert(_ text: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = directory.appendingPathComponent(name)
        if recording {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
            print("recorded snapshot \(url.lastPathComponent)")
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record(Comment(rawValue: "no snapshot \(url.path); run with RECORD_SNAPSHOTS=1 to record it"), sourceLocation: sourceLocation)
            return
        }
        if expected != text {
            let message = "snapshot \(name) differs (- snapshot, + now); RECORD_SNAPSHOTS=1 rewrites it:\n" + lineDiff(expected, text)
            Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
        }
    }

    /// The lines removed from `old` and inserted in `new`, with 1-based line numbers.
    static func lineDiff(_ old: String, _ new: String) -> String {
        let a = old.components(separatedBy: "\n"), b = new.components(separatedBy: "\n")
        var lines: [(Int, String)] = []
        for change in b.difference(from: a) {
            switch change {
            case .remove(let offset, let line, _): lines.append((offset, "-\(offset + 1): \(line)"))
            case .insert(let offset, let line, _): lines.append((offset, "+\(offset + 1): \(line)"))
            }
        }
        return lines.sorted { $0.0 < $1.0 }.map(\.1).joined(separator: "\n")
    }
}
