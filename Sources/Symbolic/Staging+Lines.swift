import ExprParse

/// One line of staged code before a target language formats it: `name = expression`, or
/// `name += expression` when `accumulates` (`-=` when it also `subtracts`).
public struct StagedLine: Hashable, Sendable {
    public let name: String
    public let expression: String
    public let accumulates: Bool
    /// With `accumulates`: the line subtracts (`name -= expression`), which is how a
    /// contribution through a negation (`d = -g`) joins a sum in one op instead of two.
    public var subtracts = false
    /// The forward equation this line computes or differentiates (`nil` for a zero adjoint).
    public let equation: String?
}

extension StagedProgram {
    /// The forward equations as lines in `dialect`, each showing exactly one op on named
    /// operands (constants inline), followed by the output copy when the output is not a stage.
    /// - Parameter names: the names to print (defaults to the program's own; code generators
    ///   pass renamed ones).
    public func forwardLines<D: Dialect>(_ dialect: D, names: NodeMap<String>? = nil, outputName: String? = nil) -> [StagedLine] {
        var lines: [StagedLine] = []
        lines.reserveCapacity(equations.count + 1)
        forEachForwardLine(dialect, names: names, outputName: outputName) { lines.append($0) }
        return lines
    }

    /// `forwardLines` one line at a time, for callers that store them their own way (code
    /// generators write each into the file's buffer instead of keeping an array of them).
    public func forEachForwardLine<D: Dialect>(_ dialect: D, names: NodeMap<String>? = nil, outputName: String? = nil,
                                               _ body: (StagedLine) throws -> Void) rethrows {
        let names = names ?? self.names
        let printer = Printer(graph, dialect)
        for eq in equations {
            try body(StagedLine(name: names[eq.node] ?? eq.name, expression: printer.render(eq.node, names: names, literalRoot: true),
                                accumulates: false, equation: eq.name))
        }
        if let alias = outputAlias {
            try body(StagedLine(name: outputName ?? self.outputName, expression: printer.render(alias, names: names),
                                accumulates: false, equation: nil))
        }
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
        for c in writtenContributions {
            let upstreamName = hasUnitAdjoint(c.source) ? seedName : adjointNames[c.source]
            var line = StagedLine(name: adjointNames[c.target] ?? "?", expression: "", accumulates: c.accumulates,
                                  equation: staged.names[c.source])
            if let negated = subtractedTerm(c, upstream: upstreamName, one: dialect.number(.one).text) {
                line = StagedLine(name: line.name, expression: negated, accumulates: true, subtracts: true, equation: line.equation)
            } else {
                line = StagedLine(name: line.name, expression: chainText(c, printer: printer, names: gateNames(c, names), upstream: upstreamName),
                                  accumulates: c.accumulates, equation: line.equation)
            }
            lines.append(line)
        }
        for node in staged.inputNodes where adjoints[node] == nil || node == staged.output {
            let seed = node == staged.output ? (seedName ?? dialect.number(.one).text) : zero
            lines.append(StagedLine(name: adjointNames[node] ?? "?", expression: seed, accumulates: false, equation: nil))
        }
        return lines
    }

    /// Whether the adjoint of `node` is exactly 1: the output itself, or a value reached from it
    /// through sums alone. Such an adjoint is the seed, so lines read it as the seed (folded, or
    /// `dout` in array code) instead of multiplying by a variable that holds 1.
    public func hasUnitAdjoint(_ node: NodeID) -> Bool {
        adjoints[node].map { graph.isNumber($0, .one) } ?? false
    }

    /// The contributions a staged listing writes: those whose target is an input, or a stage
    /// whose adjoint variable a later written line reads. A stage with adjoint exactly 1 is read
    /// as the seed, so the line defining it (`dl = 1`) is dropped, and so is any line feeding
    /// only such stages (`dg = -1` when `d = -g` ends up with adjoint 1): generated Swift
    /// rejects a value nobody reads.
    public var writtenContributions: [Contribution] {
        var isInput = [Bool](repeating: false, count: graph.count)
        for node in staged.inputNodes { isInput[node.int] = true }
        var read = [Bool](repeating: false, count: graph.count)
        var written = [Bool](repeating: false, count: contributions.count)
        // Reversed, the contributions run in ascending source order, so every line reading a
        // target's variable (its source is the target) has been decided before the target.
        for (index, c) in contributions.enumerated().reversed()
        where isInput[c.target.int] || (read[c.target.int] && !hasUnitAdjoint(c.target)) {
            written[index] = true
            if !hasUnitAdjoint(c.source) { read[c.source.int] = true }
        }
        return contributions.indices.filter { written[$0] }.map { contributions[$0] }
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

    /// For an accumulating contribution through a negation (partial -1), the term to subtract:
    /// the upstream adjoint, or 1 when the upstream is the folded seed; nil otherwise.
    public func subtractedTerm(_ c: Contribution, upstream: String?, one: String) -> String? {
        guard c.accumulates, graph.isNumber(c.partial, .minusOne) else { return nil }
        return upstream ?? one
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
        map { "\($0.name) \($0.accumulates ? ($0.subtracts ? "-=" : "+=") : "=") \($0.expression)" }.joined(separator: "\n")
    }
}
