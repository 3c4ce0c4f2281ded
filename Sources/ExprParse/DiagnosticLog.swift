/// Collects diagnostics for one phase, up to a limit, so that garbage input (a megabyte of `×`)
/// yields a readable report and bounded work instead of a million messages.
struct DiagnosticLog: Sendable {
    let limit: Int
    private(set) var diagnostics: [Diagnostic] = []
    /// Set once a report was dropped because the log was full; the caller then stops early.
    private(set) var overflowed = false

    init(limit: Int) {
        self.limit = limit
    }

    var isFull: Bool { diagnostics.count >= limit }

    /// Records a diagnostic. A second error starting at the same place as the previous one is
    /// dropped: it is nearly always a consequence of the first (swiftc does the same).
    mutating func report(_ severity: Diagnostic.Severity, id: String, _ message: String,
                         at range: SourceRange, notes: [String] = []) {
        if let last = diagnostics.last, severity == .error, last.severity == .error,
           last.range.start == range.start {
            return
        }
        guard !isFull else {
            overflowed = true
            return
        }
        diagnostics.append(Diagnostic(severity, id: id, message, at: range, notes: notes))
    }
}
