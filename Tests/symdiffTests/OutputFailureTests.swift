import Foundation
import Testing

/// Results that cannot be written are a failure: exit 1 and one line saying why, never a
/// silent exit 0 with the output lost.
@Suite struct OutputFailureTests {
    @Test func fullDiskOnStandardOutput() {
        let run = runSymdiff(["emit", "sigmoid(x)", "--lang", "numpy"], stdout: .redirected(to: "/dev/full"))
        #expect(run.stderr == "error: cannot write to standard output: No space left on device\n")
        #expect(run.status == 1)
    }

    @Test func closedStandardOutput() {
        let run = runSymdiff(["grad", "x"], stdout: .closed)
        #expect(run.stderr == "error: cannot write to standard output: Bad file descriptor\n")
        #expect(run.status == 1)
    }

    @Test func helpToAFullDisk() {
        let run = runSymdiff(["--help"], stdout: .redirected(to: "/dev/full"))
        #expect(run.stderr == "error: cannot write to standard output: No space left on device\n")
        #expect(run.status == 1)
    }

    /// The reason is said once, not "cannot write 'F': cannot write 'F': ...".
    @Test func fullDiskForOutputFile() {
        let run = runSymdiff(["emit", "sigmoid(x)", "--lang", "numpy", "-o", "/dev/full"])
        #expect(run.stderr == "error: cannot write '/dev/full': No space left on device\n")
        #expect(run.stdout == "")
        #expect(run.status == 1)
    }

    /// A command that failed keeps its own message and status; a closed stdout it never wrote
    /// to adds nothing.
    @Test func failedCommandWithClosedStandardOutput() {
        let run = runSymdiff(["eval", "x", "--at", "x=y"], stdout: .closed)
        #expect(run.stderr == "error: the value of 'x' must be a constant expression, but it reads 'y'\n")
        #expect(run.status == 1)
    }

    @Test func writeFailureReachesTheOneCatchSite() {
        let (io, captured) = IO.capturing(stdoutFailure: "No space left on device")
        let status = SymdiffCLI.main(arguments: ["grad", "x*y"], io: io)
        #expect(status == 1)
        #expect(captured.stderr == "error: cannot write to standard output: No space left on device\n")
        let usage = SymdiffCLI.main(arguments: ["grad", "x", "--bogus"], io: io)
        #expect(usage == 2, "a usage error keeps its status")
    }
}
