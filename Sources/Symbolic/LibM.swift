#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The C math library's functions under names that `Function`'s cases (`.sin`, `.exp`) do not
/// shadow, so the evaluator need not import Foundation for them: without Foundation (and the ICU
/// it loads) the `symdiff` process starts at 9 MB rather than 18, which is 90 bytes per forward op
/// of a 10^5-op program.
enum LibM {
    static func log(_ x: Double) -> Double { cLog(x) }
    static func log1p(_ x: Double) -> Double { cLog1p(x) }
    static func log2(_ x: Double) -> Double { cLog2(x) }
    static func log10(_ x: Double) -> Double { cLog10(x) }
    static func exp(_ x: Double) -> Double { cExp(x) }
    static func pow(_ x: Double, _ y: Double) -> Double { cPow(x, y) }
    static func sin(_ x: Double) -> Double { cSin(x) }
    static func cos(_ x: Double) -> Double { cCos(x) }
    static func tan(_ x: Double) -> Double { cTan(x) }
    static func asin(_ x: Double) -> Double { cAsin(x) }
    static func acos(_ x: Double) -> Double { cAcos(x) }
    static func atan(_ x: Double) -> Double { cAtan(x) }
    static func sinh(_ x: Double) -> Double { cSinh(x) }
    static func cosh(_ x: Double) -> Double { cCosh(x) }
    static func tanh(_ x: Double) -> Double { cTanh(x) }
}

// At file scope the names below resolve to the C library's, not to LibM's members.
private func cLog(_ x: Double) -> Double { log(x) }
private func cLog1p(_ x: Double) -> Double { log1p(x) }
private func cLog2(_ x: Double) -> Double { log2(x) }
private func cLog10(_ x: Double) -> Double { log10(x) }
private func cExp(_ x: Double) -> Double { exp(x) }
private func cPow(_ x: Double, _ y: Double) -> Double { pow(x, y) }
private func cSin(_ x: Double) -> Double { sin(x) }
private func cCos(_ x: Double) -> Double { cos(x) }
private func cTan(_ x: Double) -> Double { tan(x) }
private func cAsin(_ x: Double) -> Double { asin(x) }
private func cAcos(_ x: Double) -> Double { acos(x) }
private func cAtan(_ x: Double) -> Double { atan(x) }
private func cSinh(_ x: Double) -> Double { sinh(x) }
private func cCosh(_ x: Double) -> Double { cosh(x) }
private func cTanh(_ x: Double) -> Double { tanh(x) }

/// `printf`-style formatting of numbers (`%.2e`, `%.3g`, `%04x`), which Foundation's
/// `String(format:)` gave: C's `vsnprintf` into a buffer.
public enum CFormat {
    /// `format` with `arguments` substituted, as C's `printf` writes it.
    public static func string(_ format: String, _ arguments: CVarArg...) -> String {
        withVaList(arguments) { list in
            var buffer = [CChar](repeating: 0, count: 128)
            let needed = Int(vsnprintf(&buffer, buffer.count, format, list))
            guard needed >= buffer.count else { return String(decoding: buffer.prefix(Swift.max(needed, 0)).map { UInt8(bitPattern: $0) }, as: UTF8.self) }
            // Longer than the buffer: once more with room for all of it (a va_list is used once).
            return withVaList(arguments) { again in
                var large = [CChar](repeating: 0, count: needed + 1)
                let written = Int(vsnprintf(&large, large.count, format, again))
                return String(decoding: large.prefix(Swift.max(written, 0)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
        }
    }
}
