/// The parser of symdiff's input language. grammar.md at the repository root is the
/// specification of the syntax it accepts; this type implements exactly that document.
///
/// Parsing never throws and never stops at the first problem: it reports what it finds as
/// `Diagnostic`s, puts `.error` nodes where it had to recover, and goes on, so that one run
/// shows every problem of the input. It never recurses: expressions are parsed by an operator
/// precedence loop with explicit stacks, so neither deeply nested nor very long input can
/// overflow the call stack (deep nesting is rejected at `maxNestingDepth`).
public enum Parser {
    /// The deepest nesting accepted: open parentheses and calls, prefix operators and operators
    /// still waiting for their right operand (as in `x^x^x^...`), counted together. Deeper input
    /// is reported as `nesting-too-deep`. No walk over the tree recurses, so this is not a stack
    /// limit: it is deep enough for the closed forms symdiff prints to parse back.
    public static let maxNestingDepth = 10_000

    /// Parsing stops after this many diagnostics (one more says that it stopped).
    public static let maxDiagnostics = 50
    /// Unused-value warnings reported one by one; the rest get one summary warning, so that
    /// warnings never fill the log that stops parsing.
    public static let maxUnusedWarnings = 10

    /// The most syntax-tree nodes a program may have, the same as Symbolic's
    /// `Limits.maxProgramNodes` (a larger program could not be differentiated within its graph
    /// limit). The lexer counts as it goes and stops at the limit, so an oversize input is
    /// refused (`program-too-large`) before the parser builds anything.
    public static let maxNodes = 5_000_000

    /// Parses a program: statements separated by `;` or line breaks, the last one being the
    /// output. A single expression is a program of one statement.
    public static func parse(_ source: String) -> ParseResult {
        parse(source, nodeLimit: maxNodes)
    }

    /// `parse` with another node limit, so tests can reach it with small inputs.
    static func parse(_ source: String, nodeLimit: Int) -> ParseResult {
        let lexer = Lexer.start(source, diagnosticLimit: maxDiagnostics, nodeLimit: nodeLimit)
        var session = Session(lexer: lexer, diagnosticLimit: maxDiagnostics, nodeLimit: nodeLimit)
        if let range = lexer.sizeLimitRange {
            session.sizeLimitRange = range
            return session.result()
        }
        session.parseProgram()
        // The rest of the input is lexed for its diagnostics, as when the whole input was lexed
        // before parsing.
        session.lexer.finish()
        if let range = session.lexer.sizeLimitRange {
            // Lexing stopped at the size limit only now (the first count, which skips line
            // breaks, let it through): the program is refused with nothing of what was parsed.
            var refused = Session(lexer: session.lexer, diagnosticLimit: maxDiagnostics, nodeLimit: nodeLimit)
            refused.sizeLimitRange = range
            return refused.result()
        }
        return session.result()
    }

    /// `program-too-large`, at the token where the count passed `limit`.
    static func tooLarge(at range: SourceRange, limit: Int) -> Diagnostic {
        Diagnostic(.error, id: "program-too-large",
                   "the program is too large: more than \(limit) operations (the limit is \(limit))", at: range,
                   notes: ["note: symdiff stopped reading here"])
    }
}

extension Parser {
    /// The mutable state of one parse: the token cursor, the node arena being built, and the
    /// names assigned so far.
    ///
    /// Tokens are lexed as the cursor reaches them and dropped once behind the statement being
    /// parsed (see `advance`): the parser looks at most `lookahead` tokens ahead, and back only
    /// within the current statement (over a line break to the token before it, or to the start
    /// of a tuple item). At chain 262144 this took the parse phase's peak from 368 to 256 MB.
    struct Session {
        /// The token source; `token(at:)` reads the tokens it holds.
        var lexer: Lexer
        /// Token number of the cursor, counted from the start of the input.
        var position = 0
        /// Where the statement being parsed began: tokens from two before it on are kept.
        var statementStart = 0
        var nodes: [ASTNode] = []
        var statements: [Statement] = []
        var diagnostics: DiagnosticLog
        var work = 0
        /// Names assigned by the statements parsed so far, with the statement index and where the
        /// name of the first assignment starts (all that messages show of it: a whole range made
        /// this table 24 bytes an entry larger, 6 MB at chain 262144).
        var assignments: [String: (statement: Int, start: SourceLocation)] = [:]
        /// The expression loop's stacks (see Parser+Expressions.swift); kept here so their
        /// storage is reused from one statement to the next.
        var pending: [Pending] = []
        var operands: [Operand] = []
        var openGroups = 0
        /// Of `openGroups`, those opened by `[` and by `||`.
        var openBrackets = 0
        var openBars = 0
        /// One per array literal being parsed (see `ArrayFrame`).
        var arrayFrames: [ArrayFrame] = []
        /// The keyword arguments of the calls being parsed (see `Group.keywordSlot`).
        var keywordLists: [[KeywordArgument]] = []
        var nestingExceeded = false
        /// Shape declarations, in order.
        var declarations: [Declaration] = []
        /// The `.multiply` nodes made by juxtaposition.
        var juxtapositions: Set<ASTNodeID> = []
        /// Every identifier of the input, collected when a suggestion needs an unused name.
        var usedNames: Set<String>?
        let nodeLimit: Int
        /// Set once the program has more than `nodeLimit` nodes; parsing stops there.
        var sizeLimitRange: SourceRange?

