import ExprParse

/// One line of staged code before a target language formats it: `name = expression`, or
/// `name += expression` when `accumulates` (`-=` when it also `subtracts`).
public struct StagedLine: Hashable, Sendable {
    public let name: String
    public let expression: String
    public let accumulates: Bool
    /// With `accumulates`: the line subtracts (`name -= expression`), which is how a negated
    /// contribution (through `d = -g`) joins a sum in one op instead of two.
    public var subtracts = false
    /// The forward equation this line computes or differentiates (`nil` for a zero adjoint).
    public let equation: String?
    /// The shape of the value the line assigns.
    public var shape: TensorShape = .scalar
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
                                accumulates: false, equation: eq.name, shape: graph.shapes[eq.node.int]))
        }
        if let alias = outputAlias {
            try body(StagedLine(name: outputName ?? self.outputName, expression: printer.render(alias, names: names),
                                accumulates: false, equation: nil, shape: graph.shapes[alias.int]))
        }
    }
}

/// How the backward pass writes one contribution, decided once by `Gradient.backwardSteps` for
/// the staged listing (`backwardLines`), the code generators and `opCounts`, so that what is
/// listed, what runs and what is counted cannot drift apart.
///
/// A step's term is `upstream * partial`. A minus sign in it (a partial of -1, or an upstream
/// adjoint that is itself a negation) is folded away wherever that costs nothing: into a
/// constant partial (`dw = dl * -0.109`), into an accumulation (`dx -= dd`), into the next
/// contribution to the same adjoint (`dx = dc * (2 * x) - dd`: IEEE addition commutes, so
/// `-a + b` is `b - a` bit for bit), or into the steps that read a stage whose whole adjoint is
/// a negated variable (`dk = -dl` is not written; the steps reading `dk` read `dl` negated).
/// Each rewrite gives the evaluator's numbers bit for bit: negation is exact and `(-a)*b` is
/// `a*(-b)` in IEEE arithmetic.
public struct BackwardStep: Hashable, Sendable {
    /// What the step writes into its target's adjoint variable.
    public enum Form: Hashable, Sendable {
        /// `d<target> = term`.
        case define
        /// `d<target> = -term`: a negated term with nothing to absorb the sign (the only
        /// contribution to an input, say).
        case defineNegated
        /// `d<target> += term`.
        case accumulate
        /// `d<target> -= term`.
        case subtract
        /// Nothing yet: a negated first term, which the target's next step writes.
        case deferred
        /// `d<target> = term - deferred`, or `-deferred - term` when this term is negated too:
        /// the target's deferred first term joined to its second.
        case defineAfterDeferred
        /// Nothing: the target's adjoint is minus `upstream`, and the steps reading the target
        /// read `upstream` negated.
        case folded
    }

    /// The contribution written.
    public let contribution: Contribution
    /// The node whose adjoint variable the term reads; `nil` for the seed 1 (the output, or a
    /// value reached from it through sums alone), so that the term is the partial alone.
    public let upstream: NodeID?
    /// Whether the constant partial is written negated, having absorbed a minus sign.
    public let flipsPartial: Bool
    /// Whether the term enters with a minus sign (`form` says how).
    public let negated: Bool
    /// What the step writes.
    public let form: Form
}

/// One backward statement before a target language formats it.
public enum BackwardStatement {
    /// `name = expression`.
    case define(Printed)
    /// `name += expression`.
    case accumulate(Printed)
    /// `name -= expression`.
    case subtract(Printed)
}

