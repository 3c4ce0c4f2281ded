import Symbolic

/// Every name the generated code uses, with reserved ones renamed, and fresh names on demand.
///
/// Symbolic already makes the program's names unique (inputs, stages, `out`, adjoints `d<name>`),
/// and the names it makes up avoid every target language's reserved words. A name becomes a
/// problem only when the program itself chose a reserved one (an input `lambda`), or when it is
/// the generated function's own name: it is then renamed to `name_` (or `name_2`, `name_3`, ...),
/// avoiding every other name in the code, reserved names, and names already handed out.
/// Renaming is deterministic: names are visited in input, then equation, then adjoint order.
///
/// Which names clash is decided by asking about the few candidates (the reserved words and the
/// function's name), not by collecting the program's names, which for 10^5 equations would be
/// a set of 3*10^5 strings built only to find nothing.
struct NamePlan {
    /// Input and equation names, as emitted.
    private(set) var names: NodeMap<String>
    /// Adjoint names, as emitted.
    private(set) var adjointNames: NodeMap<String>
    /// The name of the variable holding the value.
    private(set) var outputName: String
    /// Every rename, in the order made.
    private(set) var renamed: [Renaming] = []
    private let gradient: Gradient
    private let reserved: Set<String>
    private let functionName: String
    /// Names this plan handed out (renames, temporaries, seeds).
    private var handedOut: Set<String> = []
    private var nextTemporary = 0

    init(_ gradient: Gradient, reserved: Set<String>, functionName: String) {
        let staged = gradient.staged
        self.gradient = gradient
        self.reserved = reserved
        self.functionName = functionName
        self.names = staged.names
        self.adjointNames = gradient.adjointNames
        self.outputName = staged.outputName
        var clashing = Set(reserved.filter { gradient.isNameInUse($0) })
        if gradient.isNameInUse(functionName) { clashing.insert(functionName) }
        guard !clashing.isEmpty else { return }

        // Visit every name in order, but hash only those as long as a clashing one.
        let lengths = Set(clashing.map(\.utf8.count))
        func clashes(_ name: String) -> Bool { lengths.contains(name.utf8.count) && clashing.contains(name) }
        var map: [String: String] = [:]
        func renamed(_ name: String) -> String? {
            guard clashes(name) else { return nil }
            if let new = map[name] { return new }
            var candidate = name + "_"
            var suffix = 2
            while !isFree(candidate) {
                candidate = "\(name)_\(suffix)"
                suffix += 1
            }
            handedOut.insert(candidate)
            map[name] = candidate
            self.renamed.append(Renaming(from: name, to: candidate))
            return candidate
        }
        for (name, node) in zip(staged.inputs, staged.inputNodes) {
            if let new = renamed(name) { names[node] = new }
        }
        for equation in staged.equations {
            if let new = renamed(equation.name) { names[equation.node] = new }
        }
        outputName = renamed(staged.outputName) ?? staged.outputName
        let adjointed = staged.inputNodes + staged.equations.map(\.node) + (staged.outputAlias.map { [$0] } ?? [])
        for node in adjointed {
            if let name = adjointNames[node], let new = renamed(name) { adjointNames[node] = new }
        }
    }

    /// Whether no variable of the generated code has or will have `name`.
    private func isFree(_ name: String) -> Bool {
        !gradient.isNameInUse(name) && !reserved.contains(name) && name != functionName && !handedOut.contains(name)
    }

    /// `preferred`, or `preferred_2`, `preferred_3`, ... if that is in use; marks it used.
    mutating func unique(_ preferred: String) -> String {
        var candidate = preferred
        var suffix = 2
        while !isFree(candidate) {
            candidate = "\(preferred)_\(suffix)"
            suffix += 1
        }
        handedOut.insert(candidate)
        return candidate
    }

    /// The next unused temporary of `t0`, `t1`, ...
    mutating func temporary() -> String {
        while true {
            let name = "t\(nextTemporary)"
            nextTemporary += 1
            if isFree(name) {
                handedOut.insert(name)
                return name
            }
        }
    }
}
