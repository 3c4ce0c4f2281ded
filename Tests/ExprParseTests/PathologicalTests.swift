import Testing
@testable import ExprParse

/// Inputs that break naive parsers: deep nesting, long flat input, garbage. Nothing here may
/// crash, recurse deeply, or take more than linear work. (Swift Testing runs on threads with
/// small stacks, so a recursive parser or printer would crash these tests.)
@Suite("Pathological inputs")
struct PathologicalTests {
    @Test("100,000 nested parentheses: nesting-too-deep, no crash")
    func deepParentheses() {
        let count = 100_000
        let source = String(repeating: "(", count: count) + "x" + String(repeating: ")", count: count)
        let result = Parser.parse(source)
        #expect(result.diagnostics.map(\.id) == ["nesting-too-deep"])
        #expect(result.diagnostics.first?.range.start.column == Parser.maxNestingDepth + 1)
    }

    @Test("100,000 unary minus: nesting-too-deep, no crash")
    func deepUnary() {
        let result = Parser.parse(String(repeating: "-", count: 100_000) + "x")
        #expect(result.diagnostics.map(\.id) == ["nesting-too-deep"])
    }

    @Test("long power chains and call chains are too deep as well")
    func deepChains() {
        let power = Array(repeating: "x", count: Parser.maxNestingDepth + 10).joined(separator: "^")
        #expect(diagnosticIDs(power) == ["nesting-too-deep"])
        let depth = Parser.maxNestingDepth + 10
        let calls = String(repeating: "sin(", count: depth) + "x" + String(repeating: ")", count: depth)
        #expect(diagnosticIDs(calls) == ["nesting-too-deep"])
    }

    @Test("exactly the limit is fine; one more is not")
    func limit() {
        let depth = Parser.maxNestingDepth
        let ok = String(repeating: "(", count: depth) + "x" + String(repeating: ")", count: depth)
        #expect(diagnosticIDs(ok) == [])
        let tooDeep = "(" + ok + ")"
        #expect(diagnosticIDs(tooDeep) == ["nesting-too-deep"])
    }

    @Test("after a too-deep statement the next statement is still parsed")
    func recoveryAfterTooDeep() {
        let source = String(repeating: "(", count: Parser.maxNestingDepth + 44) + "x\ny = 2 3"
        #expect(diagnosticIDs(source) == ["nesting-too-deep", "adjacent-numbers"])
    }

    @Test("a 1 MB sum parses without error, and prints and compares without recursion")
    func megabyteSum() {
        let terms = 250_000
        let source = String(repeating: "x + ", count: terms) + "x"
        #expect(source.utf8.count > 1_000_000)
        let result = Parser.parse(source)
        #expect(result.diagnostics.isEmpty)
        #expect(result.program.nodes.count == 2 * terms + 1)
        let printed = result.program.printed()
        #expect(printed == source)
        #expect(result.program.structurallyEqual(result.program))
    }

    @Test("a 10^6-deep left spine prints and compares")
    func deepSpine() {
        let count = 1_000_000
        var nodes = [ASTNode(kind: .variable("x"), range: ExpressionGenerator.placeholder)]
        var root = ASTNodeID(0)
        for _ in 1..<count {
            nodes.append(ASTNode(kind: .variable("x"), range: ExpressionGenerator.placeholder))
            let kind = ASTNodeKind.binary(.add, root, ASTNodeID(nodes.count - 1))
            nodes.append(ASTNode(kind: kind, range: ExpressionGenerator.placeholder))
            root = ASTNodeID(nodes.count - 1)
        }
        let program = Program(nodes: nodes, statements: [Statement(name: nil, nameRange: nil, value: root,
                                                                   range: ExpressionGenerator.placeholder)])
        #expect(program.printed().count == 4 * (count - 1) + 1)
        #expect(program.structurallyEqual(program))
    }

