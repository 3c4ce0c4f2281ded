import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Plain `open`/`read`/`write` on descriptors, behind `IO.standard`.
///
/// Used instead of Foundation's `FileHandle` for two reasons: its error reasons are
/// `strerror` text ("No such file or directory"), short and stable across platforms for golden
/// tests, and a write to a closed pipe returns an error here instead of raising an exception.
enum POSIXFiles {
    /// A failed system call, carrying `errno`.
    struct Failure: Error {
        var code: Int32
        /// The C library's wording, e.g. "Permission denied".
        var reason: String { String(cString: strerror(code)) }
    }

    /// Runs `body`, turning its failure into `CLIError.input("WHAT: reason")`.
    static func attempt<T>(_ what: String, _ body: () throws(Failure) -> T) throws(CLIError) -> T {
        do {
            return try body()
        } catch {
            throw CLIError.input("\(what): \(error.reason)")
        }
    }

    /// Reads a whole file, or its first `maxBytes` bytes.
    static func readFile(path: String, maxBytes: Int) throws(Failure) -> [UInt8] {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw Failure(code: errno) }
        defer { close(descriptor) }
        return try readAll(descriptor: descriptor, maxBytes: maxBytes)
    }

    /// Reads until end of file or until `maxBytes` bytes have arrived.
    static func readAll(descriptor: Int32, maxBytes: Int) throws(Failure) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while bytes.count < maxBytes {
            let wanted = min(chunk.count, maxBytes - bytes.count)
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, wanted) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw Failure(code: errno)
            }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return bytes
    }

    /// Creates or truncates `path` (mode 0644 before umask) and writes `text` to it.
    static func writeFile(toPath path: String, _ contents: (_ sink: (UnsafeBufferPointer<UInt8>) -> Void) -> Void) throws(Failure) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw Failure(code: errno) }
        // The first failed write is kept and the rest skipped: they would fail too.
        var failure: Int32?
        contents { bytes in
            guard failure == nil else { return }
            failure = writeBytes(bytes, to: descriptor)
        }
        if let failure {
            close(descriptor)
            throw Failure(code: failure)
        }
        // Some file systems report a failed write only when the file is closed.
        guard close(descriptor) == 0 else { throw Failure(code: errno) }
    }

    /// Writes text to a descriptor, ignoring failure: for standard error there is nowhere left
    /// to report a failed write. Standard output uses `CheckedOutput` instead.
    static func writeAll(_ text: String, to descriptor: Int32) {
        try? writeBytes(text, to: descriptor)
    }

    /// A descriptor whose first failed write is kept, to be reported once at exit.
    ///
    /// Writes are not buffered, so results and diagnostics interleave on a terminal in the order
    /// they were made; after a failure later writes are skipped, since they would fail too.
    final class CheckedOutput: Sendable {
        private let descriptor: Int32
        private let firstFailure = Mutex<Failure?>(nil)

        init(descriptor: Int32) {
            self.descriptor = descriptor
        }

        /// The first write that failed, if any.
        var failure: Failure? { firstFailure.withLock { $0 } }

        func write(_ text: String) {
            firstFailure.withLock { failure in
                guard failure == nil else { return }
                do throws(Failure) {
                    try POSIXFiles.writeBytes(text, to: descriptor)
                } catch {
                    failure = error
                }
            }
        }
    }

    /// Writes `text`'s UTF-8 from the String's own storage: `emit` output is 10 MB at 10^5
    /// ops, and an `Array(text.utf8)` copy of it was a tenth of the command's peak memory.
    private static func writeBytes(_ text: String, to descriptor: Int32) throws(Failure) {
        var text = text
        let failure: Int32? = text.withUTF8 { writeBytes($0, to: descriptor) }
        if let failure { throw Failure(code: failure) }
    }

    /// Writes all of `bytes`, retrying after a signal; the `errno` of a failure, nil when written.
    private static func writeBytes(_ bytes: UnsafeBufferPointer<UInt8>, to descriptor: Int32) -> Int32? {
        var written = 0
        while written < bytes.count {
            let count = write(descriptor, bytes.baseAddress?.advanced(by: written), bytes.count - written)
            if count < 0 {
                if errno == EINTR { continue }
                return errno
            }
            written += count
        }
        return nil
    }
}
