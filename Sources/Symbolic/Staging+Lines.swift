import ExprParse

/// One line of staged code before a target language formats it: `name = expression`, or
/// `name += expression` when `accumulates`.
public struct StagedLine: Hashable, Sendable {
    public let name: String
    public let expression: String
    public let accumulates: Bool
    /// The forward equation this line computes or differentiates (`nil` for a zero adjoint).
    public let equation: String?
}

extension StagedProgram {
    /// The forward equations as lines in `dialect`, each showing exactly one op on named
    /// operands (constants inline), followed by the output copy when the output is not a stage.
    /// - Parameter names: the names to print (defaults to the program's own; code generators
    ///   pass renamed ones).
    public func forwardLines<D: Dialect>(_ dialect: D, names: NodeMap<String>? = nil, outputName: String? = nil) -> [StagedLine] {
        let names = names ?? self.names
        let printer = Printer(graph, dialect)
        var lines = equations.map { eq in
            StagedLine(name: names[eq.node] ?? eq.name, expression: printer.render(eq.node, names: names, literalRoot: true),
                       accumulates: false, equation: eq.name)
        }
        if let alias = outputAlias {
            lines.append(StagedLine(name: outputName ?? self.outputName, expression: printer.render(alias, names: names),
                                    accumulates: false, equation: nil))
        }
        return lines
    }
}

extension Gradient {
    /// The staged backward pass as lines in `dialect`: one line per contribution in execution
    /// order (`dx = da`, `dx2 += dc * theta`), then `d<input> = 0` for inputs the output ignores.
    ///
    /// Without `seedName` the seed d<out> = 1 is folded in: a contribution straight from the
    /// output prints as its local derivative alone (`da = z`), as worksheet solutions write it.
    /// With it, the output's adjoint is that variable (`da = dout * z`), which code generators
    /// use so that every adjoint has the shape of the output.
    public func backwardLines<D: Dialect>(_ dialect: D, names: NodeMap<String>? = nil, adjointNames: NodeMap<String>? = nil,
                                          seedName: String? = nil, zero: String = "0") -> [StagedLine] {
        let names = names ?? staged.names
        let adjointNames = adjointNames ?? self.adjointNames
        let printer = Printer(graph, dialect)
        var lines: [StagedLine] = []
        for c in contributions {
            let upstreamName = c.source == staged.output ? seedName : adjointNames[c.source]
            let text = chainText(c, printer: printer, names: gateNames(c, names), upstream: upstreamName)
            lines.append(StagedLine(name: adjointNames[c.target] ?? "?", expression: text, accumulates: c.accumulates,
                                    equation: staged.names[c.source]))
        }
        for node in staged.inputNodes where adjoints[node] == nil || node == staged.output {
            let seed = node == staged.output ? (seedName ?? dialect.number(.one).text) : zero
            lines.append(StagedLine(name: adjointNames[node] ?? "?", expression: seed, accumulates: false, equation: nil))
        }
        return lines
    }

    /// The names to use inside the local derivative of `c`: only the gate's own operands and
    /// output, and inputs, so a reader sees `dx * (2 * t)`, not a distant stage that happens to
    /// equal 2*t. (Checking the node's op rather than listing inputs keeps this O(1) per node
    /// for programs with 10^4 inputs.)
    public func gateNames(_ c: Contribution, _ names: NodeMap<String>) -> (NodeID) -> String? {
        let operands = graph[c.source].children + [c.source]
        let graph = self.graph
        return { id in
            if operands.contains(id) { return names[id] }
            if case .variable = graph[id].op { return names[id] }
            return nil
        }
    }

    /// The right-hand side of contribution `c`: `upstream * partial`, written the cheapest
    /// readable way. No upstream (the folded seed) leaves the partial alone; a partial of 1
    /// or -1 leaves the upstream alone; a partial `1/b` becomes `upstream / b` (one op, not two).
    public func chainText<D: Dialect>(_ c: Contribution, printer: Printer<D>, names: (NodeID) -> String?, upstream: String?) -> String {
        let partial = printer.printed(c.partial, names: names)
        guard let upstream else { return partial.text }
        switch graph.numberValue(c.partial) {
        case .some(.one): return upstream
        case .some(.minusOne): return "-" + upstream
        default: break
        }
        if let denominator = reciprocal(c.partial), names(c.partial) == nil {
            let printed = printer.printed(denominator, names: names)
            return printer.dialect.quotient(Printed(upstream, Printed.Level.atom), printed).text
        }
        return upstream + printer.dialect.times + partial.wrapped(below: Printed.Level.unary)
    }

    /// `b` when `node` is `1/b`.
    func reciprocal(_ node: NodeID) -> NodeID? {
        let n = graph[node]
        guard n.op == .div, graph.isNumber(n.children[0], .one) else { return nil }
        return n.children[1]
    }

    /// Seeded directly: when the output is itself an input (`f = x`), its adjoint is 1.
    public var outputIsInput: Bool { staged.inputNodes.contains(staged.output) }
}

extension Array where Element == StagedLine {
    /// `name = expr` / `name += expr`, one per line: the worksheet listing.
    public var listing: String {
        map { "\($0.name) \($0.accumulates ? "+=" : "=") \($0.expression)" }.joined(separator: "\n")
    }
}
