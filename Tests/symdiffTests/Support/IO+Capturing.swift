import Foundation

/// What an in-process run of the CLI wrote, collected from a capturing `IO`.
///
/// A class with a lock because `IO`'s closures are `@Sendable` and all share this one store.
final class CapturedIO: @unchecked Sendable {
    private let lock = NSLock()
    private var out = ""
    private var err = ""
    private var written: [String: String] = [:]

    var stdout: String { lock.withLock { out } }
    var stderr: String { lock.withLock { err } }
    /// Files written through `IO.writeFile`, by path.
    var files: [String: String] { lock.withLock { written } }

    fileprivate func append(stdout text: String) { lock.withLock { out += text } }
    fileprivate func append(stderr text: String) { lock.withLock { err += text } }
    fileprivate func store(_ text: String, at path: String) { lock.withLock { written[path] = text } }
}

extension IO {
    /// An `IO` that reads `stdin` and the in-memory `files` and records everything written.
    ///
    /// Missing files fail with the same wording as `IO.standard`, so in-process and
    /// end-to-end tests can share expectations. With `stdoutFailure`, standard output behaves
    /// like a full disk or closed descriptor: the text is still recorded, and `finishOutput`
    /// reports the reason as `IO.standard` would.
    static func capturing(stdin: [UInt8] = [], files: [String: [UInt8]] = [:],
                          stdoutFailure: String? = nil) -> (IO, CapturedIO) {
        let captured = CapturedIO()
        let io = IO(
            writeOutput: { captured.append(stdout: $0) },
            writeError: { captured.append(stderr: $0) },
            readStandardInput: { maxBytes in Array(stdin.prefix(maxBytes)) },
            readFile: { path, maxBytes in
                guard let bytes = files[path] else {
                    throw CLIError.input("cannot read '\(path)': No such file or directory")
                }
                return Array(bytes.prefix(maxBytes))
            },
            writeFile: { path, contents in
                var bytes: [UInt8] = []
                contents { bytes.append(contentsOf: $0) }
                captured.store(String(decoding: bytes, as: UTF8.self), at: path)
            },
            finishOutput: { () throws(CLIError) in
                if let stdoutFailure, !captured.stdout.isEmpty {
                    throw CLIError.input("cannot write to standard output: \(stdoutFailure)")
                }
            }
        )
        return (io, captured)
    }
}

/// Runs the CLI in-process on `arguments` and returns its output and exit status.
func runInProcess(_ arguments: [String], stdin: [UInt8] = [],
                  files: [String: [UInt8]] = [:]) -> (stdout: String, stderr: String, status: Int32) {
    let (io, captured) = IO.capturing(stdin: stdin, files: files)
    let status = SymdiffCLI.main(arguments: arguments, io: io)
    return (captured.stdout, captured.stderr, status)
}
