import ExprParse

/// Expressions printed with their common subexpressions named once, as SymPy's `cse` does:
/// temporaries `t0, t1, ...`, each defined before it is read, then one text per root.
///
/// A DAG printed as trees repeats every shared subexpression wherever it is used, so the text
/// can grow quadratically (the 16,000 partials of a network each repeat its whole output) or
/// exponentially (a chain whose every stage reads the previous one twice). Named once, the
/// text is linear in the nodes the roots reach.
public struct SharedText: Equatable, Sendable {
    /// One temporary: `name = text`.
    public struct Definition: Equatable, Sendable {
        /// The temporary's name as a program name (`t0`); dialects may spell it differently.
        public let name: String
        /// Its value, reading inputs and earlier temporaries only.
        public let text: String

        public init(name: String, text: String) {
            self.name = name
            self.text = text
        }
    }

    /// The temporaries in definition order: each reads only the roots' own names (inputs) and
    /// temporaries defined before it.
    public let definitions: [Definition]
    /// One text per root, in the order given, reading the temporaries.
    public let roots: [String]

    /// Root `index` as a program in the input language: every definition, one a line, then the
    /// root as the output. It parses back and evaluates to the root's value (input language
    /// only: other dialects' texts are not programs).
    public func program(for index: Int) -> String {
        var text = ""
        for definition in definitions { text += definition.name + " = " + definition.text + "\n" }
        return text + roots[index] + "\n"
    }
}

extension Printer {
    /// Roughly how many characters `render` would write for each root, in one memoised pass
    /// over everything the roots reach (saturating at `Int.max / 2`).
    ///
    /// The estimate counts each leaf's text, each operator with its spaces, and a pair of
    /// parentheses per operation; it lets a caller choose between trees and `renderShared`
    /// without printing, and costs the same for one root or for every partial of a program.
    public func treeSizes(_ roots: [NodeID]) -> [Int] {
        let order = graph.reachable(from: roots)
        var size: [NodeID: Int] = [:]
        size.reserveCapacity(order.count)
        for id in order {
            let node = graph[id]
            let gaps = Swift.max(node.children.count - 1, 0)
            var total: Int
            switch node.op {
            case .number, .constant, .variable, .adjoint: total = node.op.name.count
            case .tensor(let t): total = t.name.count + 2 + 2 * gaps + 24
            case .add, .sub: total = 2 + 3 * gaps
            case .mul, .div, .pow: total = 2 + gaps
            case .neg: total = 3
            case .function(let f): total = f.name.count + 2 + 2 * gaps
            }
            for child in node.children {
                let (sum, overflow) = total.addingReportingOverflow(size[child] ?? 1)
                total = overflow ? Int.max / 2 : Swift.min(sum, Int.max / 2)
            }
            size[id] = total
        }
        return roots.map { size[$0] ?? 1 }
    }

    /// `roots` printed with every operation used more than once (across all roots), and every
    /// one whose inline text would exceed about `maxInlineSize` characters, named once.
    ///
    /// Which nodes are named is `HoistingPlanner`'s decision, the same one `emit --closed-form`
    /// makes for code, so the two listings agree. The cost is linear in the nodes the roots
    /// reach: each definition prints only its own inline part.
    /// - Parameters:
    ///   - reserved: names the temporaries must not take (the program's inputs and any other
    ///     name a reader might paste the listing next to); `t<k>` is skipped when reserved.
    ///   - spelling: how the dialect writes a temporary's name where it is read (LaTeX writes
    ///     `t0` as `t_{0}`); the name itself, by default.
    ///   - maxInlineSize: also name an operation whose inline text would be longer than about
    ///     this many characters, so that no line is huge and no expression nests deeply.
    public func renderShared(_ roots: [NodeID], reserved: Set<String>, spelling: (String) -> String = { $0 },
                             maxInlineSize: Int = 2_000) -> SharedText {
        var hoisted = HoistingPlanner(graph: graph).hoisted(roots, named: { _ in nil }, shareRepeated: true,
                                                            repeatsArgument: { _ in false }, maxInlineSize: maxInlineSize)
        // A root hoisted only for its size, read by nothing else, would print as `t9 = ...`
        // followed by the partial `t9`: print it in place instead.
        var rootUses: [NodeID: Int] = [:]
        for root in roots { rootUses[root, default: 0] += 1 }
        var readByNode = Set<NodeID>()
        for id in graph.reachable(from: roots) {
            for child in graph[id].children where rootUses[child] != nil { readByNode.insert(child) }
        }
        hoisted.removeAll { rootUses[$0] == 1 && !readByNode.contains($0) }

        var names: [NodeID: String] = [:]
        names.reserveCapacity(hoisted.count)
        var rawNames: [String] = []
        rawNames.reserveCapacity(hoisted.count)
        var next = 0
        for node in hoisted {
            var name = "t\(next)"
            while reserved.contains(name) {
                next += 1
                name = "t\(next)"
            }
            next += 1
            rawNames.append(name)
            names[node] = spelling(name)
        }
        var definitions: [SharedText.Definition] = []
        definitions.reserveCapacity(hoisted.count)
        for (node, name) in zip(hoisted, rawNames) {
            // The node's own op, with everything else hoisted read by name.
            let text = printed(node, names: { $0 == node ? nil : names[$0] }).text
            definitions.append(SharedText.Definition(name: name, text: text))
        }
        let texts = roots.map { printed($0, names: { names[$0] }).text }
        return SharedText(definitions: definitions, roots: texts)
    }
}