extension Gradient {
    /// The staged backward pass as lines in `dialect`: one line per written step in execution
    /// order (`dx = da`, `dx2 += dc * theta`), then `d<input> = 0` for inputs the output ignores.
    ///
    /// The seed d<out> = 1 is folded in: a contribution straight from the output prints as its
    /// local derivative alone (`da = z`), as worksheet solutions write it.
    public func backwardLines<D: Dialect>(_ dialect: D, names: NodeMap<String>? = nil, adjointNames: NodeMap<String>? = nil,
                                          zero: String = "0") -> [StagedLine] {
        let names = names ?? staged.names
        let adjointNames = adjointNames ?? self.adjointNames
        let printer = Printer(graph, dialect)
        var lines: [StagedLine] = []
        var deferred: [NodeID: Printed] = [:]
        for step in backwardSteps where step.form != .folded {
            let c = step.contribution
            let text = term(step, printer: printer, names: gateNames(c, names, adjointNames: adjointNames),
                            upstream: step.upstream.map { adjointNames[$0] ?? "?" })
            guard let statement = statement(step, term: text, dialect: dialect, deferred: &deferred) else { continue }
            let name = adjointNames[c.target] ?? "?"
            let equation = staged.names[c.source]
            let shape = graph.shapes[c.target.int]
            switch statement {
            case .define(let expression):
                lines.append(StagedLine(name: name, expression: expression.text, accumulates: false, equation: equation, shape: shape))
            case .accumulate(let expression):
                lines.append(StagedLine(name: name, expression: expression.text, accumulates: true, equation: equation, shape: shape))
            case .subtract(let expression):
                lines.append(StagedLine(name: name, expression: expression.text, accumulates: true, subtracts: true, equation: equation, shape: shape))
            }
        }
        // An array output's adjoint is the upstream gradient the caller gives: no line sets it,
        // even when the output is an input itself.
        let arrayOutput = !graph.isScalar[staged.output.int]
        for node in staged.inputNodes where (adjoints[node] == nil || (node == staged.output && !arrayOutput)) && graph.isDifferentiable[node.int] {
            var value = node == staged.output ? dialect.number(.one).text : zero
            let shape = graph.shapes[node.int]
            if shape.rank > 0 {
                // An array input the output ignores: zeros of its shape (ones when it is the output).
                value = dialect.tensor(.layout(.broadcast(shape)), [Printed(value, Printed.Level.atom)], shapes: [.scalar]).text
            }
            lines.append(StagedLine(name: adjointNames[node] ?? "?", expression: value, accumulates: false, equation: nil,
                                    shape: graph.shapes[node.int]))
        }
        return lines
    }

    /// Whether the adjoint of `node` is exactly 1: the output itself, or a value reached from it
    /// through sums alone. Such an adjoint is the seed, so lines read it as the seed (folded
    /// into the partial) instead of multiplying by a variable that holds 1.
    public func hasUnitAdjoint(_ node: NodeID) -> Bool {
        adjoints[node].map { graph.isUnit($0) } ?? false
    }

    /// The contributions a staged listing writes: those whose target is an input, or a stage
    /// whose adjoint variable a later written line reads. A stage with adjoint exactly 1 is read
    /// as the seed, so the line defining it (`dl = 1`) is dropped, and so is any line feeding
    /// only such stages (`dg = -1` when `d = -g` ends up with adjoint 1): generated Swift
    /// rejects a value nobody reads. Every contribution to a target is written, or none.
    public var writtenContributions: [Contribution] {
        let written = writtenMask
        return contributions.indices.filter { written[$0] }.map { contributions[$0] }
    }

    /// Per contribution, whether it is one of `writtenContributions`.
    private var writtenMask: [Bool] {
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
        return written
    }

    /// How each written contribution is written (see `BackwardStep`), in execution order.
    ///
    /// A stage's adjoint is folded (not written) when it is minus one adjoint variable (or
    /// minus the seed) and at most one step reading it would then need a negation of its own:
    /// a lone non-constant term into its target (`du = -(dl * y)`), which costs the negation
    /// the fold saved, so a second one would make the fold a loss.
    public var backwardSteps: [BackwardStep] {
        var steps: [BackwardStep] = []
        forEachBackwardStep { steps.append($0) }
        return steps
    }

