import Symbolic

/// Every name the generated code uses, with reserved ones renamed, and fresh names on demand.
///
/// Symbolic already makes the program's names unique (inputs, stages, `out`, adjoints `d<name>`).
/// A name becomes a problem only when the target language reserves it, or when it is the
/// generated function's own name: it is then renamed to `name_` (or `name_2`, `name_3`, ...),
/// avoiding every other name in the code, reserved names, and names already handed out.
/// Renaming is deterministic: names are visited in input, then equation, then adjoint order.
struct NamePlan {
    /// Input and equation names, as emitted.
    private(set) var names: NodeMap<String>
    /// Adjoint names, as emitted.
    private(set) var adjointNames: NodeMap<String>
    /// The name of the variable holding the value.
    let outputName: String
    /// Every rename, in the order made.
    private(set) var renamed: [Renaming] = []
    private var taken: Set<String>
    private var nextTemporary = 0

    init(_ gradient: Gradient, reserved: Set<String>, functionName: String) {
        let staged = gradient.staged
        var ordered = staged.inputs + staged.equations.map(\.name) + [staged.outputName]
        ordered += staged.inputNodes.compactMap { gradient.adjointNames[$0] }
        ordered += staged.equations.compactMap { gradient.adjointNames[$0.node] }
        if let alias = staged.outputAlias, let name = gradient.adjointNames[alias] { ordered.append(name) }

        var taken = Set(ordered).union(reserved)
        taken.insert(functionName)
        var map: [String: String] = [:]
        var renamed: [Renaming] = []
        for name in ordered where map[name] == nil && (reserved.contains(name) || name == functionName) {
            var candidate = name + "_"
            var suffix = 2
            while taken.contains(candidate) {
                candidate = "\(name)_\(suffix)"
                suffix += 1
            }
            taken.insert(candidate)
            map[name] = candidate
            renamed.append(Renaming(from: name, to: candidate))
        }
        // Usually nothing is renamed; then the maps are shared, not rebuilt name by name.
        self.names = map.isEmpty ? staged.names : staged.names.mapValues { map[$0] ?? $0 }
        self.adjointNames = map.isEmpty ? gradient.adjointNames : gradient.adjointNames.mapValues { map[$0] ?? $0 }
        self.outputName = map[staged.outputName] ?? staged.outputName
        self.renamed = renamed
        self.taken = taken
    }

    /// `preferred`, or `preferred_2`, `preferred_3`, ... if that is in use; marks it used.
    mutating func unique(_ preferred: String) -> String {
        if taken.insert(preferred).inserted { return preferred }
        var suffix = 2
        while !taken.insert("\(preferred)_\(suffix)").inserted { suffix += 1 }
        return "\(preferred)_\(suffix)"
    }

    /// The next unused temporary of `t0`, `t1`, ...
    mutating func temporary() -> String {
        while true {
            let name = "t\(nextTemporary)"
            nextTemporary += 1
            if taken.insert(name).inserted { return name }
        }
    }
}
