import Testing
@testable import ExprParse

/// Builds random expression trees straight into a node arena (children first), so the printer
/// is tested on shapes the parser never produced, including ones that need parentheses.
struct ExpressionGenerator {
    var random: SplitMix64
    var nodes: [ASTNode] = []

    static let numbers = ["0", "1", "2", "3", "0.5", ".25", "10", "1e-3", "2.5E+4", "6.02e23", "3.14159"]
    static let variables = ["x", "y", "z", "t", "theta", "x1", "x_2", "ab"]
    static let placeholder = SourceRange(
        start: SourceLocation(line: 1, column: 1, offset: 0),
        end: SourceLocation(line: 1, column: 1, offset: 0))

    init(seed: UInt64) {
        random = SplitMix64(seed: seed)
    }

    private mutating func add(_ kind: ASTNodeKind) -> ASTNodeID {
        nodes.append(ASTNode(kind: kind, range: Self.placeholder))
        return ASTNodeID(nodes.count - 1)
    }

    private mutating func pick<T>(_ items: [T]) -> T {
        items[Int(random.next() % UInt64(items.count))]
    }

    /// A tree at most `depth` deep (recursion here is bounded by that small depth).
    mutating func expression(depth: Int) -> ASTNodeID {
        let choice = depth <= 0 ? random.next() % 3 : random.next() % 8
        switch choice {
        case 0: return add(.number(NumberLiteral(text: pick(Self.numbers), value: 0)))
        case 1: return add(.variable(pick(Self.variables)))
        case 2: return add(pick([.constant(.pi), .constant(.e), .variable("y")]))
        case 3: return add(.unary(pick([.negate, .negate, .plus]), expression(depth: depth - 1)))
        case 4:
            let function = pick(Function.allCases)
            let arguments = (0..<function.arity).map { _ in expression(depth: depth - 1) }
            return add(.call(function, arguments))
        default:
            let op = pick(BinaryOperator.allCases)
            let lhs = expression(depth: depth - 1)
            let rhs = expression(depth: depth - 1)
            return add(.binary(op, lhs, rhs))
        }
    }

    /// A one-statement program, sometimes an assignment.
    mutating func program() -> Program {
        let value = expression(depth: Int(random.next() % 7))
        let name: String? = random.next() % 4 == 0 ? "out" : nil
        let statement = Statement(name: name, nameRange: nil, value: value, range: Self.placeholder)
        return Program(nodes: nodes, statements: [statement])
    }
}

@Suite("Round trip")
struct RoundTripTests {
    @Test("print, parse, compare: 2500 seeded random expressions")
    func randomRoundTrip() {
        var failures = 0
        for seed in 0..<2500 as Range<UInt64> {
            var generator = ExpressionGenerator(seed: seed)
            let original = generator.program()
            let text = original.printed()
            let reparsed = Parser.parse(text)
            let ok = reparsed.diagnostics.isEmpty
                && reparsed.program.structurallyEqual(original)
                && reparsed.program.printed() == text
            if !ok {
                failures += 1
                if failures <= 5 {
                    Issue.record("seed \(seed): \(text) -> \(reparsed.program.printed()) \(rendered(text))")
                }
            }
        }
        #expect(failures == 0)
    }

    @Test("parser output round-trips through the printer", arguments: ProgramTests.worksheetInputs)
    func worksheetRoundTrip(input: String) {
        let program = Parser.parse(input).program
        let text = program.printed()
        let again = Parser.parse(text).program
        #expect(again.structurallyEqual(program))
        #expect(again.printed() == text)
    }

    @Test("SplitMix64 gives the reference sequence")
    func splitMix() {
        var random = SplitMix64(seed: 1234567)
        #expect(random.next() == 6_457_827_717_110_365_317)
        #expect(random.next() == 3_203_168_211_198_807_973)
    }
}