    /// Calls `visit` with each of `backwardSteps` in turn, without making the array: a code
    /// generator writes each step as it comes (at 10^6 ops the array was 30 MB of the peak).
    public func forEachBackwardStep(_ visit: (BackwardStep) throws -> Void) rethrows {
        // The written contributions as a mask, not a copy, and the counts below saturated at
        // 2 in a byte: these stay alive while the caller writes every step.
        let mask = writtenMask
        let written = contributions.indices.lazy.filter { mask[$0] }.map { contributions[$0] }
        var isInput = [Bool](repeating: false, count: graph.count)
        for node in staged.inputNodes { isInput[node.int] = true }
        // Written terms per target, and per node the steps reading it that could not absorb a
        // negated upstream for free (0, 1, or 2 for more).
        var terms = [UInt8](repeating: 0, count: graph.count)
        for c in written { terms[c.target.int] = Swift.min(terms[c.target.int] + 1, 2) }
        var costlyReaders = [UInt8](repeating: 0, count: graph.count)
        for c in written where graph.numberValue(c.partial) == nil && terms[c.target.int] == 1 {
            costlyReaders[c.source.int] = Swift.min(costlyReaders[c.source.int] + 1, 2)
        }
        // A VJP reads its source's adjoint variable by name, so that variable must be written.
        var readByVJP = [Bool](repeating: false, count: graph.count)
        for c in written where c.vjp != nil { readByVJP[c.source.int] = true }
        // Folded stage -> the node whose variable it negates (nil inside: the seed).
        var folded: [NodeID: NodeID?] = [:]
        var deferred = Set<NodeID>()
        for c in written {
            if c.vjp != nil {
                // The VJP is the whole term, upstream included: nothing to fold into it.
                let form: BackwardStep.Form = c.accumulates
                    ? (deferred.remove(c.target) != nil ? .defineAfterDeferred : .accumulate) : .define
                try visit(BackwardStep(contribution: c, upstream: nil, flipsPartial: false, negated: false, form: form))
                continue
            }
            var upstream: NodeID? = hasUnitAdjoint(c.source) ? nil : c.source
            var upstreamNegated = false
            if let source = upstream, let alias = folded[source] {
                upstream = alias
                upstreamNegated = true
            }
            let single = terms[c.target.int] == 1
            var flipsPartial = false
            var negated = upstreamNegated
            if let k = graph.numberValue(c.partial), k.doubleValue.isFinite {
                let unit = k == .one || k == .minusOne
                if unit, upstreamNegated != (k == .minusOne), single, !isInput[c.target.int], costlyReaders[c.target.int] <= 1,
                   !readByVJP[c.target.int] {
                    folded[c.target] = .some(upstream)
                    try visit(BackwardStep(contribution: c, upstream: upstream, flipsPartial: false, negated: true, form: .folded))
                    continue
                }
                if upstream == nil {
                    // The term is a constant: the sign goes into it (`-1`, `-0.109`).
                    flipsPartial = upstreamNegated
                    negated = false
                } else if unit {
                    negated = upstreamNegated != (k == .minusOne)
                } else if upstreamNegated, !c.accumulates || k.isNegative {
                    // `dw = dl * -0.109`; a term joining a sum rather subtracts (`dw -= dl * 0.109`).
                    flipsPartial = true
                    negated = false
                }
            }
            let form: BackwardStep.Form
            if c.accumulates {
                form = deferred.remove(c.target) != nil ? .defineAfterDeferred : (negated ? .subtract : .accumulate)
            } else if negated {
                if single {
                    form = .defineNegated
                } else {
                    form = .deferred
                    deferred.insert(c.target)
                }
            } else {
                form = .define
            }
            try visit(BackwardStep(contribution: c, upstream: upstream, flipsPartial: flipsPartial, negated: negated, form: form))
        }
    }

    /// The names to use inside the local derivative of `c`: only the gate's own operands and
    /// output, and inputs, so a reader sees `dx * (2 * t)`, not a distant stage that happens to
    /// equal 2*t. (Checking the node's op rather than listing inputs keeps this O(1) per node
    /// for programs with 10^4 inputs.)
    public func gateNames(_ c: Contribution, _ names: NodeMap<String>, adjointNames: NodeMap<String>? = nil) -> (NodeID) -> String? {
        let operands = graph[c.source].children + [c.source]
        let graph = self.graph
        let adjointNames = adjointNames ?? self.adjointNames
        return { id in
            if operands.contains(id) { return names[id] }
            switch graph[id].op {
            case .variable: return names[id]
            case .adjoint(let of): return adjointNames[of]
            default: return nil
            }
        }
    }

