import Codegen
import Foundation
import Symbolic

/// One generated function of the batch: a corpus case in one style.
struct BatchEntry {
    let key: String
    let testCase: CorpusCase
    let gradient: Gradient
    let code: EmittedCode
    /// Whether some results legitimately stay NumPy scalars when one input is an array: the
    /// value is a constant, or reads only the input that the broadcast test passes as a float.
    var mayStayScalar: Bool { ["2*pi", "x"].contains(testCase.source) }
}

/// Generated code for every corpus case in both styles.
enum Batch {
    static func entries(_ language: Language, styles: [Bool] = [false, true]) throws -> [BatchEntry] {
        var entries: [BatchEntry] = []
        for (index, testCase) in Corpus.all.enumerated() {
            let gradient = try testCase.gradient()
            for closedForm in styles {
                let key = "c\(index)_\(closedForm ? "closed" : "staged")"
                let options = EmitOptions(language: language, functionName: key, closedForm: closedForm)
                entries.append(BatchEntry(key: key, testCase: testCase, gradient: gradient,
                                          code: try emit(gradient, source: testCase.source, options: options)))
            }
        }
        return entries
    }
}

/// Compares generated code's numbers with `Gradient.evaluate` (to 1e-12 relative) and with
/// central finite differences of the evaluator's value (to 1e-6 relative).
struct Oracle {
    /// Failure messages, kept short: the first few are reported in full.
    private(set) var failures: [String] = []
    private(set) var comparisons = 0

    /// `|a - b| <= tolerance * max(1, |b|)`, NaN matching NaN and infinities matching themselves.
    static func close(_ a: Double, _ b: Double, _ tolerance: Double) -> Bool {
        if a.isNaN && b.isNaN { return true }
        if a == b { return true }
        return Swift.abs(a - b) <= tolerance * Swift.max(1, Swift.abs(b))
    }

    /// Checks one result row (value, then partials) of `entry` at `point`.
    mutating func check(_ entry: BatchEntry, _ label: String, point: [Double], got: [Double]) {
        let expected = entry.gradient.evaluate(at: point)
        let want = [expected.value] + expected.gradient
        guard got.count == want.count else {
            failures.append("\(entry.key) \(label) at \(point): \(got.count) results, expected \(want.count)")
            return
        }
        for (index, (a, b)) in zip(got, want).enumerated() {
            comparisons += 1
            if !Oracle.close(a, b, 1e-12) {
                failures.append("\(entry.key) [\(entry.testCase.source)] \(label) at \(point): result \(index) is \(a), evaluator says \(b)")
            }
        }
        guard expected.value.isFinite else { return }
        for input in point.indices {
            let h = 1e-5 * Swift.max(1, Swift.abs(point[input]))
            var plus = point, minus = point
            plus[input] += h
            minus[input] -= h
            let difference = (entry.gradient.value(at: plus) - entry.gradient.value(at: minus)) / (2 * h)
            comparisons += 1
            if !Oracle.close(got[input + 1], difference, 1e-6) {
                failures.append("\(entry.key) [\(entry.testCase.source)] \(label) at \(point): partial \(input) is \(got[input + 1]), finite difference says \(difference)")
            }
        }
    }

    mutating func fail(_ message: String) { failures.append(message) }

    /// One message listing the first failures, or nil when all passed.
    var summary: String? {
        guard !failures.isEmpty else { return nil }
        return "\(failures.count) mismatches:\n" + failures.prefix(25).joined(separator: "\n")
    }
}
