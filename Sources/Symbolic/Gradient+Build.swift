import ExprParse

extension Gradient {
    /// Stages and differentiates a parsed program: the whole symbolic pipeline in one call.
    /// - Parameters:
    ///   - expand: decompose composite functions into elementary ops first.
    ///   - variables: parameter order (see `ProgramGraph.init`).
    ///   - rewrite: apply the stability rules (`RewriteRule`) before differentiating; the
    ///     rewrites that fired are in `rewrites`.
    public init(program: Program, expand: Bool = false, variables: [String]? = nil, rewrite: Bool = true) throws {
        var graph = try ProgramGraph(program, expand: expand, variables: variables)
        var rewrites: [Rewrite] = []
        if rewrite { (graph, rewrites) = graph.stabilized(program) }
        self.init(StagedProgram(graph))
        self.rewrites = rewrites
        if self.graph.count > Limits.maxNodes { throw SymbolicError.tooLarge(nodes: self.graph.count, limit: Limits.maxNodes) }
    }

    /// Parses `source` and differentiates it; parse errors are thrown as the first error
    /// diagnostic (callers that want every diagnostic use `Parser.parse` themselves).
    public init(source: String, expand: Bool = false, variables: [String]? = nil) throws {
        let parsed = Parser.parse(source)
        if let error = parsed.diagnostics.first(where: { $0.severity == .error }) { throw error }
        try self.init(program: parsed.program, expand: expand, variables: variables)
    }

    /// The closed-form partials as input-language text, in input order.
    public func closedFormText() -> [String] {
        let printer = Printer(graph, InputLanguage())
        return closedForm().map { printer.render($0) }
    }
}