    @Test("work grows linearly: 10x the input costs at most 11x the work", arguments: [
        "x + ", "2x*y^2 - ", "(a + b)(c - d) + ", "sin(x)/max(x, y) + ", "y = z; ",
    ])
    func linearWork(piece: String) {
        func work(_ repetitions: Int) -> Int {
            let result = Parser.parse(String(repeating: piece, count: repetitions) + "x")
            return result.work
        }
        let small = work(10_000)
        let large = work(100_000)
        #expect(large <= 11 * small, "work \(small) -> \(large)")
        #expect(large >= 9 * small, "work \(small) -> \(large)")
    }

    @Test("the node limit is Symbolic's program limit")
    func nodeLimitValue() {
        #expect(Parser.maxNodes == 5_000_000)
    }

    @Test("a program over the node limit is refused while lexing, after bounded work")
    func oversizeRefusedEarly() {
        let source = String(repeating: "x+", count: 1_000_000) + "x"
        let result = Parser.parse(source, nodeLimit: 1000)
        #expect(result.diagnostics.map(\.id) == ["program-too-large"])
        #expect(result.diagnostics.first?.message
                == "the program is too large: more than 1000 operations (the limit is 1000)")
        // At the 1,001st counted token, the `x` in column 1001.
        #expect(result.diagnostics.first?.range.start.column == 1001)
        #expect(result.hasErrors)
        // Lexing stopped at the limit: the work is a few times the limit, not the input size.
        #expect(result.work < 10_000, "work \(result.work)")
        #expect(result.program.nodes.isEmpty)
    }

    @Test("the limit counts nodes exactly: names before '=' make none, implicit products do")
    func nodeLimitIsExact() {
        let program = "a = x + y; b = a*2"  // x, y, +, a, 2, *
        #expect(Parser.parse(program, nodeLimit: 6).diagnostics.isEmpty)
        #expect(diagnosticIDs(program, nodeLimit: 5) == ["program-too-large"])
        // `x x x ...`: 600 tokens but 1,199 nodes; the parser catches what the lexer cannot.
        let products = String(repeating: "x ", count: 600)
        #expect(Parser.parse(products, nodeLimit: 1199).diagnostics.isEmpty)
        #expect(diagnosticIDs(products, nodeLimit: 1198) == ["program-too-large"])
    }

    @Test("random layout, control characters and long lines: renderings stay short and well-formed",
          arguments: 0..<20 as Range<UInt64>)
    func garbageRendering(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let pieces = ["x", "y = ", "e = ", "+", "-", "*", "^", "\n", "\n  + ", "\n  - ", "\r\n", "\u{2028}", "\u{1B}",
                      "\u{0}", "\u{FEFF}", "\t", "é", "×", "2", "(", ")", "; ", "# c\n", String(repeating: "x+", count: 80)]
        let source = String((0..<300).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined())
        for diagnostic in Parser.parse(source).diagnostics {
            let lines = diagnostic.render(source: source).split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.count >= 3)
            // 120 columns at most, an escape such as `\u{FEFF}` taking 8, and two `...`.
            #expect(lines[1].count <= 8 * Diagnostic.maxShownColumns + 6, "\(lines[1])")
            #expect(!lines[1].unicodeScalars.contains { $0.properties.generalCategory == .control })
            #expect(lines[2].hasSuffix("^") || lines[2].hasSuffix("~"))
            // (Trailing spaces are trimmed from the line, so the caret may stand past its end.)
            #expect(lines[2].count <= 8 * Diagnostic.maxShownColumns + 7, "\(diagnostic.render(source: source))")
        }
    }

    @Test("random garbage never crashes", arguments: 0..<20 as Range<UInt64>)
    func garbage(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let alphabet = Array("xy2.e(),;=+-*/^ \n#×θ∗sinmaxlog")
        let source = String((0..<2000).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
        let result = Parser.parse(source)
        #expect(result.diagnostics.count <= Parser.maxDiagnostics + 1)
        for diagnostic in result.diagnostics {
            _ = diagnostic.render(source: source)
        }
        _ = result.program.printed()
        _ = result.program.dump()
    }
}
