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

    /// A tree that also uses the tensor syntax: `@`, `.T`, indexing, tensor calls with keyword
    /// arguments, `reshape`'s shape tuple and array literals (recursion bounded by `depth`).
    mutating func tensorExpression(depth: Int) -> ASTNodeID {
        guard depth > 0 else { return expression(depth: 0) }
        switch random.next() % 9 {
        case 0: return add(.transpose(tensorExpression(depth: depth - 1)))
        case 1:
            let base = tensorExpression(depth: depth - 1)
            let indices = (0..<(1 + Int(random.next() % 2))).map { _ in tensorExpression(depth: depth - 1) }
            return add(.index(base, indices))
        case 2:
            let lhs = tensorExpression(depth: depth - 1)
            let rhs = tensorExpression(depth: depth - 1)
            return add(.binary(.matmul, lhs, rhs))
        case 3:
            // The functions whose second argument is a shape tuple get one in the reshape case.
            let function = pick(TensorFunction.allCases.filter { !$0.takesShape })
            let arguments = (0..<function.positionalArity.lowerBound).map { _ in tensorExpression(depth: depth - 1) }
            var keywords: [KeywordArgument] = []
            for name in function.keywords where random.next() % 2 == 0 {
                let value: KeywordValue
                switch name {
                case "keepdims": value = .boolean(random.next() % 2 == 0)
                case "axes": value = .integers([1, 0])
                case "stride": value = .integer(1 + Int(random.next() % 3))
                case "pad": value = .integer(Int(random.next() % 3))
                default: value = random.next() % 2 == 0 ? .integer(Int(random.next() % 3) - 1) : .integers([0, 1])
                }
                keywords.append(KeywordArgument(name: name, value: value, range: Self.placeholder))
            }
            return add(.tensorCall(function, arguments, keywords))
        case 4:
            let operand = tensorExpression(depth: depth - 1)
            let shape = add(.shapeTuple(pick([[.named("B"), .size(-1)], [.size(3)], [], [.size(2), .size(3)]])))
            return add(.tensorCall(.reshape, [operand, shape], []))
        case 5:
            let shape = pick([[2], [2, 2], [1, 3], [3]])
            let count = shape.reduce(1, *)
            let elements = (0..<count).map { _ -> ASTNodeID in
                let element = expression(depth: depth - 1)
                return element
            }
            return add(.array(elements, shape: shape))
        default:
            let op = pick(BinaryOperator.allCases)
            let lhs = tensorExpression(depth: depth - 1)
            let rhs = tensorExpression(depth: depth - 1)
            return add(.binary(op, lhs, rhs))
        }
    }

    /// A tensor program: a few declarations and one statement.
    mutating func tensorProgram() -> Program {
        let value = tensorExpression(depth: Int(random.next() % 5))
        let declarations = [
            Declaration(name: "W", nameRange: Self.placeholder, kind: .real, dimensions: [.size(2), .named("N")],
                        shapeRange: Self.placeholder, range: Self.placeholder),
            Declaration(name: "t", nameRange: Self.placeholder, kind: .label, dimensions: pick([[], [.named("N")]]),
                        shapeRange: Self.placeholder, range: Self.placeholder),
        ].filter { _ in random.next() % 2 == 0 }
        let statement = Statement(name: nil, nameRange: nil, value: value, range: Self.placeholder)
        return Program(nodes: nodes, statements: [statement], declarations: declarations)
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

    @Test("print, parse, compare: 1500 seeded random tensor expressions")
    func randomTensorRoundTrip() {
        var failures = 0
        for seed in 0..<1500 as Range<UInt64> {
            var generator = ExpressionGenerator(seed: seed)
            let original = generator.tensorProgram()
            let text = original.printed()
            let reparsed = Parser.parse(text)
            let ok = !reparsed.hasErrors
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