        /// Tokens after the current one that are always lexed: `peek()` reads one, and
        /// `startsAssignment(at: position + 1)` two.
        static let lookahead = 2
        /// Tokens dropped at a time: a few hundred kB, so the copy of those kept is rare.
        static let dropBatch = 4096
        /// Tokens lexed at a time, so that most `advance` calls only move the cursor.
        static let lexBatch = 256

        init(lexer: Lexer, diagnosticLimit: Int, nodeLimit: Int) {
            self.lexer = lexer
            self.lexer.lex(through: Session.lookahead)
            diagnostics = DiagnosticLog(limit: diagnosticLimit)
            self.nodeLimit = nodeLimit
        }

        /// Token number `index`: one kept (from two before the current statement to `lookahead`
        /// after the cursor, and any lexed beyond; past the end of the input, an `.end` token).
        @inline(__always)
        func token(at index: Int) -> Token {
            lexer.tokens[index - lexer.firstIndex]
        }

        var current: Token { token(at: position) }

        /// The token `ahead` places after the current one (the final `.end` token if past it);
        /// `ahead` is at most `lookahead`.
        func peek(_ ahead: Int = 1) -> Token {
            token(at: position + ahead)
        }

        /// The token before the current one, if any.
        var previous: Token? { position > 0 ? token(at: position - 1) : nil }

        mutating func advance() {
            if current.kind != .end { position += 1 }
            work += 1
            if position + Session.lookahead >= lexer.firstIndex + lexer.tokens.count { lexMore() }
        }

        /// Lexes the next `lexBatch` tokens, first dropping those before the current statement
        /// (less two, for the look-backs over a line break) once there are `dropBatch` of them.
        @inline(never)
        private mutating func lexMore() {
            if statementStart - 2 - lexer.firstIndex >= Session.dropBatch {
                lexer.dropTokens(before: statementStart - 2)
            }
            lexer.lex(through: position + Session.lookahead + Session.lexBatch)
        }

        /// True when parsing should stop: the diagnostic log is full or the program too large.
        var shouldStop: Bool { diagnostics.isFull || sizeLimitRange != nil }

        mutating func add(_ kind: ASTNodeKind, at range: SourceRange) -> ASTNodeID {
            nodes.append(ASTNode(kind: kind, range: range))
            work += 1
            // The lexer's count leaves out implicit products, so the limit is checked here too.
            if nodes.count > nodeLimit, sizeLimitRange == nil { sizeLimitRange = range }
            return ASTNodeID(nodes.count - 1)
        }

        mutating func report(_ severity: Diagnostic.Severity = .error, id: String, _ message: String,
                             at range: SourceRange, notes: [String] = []) {
            diagnostics.report(severity, id: id, message, at: range, notes: notes)
        }

        /// Merges lexer and parser diagnostics into source order and caps the total.
        func result() -> ParseResult {
            var all = lexer.diagnostics.diagnostics + diagnostics.diagnostics
            // A stable sort: diagnostics at the same place keep the order they were found in.
            all = all.enumerated()
                .sorted { ($0.element.range.start.offset, $0.offset) < ($1.element.range.start.offset, $1.offset) }
                .map(\.element)
            if statements.isEmpty, !all.contains(where: { $0.severity == .error }), sizeLimitRange == nil {
                if let last = declarations.last {
                    all.append(Diagnostic(.error, id: "empty-input",
                                          "expected an expression: the program has only declarations",
                                          at: SourceRange(start: last.range.end, end: last.range.end)))
                } else {
                    let start = SourceLocation(line: 1, column: 1, offset: 0)
                    all.append(Diagnostic(.error, id: "empty-input", "empty input: expected an expression",
                                          at: SourceRange(start: start, end: start)))
                }
            }
            let truncated = all.count > Parser.maxDiagnostics || lexer.diagnostics.overflowed || diagnostics.isFull
            if truncated, let last = all.prefix(Parser.maxDiagnostics).last {
                all = Array(all.prefix(Parser.maxDiagnostics))
                all.append(Diagnostic(.error, id: "too-many-errors", "too many errors; stopping here", at: last.range))
            }
            if let range = sizeLimitRange { all.append(Parser.tooLarge(at: range, limit: nodeLimit)) }
            let program = Program(nodes: nodes, statements: statements, declarations: declarations,
                                  juxtapositions: juxtapositions)
            return ParseResult(program: program, diagnostics: all,
                               work: lexer.work + work)
        }
    }
}
