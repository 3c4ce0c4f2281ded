// Everything except this line lives in CLI/, which Tests/symdiffTests/CLI links to, so tests can
// drive `SymdiffCLI.main` in-process although a test target cannot depend on an executable.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

exit(SymdiffCLI.main(arguments: Array(CommandLine.arguments.dropFirst()), io: .standard))