    /// The term of `step` without its sign: `upstream * partial`, written the cheapest readable
    /// way. No upstream (the seed) leaves the partial alone; a partial of 1 or -1 leaves the
    /// upstream alone; a partial `1/b` becomes `upstream / b` (one op, not two).
    /// - Parameter upstream: the name of `step.upstream`'s adjoint variable.
    public func term<D: Dialect>(_ step: BackwardStep, printer: Printer<D>, names: (NodeID) -> String?, upstream: String?) -> Printed {
        let c = step.contribution
        let dialect = printer.dialect
        if let vjp = c.vjp { return printer.printed(vjp, names: names) }
        if upstream == nil, graph.shapes[c.partial.int] != graph.shapes[c.target.int] {
            // The seed times a partial of a smaller shape: stretched to the target's, with the
            // sign of a folded negated seed taken in (`broadcast_to(-2, (3, 1))`).
            let flipped = step.flipsPartial ? graph.numberValue(c.partial).map { Gradient.signed(-$0, dialect) } : nil
            let partial = flipped ?? printer.printed(c.partial, names: names)
            return dialect.tensor(.layout(.broadcast(graph.shapes[c.target.int])), [partial], shapes: [graph.shapes[c.partial.int]])
        }
        if step.flipsPartial, let k = graph.numberValue(c.partial) {
            let constant = Gradient.signed(-k, dialect)
            guard let upstream else { return constant }
            return Printed(upstream + dialect.times + constant.wrapped(below: Printed.Level.unary), Printed.Level.product)
        }
        let partial = printer.printed(c.partial, names: names)
        guard let upstream else { return partial }
        switch graph.numberValue(c.partial) {
        case .some(.one), .some(.minusOne): return Printed(upstream, Printed.Level.atom)
        default: break
        }
        if let denominator = reciprocal(c.partial), names(c.partial) == nil {
            return dialect.quotient(Printed(upstream, Printed.Level.atom), printer.printed(denominator, names: names))
        }
        return Printed(upstream + dialect.times + partial.wrapped(below: Printed.Level.unary), Printed.Level.product)
    }

    /// The statement `step` writes, given its `term`, or nil when it writes nothing (folded, or
    /// deferred into `deferred` until the target's next step, which takes it out).
    public func statement<D: Dialect>(_ step: BackwardStep, term: Printed, dialect: D,
                                      deferred: inout [NodeID: Printed]) -> BackwardStatement? {
        let target = step.contribution.target
        switch step.form {
        case .define:
            return .define(term)
        case .defineNegated:
            return .define(Printed(Gradient.negated(term, dialect), Printed.Level.product))
        case .accumulate:
            return .accumulate(term)
        case .subtract:
            return .subtract(term)
        case .deferred:
            deferred[target] = term
            return nil
        case .defineAfterDeferred:
            let first = deferred.removeValue(forKey: target) ?? Printed("?", Printed.Level.atom)
            let text = step.negated
                ? Gradient.negated(first, dialect) + " - " + dialect.wrap(term, below: Printed.Level.product)
                : dialect.wrap(term, below: Printed.Level.sum) + " - " + dialect.wrap(first, below: Printed.Level.product)
            return .define(Printed(text, Printed.Level.sum))
        case .folded:
            return nil
        }
    }

    /// `-term`, grouping a term that binds looser than a product or starts with a minus sign
    /// itself (`-(-sin(w))`: Swift has no `--`).
    static func negated<D: Dialect>(_ term: Printed, _ dialect: D) -> String {
        let grouped = term.precedence < Printed.Level.product || term.text.hasPrefix("-")
        return "-" + (grouped ? dialect.grouped(term.text) : term.text)
    }

    /// `value` printed with its sign, as the printer prints a negative number node.
    static func signed<D: Dialect>(_ value: Number, _ dialect: D) -> Printed {
        guard value.isNegative else { return dialect.number(value) }
        let magnitude = dialect.number(-value)
        return Printed("-" + dialect.wrap(magnitude, below: Printed.Level.product),
                       magnitude.precedence >= Printed.Level.unary ? Printed.Level.unary : Printed.Level.product)
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
        map(\.statementText).joined(separator: "\n")
    }

    /// The listing with each line's shape as a comment in one aligned column (`# (2,)`), as
    /// the staged form of a tensor program reads.
    public var listingWithShapes: String {
        let width = map(\.statementText.count).max() ?? 0
        return map { line in
            let text = line.statementText
            return text + String(repeating: " ", count: width - text.count) + "  # " + line.shape.description
        }.joined(separator: "\n")
    }
}

extension StagedLine {
    /// `name = expr`, `name += expr` or `name -= expr`.
    public var statementText: String {
        "\(name) \(accumulates ? (subtracts ? "-=" : "+=") : "=") \(expression)"
    }
}
