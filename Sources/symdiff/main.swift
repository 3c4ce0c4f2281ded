// Everything except these lines lives in CLI/, which Tests/symdiffTests/CLI links to, so tests can
// drive `SymdiffCLI.main` in-process although a test target cannot depend on an executable.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

#if canImport(Glibc)
// A fixed mmap threshold: every block of 1 MB or more (the graph's arrays, the memo table, the
// gradient's maps) is mapped on its own and unmapped when freed. glibc's default raises the
// threshold to the size of the largest block freed so far, after which those arrays come from the
// heap, and what one phase frees stays resident beside what the next allocates: `symdiff emit` of a
// 786,432-op chain peaked at 556 MB with the default and 508 MB with this (user time the same, 0.03 s more in the kernel).
// Glibc's module map leaves out malloc.h, so mallopt is looked up by name (M_MMAP_THRESHOLD is -3).
if let mallopt = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") {
    typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
    _ = unsafeBitCast(mallopt, to: Mallopt.self)(-3, 1 << 20)
}
#endif

exit(SymdiffCLI.main(arguments: Array(CommandLine.arguments.dropFirst()), io: .standard))
