import Foundation
import Symbolic
import Testing

/// How tensor values reach the CLI: `--at` array literals and `@FILE.npy`, `--inputs` JSON,
/// `--dim` and `--upstream`, read into a `TensorPoint`; every refusal with its exact message and
/// exit status; and what the scalar path says when it is given an array.
@Suite struct TensorPointTests {
    // MARK: - Helpers

    /// The point `arguments` (after `eval`) give, read against in-memory `files`.
    private func read(_ arguments: [String], files: [String: [UInt8]] = [:],
                      spec: CommandSpec = EvalCommand.spec) throws -> TensorPoint {
        let parsed = try ArgumentParser.parse(arguments, for: spec)
        let (io, _) = IO.capturing(files: files)
        return try TensorPoint.read(parsed, io)
    }

    private func tensor(_ sizes: [Int], _ scalars: [Double]) throws -> Tensor {
        try Tensor(shape: sizes, scalars: scalars)
    }

    /// Little-endian float64 bytes, as `numpy.save` writes the data of a `'<f8'` array.
    static func float64Bytes(_ values: [Double]) -> [UInt8] {
        values.flatMap { value in (0..<8).map { UInt8(truncatingIfNeeded: value.bitPattern >> (8 * UInt64($0))) } }
    }

    /// A version 1.0 `.npy` file written by hand: magic, version, 2-byte header length, the
    /// header dict padded with spaces to a multiple of 64 bytes and ended by a newline, then data.
    static func npy(descr: String = "<f8", shape: [Int], data: [UInt8]) -> [UInt8] {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeText), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        let length = header.utf8.count
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(length & 0xFF), UInt8(length >> 8)] + Array(header.utf8) + data
    }

    static let matrixFile = npy(shape: [2, 2], data: float64Bytes([0.1, 0.5, -0.3, 0.8]))
    static let scalarFile = npy(shape: [], data: float64Bytes([3]))
    /// A (2, 2) array with only three of its four values.
    static let truncatedFile = Array(npy(shape: [2, 2], data: float64Bytes([1, 2, 3, 4])).dropLast(8))
    static let int64File = npy(descr: "<i8", shape: [2], data: [1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0])

    static let files: [String: [UInt8]] = [
        "w.npy": matrixFile, "s.npy": scalarFile, "t.npy": truncatedFile, "i.npy": int64File,
        "v.json": Array(#"{"W": [[1, 2], [3, 4]], "y": [0, 2, 1], "b": -0.5, "k": 3}"#.utf8),
        "x.json": Array(#"{"x": 2}"#.utf8),
        "empty.json": Array("{}".utf8),
    ]

    /// Runs the CLI in-process with `files` and returns (stdout, stderr, status).
    private func run(_ arguments: [String], files: [String: [UInt8]] = TensorPointTests.files) -> (stdout: String, stderr: String, status: Int32) {
        runInProcess(arguments, files: files)
    }

    // MARK: - --at

    @Test func atTakesArrayLiteralsAndKeepsScalarsAsText() throws {
        let point = try read(["f", "--at", "W=[[0.1,0.5],[-0.3,0.8]],x=[0.2,0.4],y=2,s=pi/2"])
        #expect(point.names == ["W", "x", "y", "s"])
        #expect(point.entries.map(\.origin) == [.at, .at, .at, .at])
        #expect(point.entry(named: "W")?.value == .array(try tensor([2, 2], [0.1, 0.5, -0.3, 0.8])))
        #expect(point.entry(named: "x")?.value == .array(try tensor([2], [0.2, 0.4])))
        #expect(point.entry(named: "y")?.value == .expression("2"))
        #expect(point.entry(named: "s")?.value == .expression("pi/2"))
        #expect(point.givesValues)
        #expect(point.dimensions.isEmpty)
        #expect(point.upstream == nil)
        // Scalar texts evaluate as --at always evaluated them, to arrays of shape ().
        let tensors = try point.tensors()
        #expect(tensors.map(\.name) == ["W", "x", "y", "s"])
        #expect(tensors[2].value == Tensor(scalar: 2))
        #expect(tensors[3].value == Tensor(scalar: Double.pi / 2))
    }

    @Test func literalNumbersMayBeNegativeDecimalOrExponential() throws {
        let point = try read(["f", "--at", "x=[-1.5e-3, 2E2, +3, 5.],e=[],m=[[1],[2]]"])
        #expect(point.entry(named: "x")?.value == .array(Tensor(vector: [-0.0015, 200, 3, 5])))
        #expect(point.entry(named: "e")?.value == .array(try tensor([0], [])))
        #expect(point.entry(named: "m")?.value == .array(try tensor([2, 1], [1, 2])))
    }

    @Test func atReadsNpyFiles() throws {
        let point = try read(["f", "--at", "W=@w.npy,c=@s.npy"], files: Self.files)
        #expect(point.entry(named: "W")?.value == .array(try tensor([2, 2], [0.1, 0.5, -0.3, 0.8])))
        #expect(point.entry(named: "c")?.value == .array(Tensor(scalar: 3)))
    }

    // MARK: - --inputs

    @Test func inputsReadsNumbersNestedListsAndLabels() throws {
        let point = try read(["f", "--inputs", "v.json"], files: Self.files)
        // A decoded JSON object keeps no order: members come sorted by name.
        #expect(point.names == ["W", "b", "k", "y"])
        #expect(point.entries.allSatisfy { $0.origin == .inputs(path: "v.json") })
        #expect(point.entry(named: "W")?.value == .array(try tensor([2, 2], [1, 2, 3, 4])))
        #expect(point.entry(named: "b")?.value == .array(Tensor(scalar: -0.5)))
        #expect(point.entry(named: "k")?.value == .array(Tensor(scalar: 3)))
        guard case .array(let labels)? = point.entry(named: "y")?.value else {
            Issue.record("y is not an array")
            return
        }
        #expect(try labels.labels() == [0, 2, 1])
        #expect(point.inputsPath == "v.json")
        #expect(point.givesValues)
    }

    @Test func emptyObjectGivesNoValuesButCounts() throws {
        let point = try read(["f", "--inputs", "empty.json"], files: Self.files)
        #expect(point.entries.isEmpty)
        #expect(point.givesValues)
    }

    // MARK: - Every source together

    @Test func sourcesCombine() throws {
        let point = try read(["f", "--at", "x=[0.2,0.4],s=pi", "--inputs", "v.json", "--dim", "N=5, B=2",
                              "--upstream", "[1, -2]"], files: Self.files)
        #expect(point.names == ["x", "s", "W", "b", "k", "y"])
        #expect(point.entry(named: "x")?.origin == .at)
        #expect(point.entry(named: "W")?.origin == .inputs(path: "v.json"))
        #expect(point.dimensions == ["N": 5, "B": 2])
        #expect(point.upstream == Tensor(vector: [1, -2]))
    }

    @Test func upstreamTakesANumberALiteralOrAFile() throws {
        #expect(try read(["f", "--upstream", "-2.5"]).upstream == Tensor(scalar: -2.5))
        #expect(try read(["f", "--upstream", " [[1], [2]] "]).upstream == (try tensor([2, 1], [1, 2])))
        #expect(try read(["f", "--upstream", "@w.npy"], files: Self.files).upstream
                == (try tensor([2, 2], [0.1, 0.5, -0.3, 0.8])))
        #expect(try read(["f"]).givesValues == false)
    }

    /// `graph` has only --at; the options it lacks count as not given.
    @Test func commandsWithoutTheOptionsReadOnlyAt() throws {
        let point = try read(["f", "--at", "x=[1]"], spec: GraphCommand.spec)
        #expect(point.names == ["x"])
        #expect(point.dimensions.isEmpty)
    }

    // MARK: - Refusals: bad values and files (exit 1)

    @Test(arguments: [
        (["eval", "x", "--at", "x=[[1,2],[3]]"],
         "error: the value of 'x' in --at is not a valid array: ragged rows: row 1 has 1 element where row 0 has 2\n"),
        (["eval", "x", "--at", "x=[[1,2],3]"],
         "error: the value of 'x' in --at is not a valid array: mixed nesting: element 1 is a number where a list "
         + "was expected, or a list where a number was expected\n"),
        (["eval", "x", "--at", "x=[1 2]"],
         "error: the value of 'x' in --at is not a valid array: expected ',' or ']' at character 4 in '[1 2]'\n"),
        (["eval", "x", "--at", "x=[1,pi]"],
         "error: the value of 'x' in --at is not a valid array: 'pi' is not a number at character 4 in '[1,pi]'\n"),
        (["eval", "x", "--at", "x=[1,2][0]"],
         "error: the value of 'x' in --at is not a valid array: unexpected text after the array at character 6 in '[1,2][0]'\n"),
        (["eval", "x", "--at", "x=@t.npy"],
         "error: the value of 'x' in --at: cannot use 't.npy': the .npy file is truncated: its shape needs 32 bytes "
         + "of data, it has 24\n"),
        (["eval", "x", "--at", "x=@i.npy"],
         "error: the value of 'x' in --at: cannot use 'i.npy': the .npy file holds dtype '<i8' (int64); only float64 "
         + "little-endian ('<f8') is supported: save it with a.astype('<f8')\n"),
        (["eval", "x", "--at", "x=@v.json"],
         "error: the value of 'x' in --at: cannot use 'v.json': not a .npy file: it does not start with \\x93NUMPY\n"),
        (["eval", "x", "--at", "x=@missing.npy"],
         "error: the value of 'x' in --at: cannot read 'missing.npy': No such file or directory\n"),
        (["eval", "x", "--upstream", "[1,", "--at", "x=1"],
         "error: --upstream is not a valid array: expected a number or '[' at character 4 in '[1,'\n"),
        (["eval", "x", "--upstream", "@missing.npy", "--at", "x=1"],
         "error: --upstream: cannot read 'missing.npy': No such file or directory\n"),
        (["eval", "x", "--upstream", "@t.npy", "--at", "x=1"],
         "error: --upstream: cannot use 't.npy': the .npy file is truncated: its shape needs 32 bytes of data, it has 24\n"),
    ] as [([String], String)])
    func badValues(_ arguments: [String], _ stderr: String) {
        let result = run(arguments)
        #expect(result.stderr == stderr)
        #expect(result.stdout == "")
        #expect(result.status == 1)
    }

    @Test(arguments: [
        ("missing.json", nil, "error: --inputs: cannot read 'missing.json': No such file or directory\n"),
        ("f.json", "{\"x\": [1, 2}", "error: --inputs 'f.json' is not valid JSON: line 1, column 12: expected ',' or ']' in an array, found '}'\n"),
        ("f.json", "x = 1", "error: --inputs 'f.json' is not valid JSON: line 1, column 1: expected a value, found 'x'\n"),
        ("f.json", "", "error: --inputs 'f.json' is not valid JSON: line 1, column 1: expected a value, found the end of the file\n"),
        ("f.json", "[[1, 2]]",
         "error: --inputs 'f.json' must hold a JSON object of values by input name, such as {\"x\": [1, 2], \"y\": 2}, "
         + "but it holds an array\n"),
        ("f.json", "3",
         "error: --inputs 'f.json' must hold a JSON object of values by input name, such as {\"x\": [1, 2], \"y\": 2}, "
         + "but it holds a number\n"),
        ("f.json", "{\"x\": \"1\"}",
         "error: the value of 'x' in --inputs 'f.json' must be a number or a nested list of numbers, but it is a string\n"),
        ("f.json", "{\"x\": true}",
         "error: the value of 'x' in --inputs 'f.json' must be a number or a nested list of numbers, but it is true\n"),
        ("f.json", "{\"x\": null}",
         "error: the value of 'x' in --inputs 'f.json' must be a number or a nested list of numbers, but it is null\n"),
        ("f.json", "{\"x\": {\"y\": 1}}",
         "error: the value of 'x' in --inputs 'f.json' must be a number or a nested list of numbers, but it is an object\n"),
        ("f.json", "{\"x\": [[1, 2], [3, \"4\"]]}",
         "error: the value of 'x' in --inputs 'f.json' is not a valid array: element [1][1] is not a number\n"),
        ("f.json", "{\"x\": [[1, 2], [3]]}",
         "error: the value of 'x' in --inputs 'f.json' is not a valid array: ragged rows: row 1 has 1 element where row 0 has 2\n"),
        ("f.json", "{\"x y\": 1}", "error: --inputs 'f.json' gives a value for \"x y\", which is not an input name\n"),
        ("f.json", "{\"pi\": 1}",
         "error: 'pi' is the constant π (3.141592653589793), not an input: --inputs cannot set it (its inputs: x)\n"),
        ("f.json", "{\"x\": 1, \"z\": 2, \"y\": 3}",
         "error: input 'x' is given twice, in --at and in --inputs 'f.json'; give it once\n"),
    ] as [(String, String?, String)])
    func badValueFiles(_ path: String, _ contents: String?, _ stderr: String) {
        let files = contents.map { [path: Array($0.utf8)] } ?? [:]
        let arguments = stderr.contains("given twice") ? ["eval", "x", "--at", "x=1", "--inputs", path] : ["eval", "x", "--inputs", path]
        let result = run(arguments, files: files)
        #expect(result.stderr == stderr)
        #expect(result.stdout == "")
        #expect(result.status == 1)
    }

    // MARK: - Refusals: malformed option text (exit 2)

    @Test(arguments: [
        (["eval", "x", "--at", "x=@"], "missing file name after '@' in 'x=@'"),
        (["check", "x", "--at", "y=1,x=@"], "missing file name after '@' in 'x=@'"),
        (["eval", "x", "--at", "x=1", "--upstream", "@"], "missing file name after '@' in '--upstream @'"),
        (["eval", "x", "--at", "x=1", "--dim", "N"], "expected NAME=SIZE in '--dim', got 'N'"),
        (["eval", "x", "--at", "x=1", "--dim", "N=0"],
         "invalid size '0' for dimension 'N' in '--dim': expected a positive whole number"),
        (["eval", "x", "--at", "x=1", "--dim", "N=-2"],
         "invalid size '-2' for dimension 'N' in '--dim': expected a positive whole number"),
        (["eval", "x", "--at", "x=1", "--dim", "N=2.5"],
         "invalid size '2.5' for dimension 'N' in '--dim': expected a positive whole number"),
        (["eval", "x", "--at", "x=1", "--dim", "N="],
         "invalid size '' for dimension 'N' in '--dim': expected a positive whole number"),
        (["eval", "x", "--at", "x=1", "--dim", "2N=3"], "'2N' is not a dimension name (in '--dim 2N=3')"),
        (["eval", "x", "--at", "x=1", "--dim", "N=2,N=3"], "dimension 'N' is given more than once in '--dim N=2,N=3'"),
        (["check", "x", "--at", "x=1", "--dim", "N=2,"], "option '--dim' has an empty item in 'N=2,'"),
        (["eval", "x", "--at", "x=1", "--dim", "N=2", "B=3"],
         "unexpected argument 'B=3' for 'eval': separate the values of --dim with commas, not spaces: --dim N=2,B=3"),
        (["check", "x", "--inputs", "x.json", "--points", "3"], "options '--inputs' and '--points' cannot be used together"),
    ] as [([String], String)])
    func malformedOptions(_ arguments: [String], _ message: String) {
        let result = run(arguments)
        #expect(result.stderr == "error: \(message)\nRun 'symdiff help \(arguments[0])' for usage.\n")
        #expect(result.stdout == "")
        #expect(result.status == 2)
    }

    // MARK: - The scalar path (programs without shape declarations)

    @Test(arguments: [
        (["eval", "x^2", "--at", "x=[0.2,0.4]"],
         "error: input 'x' is given an array of shape (2,), but the program uses it as a scalar; declare its shape, e.g. 'x: (2,)'\n"),
        (["eval", "x^2", "--at", "x=@w.npy"],
         "error: input 'x' is given an array of shape (2, 2), but the program uses it as a scalar; declare its shape, e.g. 'x: (2, 2)'\n"),
        (["eval", "W*x", "--inputs", "v.json", "--at", "x=1"],
         "error: input 'W' is given an array of shape (2, 2), but the program uses it as a scalar; declare its shape, e.g. 'W: (2, 2)'\n"),
        (["check", "x^2", "--at", "x=[1]"],
         "error: input 'x' is given an array of shape (1,), but the program uses it as a scalar; declare its shape, e.g. 'x: (1,)'\n"),
        (["graph", "x^2", "--at", "x=[[1,2]]"],
         "error: input 'x' is given an array of shape (1, 2), but the program uses it as a scalar; declare its shape, e.g. 'x: (1, 2)'\n"),
        (["eval", "x^2", "--at", "x=1,z=[1,2]"],
         "error: input 'z' is given an array of shape (2,), but 'z' does not appear in the expression; declare its shape, "
         + "e.g. 'z: (2,)', or give it a number\n"),
        (["eval", "x^2", "--at", "x=1", "--dim", "N=5,B=2"],
         "error: --dim sets 'B', 'N', but the program declares no shapes, so it has no named dimensions\n"),
        (["check", "x^2", "--dim", "N=5"],
         "error: --dim sets 'N', but the program declares no shapes, so it has no named dimensions\n"),
        (["eval", "x^2", "--at", "x=1", "--upstream", "[1, -2]"],
         "error: --upstream gives an upstream gradient of shape (2,), but the program's output is a scalar, whose "
         + "gradient starts at 1; leave out --upstream\n"),
        (["eval", "x*y", "--inputs", "x.json"], "error: no value for 'y' (add y=... to --at or a member \"y\" to --inputs 'x.json')\n"),
    ] as [([String], String)])
    func scalarProgramsRefuseArrays(_ arguments: [String], _ stderr: String) {
        let result = run(arguments)
        #expect(result.stderr == stderr)
        #expect(result.stdout == "")
        #expect(result.status == 1)
    }

    @Test func scalarProgramsTakeNumbersFromEverySource() {
        // A 0-d .npy file and JSON numbers are scalars.
        let npy = run(["eval", "c*x^2", "--at", "c=@s.npy", "--inputs", "x.json"])
        #expect(npy.stdout == "f = 12\ndf/dc = 4\ndf/dx = 12\n")
        #expect(npy.stderr == "")
        #expect(npy.status == 0)
        let json = run(["eval", "x^2", "--inputs", "x.json", "--format", "json"])
        #expect(json.stdout == "{\"value\": 4, \"gradient\": {\"x\": 4}}\n")
        let check = run(["check", "x^2", "--inputs", "x.json"])
        #expect(check.stdout.hasSuffix("ok: the symbolic gradient agrees with central finite differences\n"))
        #expect(check.status == 0)
    }

    @Test func evalOfAProgramWithoutInputsNeedsNoValues() {
        let constant = run(["eval", "2 + 3"])
        #expect(constant.stdout == "f = 5\n")
        #expect(constant.status == 0)
        #expect(run(["eval", "pi", "--inputs", "empty.json"]).stdout == "f = 3.141592653589793\n")
        // With inputs and no values, the message of the required --at stays.
        let missing = run(["eval", "x + 1"])
        #expect(missing.stderr == "error: missing option '--at LIST' for 'eval'\nRun 'symdiff help eval' for usage.\n")
        #expect(missing.status == 2)
        #expect(run(["eval", "2", "--vars", "x"]).status == 2)
    }

    // MARK: - Real files through the built binary

    @Test func builtBinaryReadsRealFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("symdiff-tensorpoint-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let scalar = directory.appendingPathComponent("s.npy").path
        let truncated = directory.appendingPathComponent("t.npy").path
        let values = directory.appendingPathComponent("v.json").path
        try Data(Self.scalarFile).write(to: URL(fileURLWithPath: scalar))
        try Data(Self.truncatedFile).write(to: URL(fileURLWithPath: truncated))
        try Data(#"{"x": 2}"#.utf8).write(to: URL(fileURLWithPath: values))

        let good = runSymdiff(["eval", "c*x^2", "--at", "c=@\(scalar)", "--inputs", values])
        #expect(good.stdout == "f = 12\ndf/dc = 4\ndf/dx = 12\n")
        #expect(good.status == 0)
        let bad = runSymdiff(["eval", "x", "--at", "x=@\(truncated)"])
        #expect(bad.stderr == "error: the value of 'x' in --at: cannot use '\(truncated)': the .npy file is truncated: "
                + "its shape needs 32 bytes of data, it has 24\n")
        #expect(bad.status == 1)
        let missing = runSymdiff(["eval", "x", "--inputs", directory.appendingPathComponent("none.json").path])
        #expect(missing.stderr == "error: --inputs: cannot read '\(directory.appendingPathComponent("none.json").path)': "
                + "No such file or directory\n")
        #expect(missing.status == 1)
        let directoryAsFile = runSymdiff(["eval", "x", "--inputs", directory.path])
        #expect(directoryAsFile.stderr == "error: --inputs: cannot read '\(directory.path)': Is a directory\n")
        #expect(directoryAsFile.status == 1)
    }

    /// The evaluator's work is bounded: a product of two 3000 x 3000 matrices with its gradient
    /// (1.6e11 operations, hours of loops) is refused at once, naming the sizes; a smaller one runs.
    @Test func evaluationAboveTheWorkLimitIsRefusedWithTheCount() {
        let source = "A: (N, N); B: (N, N); sum(A @ B)"
        let big = runSymdiff(["eval", source, "--random", "1", "--dim", "N=3000"])
        #expect(big.status == 1)
        #expect(big.stdout == "")
        #expect(big.stderr == "error: at the random point: the value and gradient take about 1.6e11 floating-point operations at N = 3000, "
                + "more than symdiff's evaluator runs (1e10); give smaller sizes, or emit code for it (symdiff emit --lang numpy)\n")
        let small = runSymdiff(["eval", source, "--random", "1", "--dim", "N=20"])
        #expect(small.status == 0)
        #expect(small.stdout.hasPrefix("f = "))
    }

    /// A constant program whose arrays sit under a scalar operation has no equation that shows
    /// them: it is still a program with arrays (it was evaluated as scalars, giving nan).
    @Test func constantArraysUnderAScalarOperationEvaluate() {
        for (source, value) in [("sum([[1,2],[3,4]]) + 1", "f = 11\n"), ("det([[2,1],[1,3]]) + trace([[1,2],[3,4]])", "f = 10\n"),
                                ("2*max([1,5,3])^2", "f = 50\n")] {
            let run = runSymdiff(["eval", source])
            #expect(run.status == 0, "\(source): \(run.stderr)")
            #expect(run.stdout == value, "\(source)")
        }
    }
}
