/// The CLI's connection to the outside world: stdout, stderr, stdin and files.
///
/// Commands never touch file descriptors directly; they go through an `IO` value, so the
/// whole CLI can run in-process with captured output (tests build one with closures) and the
/// promise "results on stdout, errors on stderr" has one place to be kept.
struct IO: Sendable {
    /// Writes text to standard output exactly as given. A failed write is remembered for
    /// `finishOutput` rather than thrown, so commands print without handling errors.
    var writeOutput: @Sendable (String) -> Void
    /// Writes text to standard error exactly as given.
    var writeError: @Sendable (String) -> Void
    /// Reads standard input, stopping after `maxBytes` so an endless pipe cannot exhaust memory.
    /// Throws `CLIError.input` with the reason.
    var readStandardInput: @Sendable (_ maxBytes: Int) throws -> [UInt8]
    /// Reads at most `maxBytes` of a file. Throws `CLIError.input("cannot read 'PATH': reason")`.
    var readFile: @Sendable (_ path: String, _ maxBytes: Int) throws -> [UInt8]
    /// Creates or replaces a file, for `emit -o FILE`, with the bytes `contents` hands to its
    /// sink, in order (chunks, so that a 100 MB gradient is never held whole). Throws
    /// `CLIError.input` with the reason.
    var writeFile: @Sendable (_ path: String, _ contents: (_ sink: (UnsafeBufferPointer<UInt8>) -> Void) -> Void) throws -> Void
    /// Called once, by `SymdiffCLI.main`, after the command: throws
    /// `CLIError.input("cannot write to standard output: reason")` if any write to standard
    /// output failed (a full disk, a closed descriptor), so results that never arrived cannot
    /// end in exit status 0.
    var finishOutput: @Sendable () throws(CLIError) -> Void

    /// Writes one line of results to standard output.
    func print(_ line: String) {
        writeOutput(line + "\n")
    }

    /// Writes one line of diagnostics to standard error.
    func printError(_ line: String) {
        writeError(line + "\n")
    }
}

extension IO {
    /// The process's real descriptors 0, 1 and 2 and the file system.
    static let standard = IO(
        writeOutput: { standardOutput.write($0) },
        writeError: { POSIXFiles.writeAll($0, to: 2) },
        readStandardInput: { maxBytes in
            try POSIXFiles.attempt("cannot read standard input") { () throws(POSIXFiles.Failure) in
                try POSIXFiles.readAll(descriptor: 0, maxBytes: maxBytes)
            }
        },
        readFile: { path, maxBytes in
            try POSIXFiles.attempt("cannot read '\(path)'") { () throws(POSIXFiles.Failure) in
                try POSIXFiles.readFile(path: path, maxBytes: maxBytes)
            }
        },
        writeFile: { path, contents in
            try POSIXFiles.attempt("cannot write '\(path)'") { () throws(POSIXFiles.Failure) in
                try POSIXFiles.writeFile(toPath: path, contents)
            }
        },
        finishOutput: { () throws(CLIError) in
            if let failure = standardOutput.failure {
                throw CLIError.input("cannot write to standard output: \(failure.reason)")
            }
        }
    )

    /// Descriptor 1, remembering its first failed write.
    private static let standardOutput = POSIXFiles.CheckedOutput(descriptor: 1)
}
