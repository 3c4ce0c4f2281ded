import Testing
@testable import ExprParse

/// The tensor syntax (grammar.md, "Tensors"): what each construct parses to, how it binds,
/// and that it prints back.
@Suite("Tensor syntax")
struct TensorSyntaxTests {
    /// The dump of `source`, or its rendered diagnostics.
    private func dumped(_ source: String) -> String {
        let result = Parser.parse(source)
        guard result.diagnostics.isEmpty else { return rendered(source) }
        return result.program.dump()
    }

    @Test("declarations are kept apart from the statements, with their kinds, shapes and ranges")
    func declarations() {
        #expect(dumped("W: (2, 2); x: (2,)\ny: int (N,); b: (); t: int\nsum(W @ x) + b + t*y[0]") == """
            program
              declaration W: (2, 2) @1:1-1:10
              declaration x: (2,) @1:12-1:19
              declaration y: int (N,) @2:1-2:12
              declaration b: () @2:14-2:19
              declaration t: int @2:21-2:27
              statement @3:1-3:24
                binary + @3:1-3:24
                  binary + @3:1-3:15
                    call sum @3:1-3:11
                      binary @ @3:5-3:10
                        variable W @3:5-3:6
                        variable x @3:9-3:10
                    variable b @3:14-3:15
                  binary * @3:18-3:24
                    variable t @3:18-3:19
                    index @3:20-3:24
                      variable y @3:20-3:21
                      number 0 @3:22-3:23
            """)
        let program = Parser.parse("X: (N, 3); y: int (N,)\nZ = X @ W\nZ[arange(N), y] + c").program
        #expect(program.declarations.map(\.kind) == [.real, .label])
        #expect(program.declarations[0].dimensions == [.named("N"), .size(3)])
        #expect(program.declarations[0].shapeRange.description == "1:4-1:10")
        #expect(program.declarations[1].shapeRange.description == "1:15-1:23")
        #expect(program.statements.count == 2)
        // Declared names first, then the others by first use; the dimension N is no input.
        #expect(program.inputs == ["X", "y", "W", "c"])
        #expect(program.dimensionNames == ["N"])
    }

    @Test("'(3)' in a declaration is the shape (3,); a trailing comma and line breaks are allowed")
    func declarationTuples() {
        #expect(reprinted("x: (3); x") == "x: (3,)\nx")
        #expect(reprinted("W: (2, 3,); W") == "W: (2, 3)\nW")
        #expect(reprinted("W: (\n  2,\n  3\n)\nW") == "W: (2, 3)\nW")
        #expect(reprinted("b: (); y: int; b*y") == "b: ()\ny: int\nb*y")
        let deep = "x: (" + Array(repeating: "1", count: 32).joined(separator: ", ") + "); x"
        #expect(Parser.parse(deep).diagnostics.isEmpty)
    }

    @Test("array literals flatten row-major, with their shape; elements are any expressions")
    func arrayLiterals() {
        #expect(dumped("[[1, -1], [0, 2*y]]") == """
            program
              statement @1:1-1:20
                array (2, 2) @1:1-1:20
                  number 1 @1:3-1:4
                  unary - @1:6-1:8
                    number 1 @1:7-1:8
                  number 0 @1:12-1:13
                  binary * @1:15-1:18
                    number 2 @1:15-1:16
                    variable y @1:17-1:18
            """)
        let program = Parser.parse("[[[1], [2]], [[3], [4]], [[5], [6]]]").program
        #expect(program.nodes.count == 7)  // the six numbers and one array: rows leave no node behind
        guard case .array(let elements, let shape) = program.nodes.last?.kind else {
            Issue.record("not an array")
            return
        }
        #expect(shape == [3, 2, 1])
        #expect(elements.map { program.printed($0) } == ["1", "2", "3", "4", "5", "6"])
        #expect(reprinted("F = [[1, -1],\n     [0, 2]]\nF") == "F = [[1, -1], [0, 2]]\nF")
        #expect(reprinted("[0.2, .4]") == "[0.2, .4]")
        #expect(reprinted("[([1, 2]), [3, 4]]") == "[[1, 2], [3, 4]]")
    }

    @Test("precedence: @ is *'s, .T and [...] bind tightest", arguments: [
        ("A @ B * C", "((A @ B)*C)"),
        ("A * B @ C", "((A*B) @ C)"),
        ("A @ x + b", "((A @ x) + b)"),
        ("x.T @ A @ x", "((x.T @ A) @ x)"),
        ("-W.T^2", "(-(W.T^2))"),
        ("W.T @ g", "(W.T @ g)"),
        ("(W @ x).T", "((W @ x)).T"),
        ("2^x.T", "(2^x.T)"),
        ("-x[0]^2", "(-(x[0]^2))"),
        ("W.T[0]", "W.T[0]"),
        ("A @ -B", "(A @ (-B))"),
        ("A @ B^2", "(A @ (B^2))"),
        ("2 W @ x", "((2*W) @ x)"),
        ("||W x||^2", "(norm((W*x))^2)"),
        ("2||x|| ||y||", "((2*norm(x))*norm(y))"),
        ("||x - ||y|| ||", "norm((x - norm(y)))"),
    ])
    func precedence(source: String, expected: String) {
        #expect(parenthesized(source) == expected)
    }

    @Test("a line starting with @ or .T continues the statement above")
    func continuation() {
        #expect(reprinted("y = W\n    @ x\ny") == "y = W @ x\ny")
        #expect(reprinted("y = (W @ x)\n  .T\ny") == "y = (W @ x).T\ny")
        #expect(reprinted("y = W @\n  x\ny") == "y = W @ x\ny")
        #expect(reprinted("s = sum(x,\n        axis=1)\ns") == "s = sum(x, axis=1)\ns")
    }

    @Test("tensor calls with keyword arguments; max and min reduce with one argument")
    func keywordCalls() {
        #expect(reprinted("sum(x, axis=1)") == "sum(x, axis=1)")
        #expect(reprinted("sum(x, axis=-1, keepdims=true)") == "sum(x, axis=-1, keepdims=true)")
        #expect(reprinted("sum(x, axis=(0, 1))") == "sum(x, axis=(0, 1))")
        #expect(reprinted("sum(x, axis=(1))") == "sum(x, axis=(1,))")
        #expect(reprinted("softmax(z, axis=0)") == "softmax(z, axis=0)")
        #expect(reprinted("transpose(x, axes=(1, 0))") == "transpose(x, axes=(1, 0))")
        #expect(reprinted("reshape(x, (B, -1))") == "reshape(x, (B, -1))")
        #expect(reprinted("onehot(y, 10) + arange(N)") == "onehot(y, 10) + arange(N)")
        #expect(reprinted("cross_entropy(X @ W + b, y)") == "cross_entropy(X @ W + b, y)")
        #expect(reprinted("mean(x, keepdims=false) + logsumexp(z) + log_softmax(z)")
                == "mean(x, keepdims=false) + logsumexp(z) + log_softmax(z)")
        let program = Parser.parse("max(x) + max(x, axis=0) + max(a, b) + min(y)").program
        var kinds: [String] = []
        for node in program.nodes {
            switch node.kind {
            case .call(let function, _): kinds.append("call \(function.name)")
            case .tensorCall(let function, _, let keywords): kinds.append("tensor \(function.name) \(keywords.count)")
            default: break
            }
        }
        #expect(kinds == ["tensor max 0", "tensor max 1", "call max", "tensor min 0"])
    }

    @Test("the matrix functions are tensor calls of one argument; as names they stay variables")
    func matrixFunctions() {
        #expect(reprinted("trace(A) + det(A) * logdet(A @ A.T) + sum(inv(A) * eye(3))")
                == "trace(A) + det(A)*logdet(A @ A.T) + sum(inv(A)*eye(3))")
        var kinds: [String] = []
        for node in Parser.parse("trace(A) + inv(A)[0, 0] + det(A) + logdet(A) + eye(N)[0, 0]").program.nodes {
            if case .tensorCall(let function, let args, _) = node.kind { kinds.append("\(function.name) \(args.count)") }
        }
        #expect(kinds == ["trace 1", "inv 1", "det 1", "logdet 1", "eye 1"])
        #expect(reprinted("det = a*b; det(x)") == "det = a*b\ndet*x")
        #expect(Parser.parse("trace + inv").program.inputs == ["trace", "inv"])
        #expect(!Parser.parse("det(A, B)").diagnostics.filter { $0.severity == .error }.isEmpty)
    }

    @Test("a tensor function's name stays a valid variable name, as it was before")
    func tensorNamesAreNotReserved() {
        #expect(reprinted("mean = (a + b)/2; mean^2") == "mean = (a + b)/2\nmean^2")
        #expect(reprinted("sum = a + b; sum(x)") == "sum = a + b\nsum*x")
        #expect(Parser.parse("norm + dot").program.inputs == ["norm", "dot"])
    }

    @Test("indexing after names, calls, groups and literals")
    func indexing() {
        #expect(reprinted("softmax(z)[y]") == "softmax(z)[y]")
        #expect(reprinted("Z[arange(N), y]") == "Z[arange(N), y]")
        #expect(reprinted("x[0] + x[-1]") == "x[0] + x[-1]")
        #expect(reprinted("(a + b)[1]") == "(a + b)[1]")
        #expect(reprinted("[1, 2][0]") == "[1, 2][0]")
        #expect(reprinted("x[i][j]") == "x[i][j]")
    }

    @Test("juxtapositions are recorded, explicit products are not")
    func juxtapositions() {
        func juxtaposed(_ source: String) -> [String] {
            let program = Parser.parse(source).program
            return program.juxtapositions.sorted().map { program.printed($0) }
        }
        #expect(juxtaposed("W x") == ["W*x"])
        #expect(juxtaposed("W*x") == [])
        #expect(juxtaposed("2x y") == ["2*x", "2*x*y"])
        #expect(juxtaposed("(x + 1)(x - 1)") == ["(x + 1)*(x - 1)"])
        #expect(juxtaposed("W2 relu(W1 @ x)") == ["W2*relu(W1 @ x)"])
        #expect(juxtaposed("W @ x") == [])
    }

    @Test("'.T' on a number prints with parentheses, since '2.T' is a malformed number")
    func transposeOfNumber() {
        #expect(reprinted("(2).T") == "(2).T")
        #expect(diagnosticIDs("2.T") == ["malformed-number"])
        #expect(reprinted("x .T") == "x.T")
    }

    @Test("the lexer's node count stays a lower bound for tensor programs", arguments: [
        "W: (2, 2); x: (2,); y: int (N,); sum((W @ x)^2)",
        "sum(x, axis=(0, 1, 2), keepdims=true) + softmax(z, axis=-1)",
        "reshape(reshape(x, (2, 3)), (B, -1, 1))",
        "X: (N, 784); W: (784, 10); y: int (N,)\ncross_entropy(X @ W.T, y) + Z[arange(N), y]",
        "F = [[1, -1], [0, 2]]\n||F||^2 + F[0, 1]",
        "transpose(x, axes=(1, 0)) + max(x, axis=1) + max(a, b)",
    ])
    func nodeCountIsALowerBound(source: String) {
        let result = Parser.parse(source)
        #expect(result.diagnostics.filter { $0.severity == .error }.isEmpty)
        let nodes = result.program.nodes.count
        #expect(!diagnosticIDs(source, nodeLimit: nodes).contains("program-too-large"))
        #expect(diagnosticIDs(source, nodeLimit: nodes - 1).contains("program-too-large"))
    }

    @Test("every tensor construct prints back to an equal program", arguments: [
        "W: (4, 3); b: (4,); x: (3,); y: int\ncross_entropy(W @ x + b, y)",
        "x: (4,); W1: (6, 4); W2: (4, 6)\nsum((W2 @ relu(W1 @ x) + x)^2)",
        "I = [[1, 2, 3, 4], [4, 3, 2, 1], [-1, 0, 1, 2], [0, -2, 4, 0]]\nF = [[1, -1], [0, 2]]\nsum(I[0]) + F[1, 1]",
        "x: (B, 1, 28, 28); t: int (B,)\nh = relu(reshape(x, (B, -1)) @ W1.T + b1)\ncross_entropy(h @ W2.T + b2, t)",
        "-(x.T)[0]^2 + (-x).T + (x^2).T + [x, 2*y].T",
        "sum(-x, axis=(0, 1), keepdims=true)[0]",
    ])
    func roundTrip(source: String) {
        let first = Parser.parse(source)
        #expect(first.diagnostics.filter { $0.severity == .error }.isEmpty, "\(rendered(source))")
        let text = first.program.printed()
        let again = Parser.parse(text)
        #expect(again.diagnostics.filter { $0.severity == .error }.isEmpty, "\(rendered(text))")
        #expect(again.program.structurallyEqual(first.program))
        #expect(again.program.printed() == text)
    }
}
