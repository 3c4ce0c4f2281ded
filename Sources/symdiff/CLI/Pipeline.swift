import Codegen
import ExprParse

import Symbolic

/// The steps every math command shares: parse (rendering diagnostics), stage and
/// differentiate, and read a point from `--at`. The CLI holds no math of its own; this only
/// translates between arguments and the libraries, and their errors into `CLIError`s.
enum Pipeline {
    /// Parses the input; warnings go to stderr, errors become a `.renderedDiagnostics`.
    static func parse(_ input: ExpressionInput, _ io: IO) throws -> Program {
        let result = Parser.parse(input.text)
        let rendered = result.diagnostics.map { $0.render(source: input.text, fileName: input.displayName) }
        if result.hasErrors { throw CLIError.renderedDiagnostics(rendered.joined(separator: "\n")) }
        for text in rendered { io.writeError(text.hasSuffix("\n") ? text : text + "\n") }
        return result.program
    }

    /// Parses, stages and differentiates. `--vars` orders the inputs; names it lists that the
    /// program never reads become inputs with derivative 0, each with a note on stderr.
    static func gradient(_ arguments: ParsedArguments, _ input: ExpressionInput, _ io: IO, expand: Bool = false) throws -> Gradient {
        let built = try build(arguments, input, io, expand: expand, point: [])
        noteUnread(built.unread, built.gradient, io)
        return built.gradient
    }

    /// The gradient and the point `--at` and `--inputs` give (nil when neither is given), for
    /// the commands that evaluate. As with `--vars`, a name given a value that the program never
    /// reads is an input with derivative 0 (the worksheet's g(x, y, z) that ignores z), with a
    /// note. This is the scalar path: an array value, `--dim` or `--upstream` is refused with
    /// what to declare, since a program without shape declarations has only scalars.
    static func gradientAndPoint(_ arguments: ParsedArguments, _ input: ExpressionInput, _ io: IO) throws -> (gradient: Gradient, point: [Double]?) {
        let (gradient, values) = try gradientAndValues(arguments, input, io)
        switch values {
        case .none: return (gradient, nil)
        case .scalars(let point): return (gradient, point)
        case .tensors:
            throw CLIError.input("this command does not take programs with arrays yet")
        }
    }

    /// The values of a point: numbers for a scalar program, arrays (with the named dimensions
    /// `--dim` binds and the `--upstream` seed) for a tensor program.
    enum PointValues {
        case scalars([Double])
        case tensors(values: [Tensor], dimensions: [String: Int], upstream: Tensor?)
    }

    /// The gradient and the values `--at`/`--inputs` give, in input order (nil without any).
    static func gradientAndValues(_ arguments: ParsedArguments, _ input: ExpressionInput, _ io: IO) throws -> (gradient: Gradient, values: PointValues?) {
        if arguments.spec.options.contains(where: { $0.long == "--random" }), let seed = arguments.value("--random") {
            return try randomValues(seed, arguments, input, io)
        }
        let given = try TensorPoint.read(arguments, io)
        guard given.givesValues else {
            let gradient = try gradient(arguments, input, io)
            if gradient.isTensorProgram {
                // A program whose inputs are all unread (or none) may still be evaluated.
                guard gradient.staged.inputs.isEmpty else { return (gradient, nil) }
                return (gradient, .tensors(values: [], dimensions: given.dimensions, upstream: given.upstream))
            }
            try refuseShapeOptions(given)
            return (gradient, nil)
        }
        let built = try build(arguments, input, io, expand: false,
                              point: given.entries.map { ($0.name, $0.origin.optionName) })
        if built.gradient.isTensorProgram {
            let tensors = try given.tensors()
            var byName: [String: Tensor] = [:]
            for (name, value) in tensors { byName[name] = value }
            let values = try built.gradient.staged.inputs.map { name in
                guard let value = byName[name] else { throw missingValue(name, given, unread: built.unread) }
                return value
            }
            noteUnread(built.unread, built.gradient, io)
            return (built.gradient, .tensors(values: values, dimensions: given.dimensions, upstream: given.upstream))
        }
        let point = try point(given, for: built.gradient, unread: built.unread)
        try refuseShapeOptions(given)
        // After the point is complete: a typo that left an input without a value is said once, in the error.
        noteUnread(built.unread, built.gradient, io)
        return (built.gradient, .scalars(point))
    }

    /// `--dim` and `--upstream` describe arrays, which a program without shape declarations
    /// has none of; ignoring them would hide a program that lacks its declarations.
    private static func refuseShapeOptions(_ given: TensorPoint) throws {
        if !given.dimensions.isEmpty {
            let names = given.dimensions.keys.sorted().map { "'\($0)'" }.joined(separator: ", ")
            throw CLIError.input("--dim sets \(names), but the program declares no shapes, so it has no named dimensions")
        }
        if let upstream = given.upstream {
            throw CLIError.input("--upstream gives an upstream gradient of shape \(upstream.shape), but the program's output "
                                 + "is a scalar, whose gradient starts at 1; leave out --upstream")
        }
    }

    /// The gradient over the program's inputs plus the names `--vars` and `point` (the names
    /// `--at` or `--inputs` give values, with that option) add; `unread` is those the program
    /// does not read, in order.
    private static func build(_ arguments: ParsedArguments, _ input: ExpressionInput, _ io: IO, expand: Bool,
                              point names: [(name: String, option: String)]) throws -> (gradient: Gradient, unread: [String]) {
        let program = try parse(input, io)
        let requested = try arguments.list(CommonOptions.vars.long)
        if requested == nil && names.isEmpty {
            // The program's own inputs in their own order: nothing to check or add, and listing
            // the inputs (a sort of every syntax node) is left to ProgramGraph, which needs it.
            do {
                let gradient = try Gradient(program: program, expand: expand, rewrite: !arguments.flag(noRewrite))
                reportRewrites(gradient, arguments, input, io)
                return (gradient, [])
            } catch let error as SymbolicError {
                throw translate(error, input)
            }
        }
        let inputs = program.inputs
        // Sets, not `Array.contains`: a program of 3*10^4 inputs (one per weight of a network)
        // spent 1.7 s comparing names pairwise here.
        let inputSet = Set(inputs)
        var variables = requested.map { requested in
            let listed = Set(requested)
            return requested + inputs.filter { !listed.contains($0) }
        } ?? inputs
        let listing = arguments.spec.option(named: CommonOptions.vars.long).spellings.joined(separator: "/")
        for name in requested ?? [] { try checkCanBeInput(name, of: program, refusal: "\(listing) cannot list it") }
        var known = Set(variables)
        for (name, option) in names where !known.contains(name) {
            try checkCanBeInput(name, of: program, refusal: "\(option) cannot set it")
            variables.append(name)
            known.insert(name)
        }
        let unread = variables.filter { !inputSet.contains($0) }
        do {
            let gradient = try Gradient(program: program, expand: expand, variables: variables == inputs ? nil : variables,
                                        rewrite: !arguments.flag(noRewrite))
            reportRewrites(gradient, arguments, input, io)
            return (gradient, unread)
        } catch let error as SymbolicError {
            throw translate(error, input)
        }
    }

    /// The option that turns the stability rewrites off.
    static let noRewrite = "--no-rewrite"

    /// One note per stability rewrite, at the formula it replaced, for the commands that offer
    /// `--no-rewrite` (the others never print them).
    private static func reportRewrites(_ gradient: Gradient, _ arguments: ParsedArguments, _ input: ExpressionInput, _ io: IO) {
        guard arguments.spec.options.contains(where: { $0.spellings.contains(noRewrite) }) else { return }
        for rewrite in gradient.rewrites {
            if let range = rewrite.range {
                let note = Diagnostic(.note, id: rewrite.rule.rawValue, rewrite.message, at: range)
                let text = note.render(source: input.text, fileName: input.displayName)
                io.writeError(text.hasSuffix("\n") ? text : text + "\n")
            } else {
                io.printError("note: " + rewrite.message)
            }
        }
    }

    /// A Symbolic error as the CLI reports it: one with a source range (a shape error at an
    /// operator) rendered like a parse error, the others as a line.
    static func translate(_ error: SymbolicError, _ input: ExpressionInput) -> CLIError {
        if case .diagnostic(let diagnostic) = error {
            return .renderedDiagnostics(diagnostic.render(source: input.text, fileName: input.displayName))
        }
        return .input(error.description)
    }

    /// Refuses to make a constant, a function or a name the program assigns into an input, with
    /// what the name is instead.
    private static func checkCanBeInput(_ name: String, of program: Program, refusal: String) throws {
        let what: String
        if let constant = NamedConstant(rawValue: name) {
            switch constant {
            case .e: what = "Euler's number (\(NumberText.format(constant.value))), a constant"
            case .pi: what = "the constant π (\(NumberText.format(constant.value)))"
            }
        } else if Function.named(name) != nil {
            what = "a function"
        } else if program.assignedNames.contains(name) {
            what = "computed by the program"
        } else {
            return
        }
        let inputs = program.inputs
        let listed = inputs.isEmpty ? "it has no inputs" : "its inputs: \(inputs.joined(separator: ", "))"
        throw CLIError.input("'\(name)' is \(what), not an input: \(refusal) (\(listed))")
    }

    /// One note per name the user gave that the program does not read.
    private static func noteUnread(_ unread: [String], _ gradient: Gradient, _ io: IO) {
        let f = functionName(gradient)
        for name in unread {
            io.printError("note: '\(name)' does not appear in the expression, so d\(f)/d\(name) = 0")
        }
    }

    /// The variables a command reports on: `--vars`/`--wrt` when given, else every input.
    /// Label inputs (`y: int`) are never differentiated: left out by default, refused by name.
    static func reported(_ arguments: ParsedArguments, _ gradient: Gradient) throws -> [Int] {
        guard let requested = try arguments.list(CommonOptions.vars.long) else {
            return gradient.staged.inputs.indices.filter { !gradient.isLabel($0) }
        }
        let indices = requested.compactMap { gradient.staged.inputs.firstIndex(of: $0) }
        if let label = indices.first(where: gradient.isLabel) {
            throw CLIError.input("'\(gradient.staged.inputs[label])' holds class labels (declared int), which are not differentiated")
        }
        return indices
    }

    /// The point `given` gives, in input order. Scalar `--at` values may be constant expressions
    /// (`pi/2`); an array must have shape `()`. A missing value whose name is close to an unread
    /// name is reported as the typo it is.
    private static func point(_ given: TensorPoint, for gradient: Gradient, unread: [String]) throws -> [Double] {
        var values: [String: Double] = [:]
        for entry in given.entries {
            switch entry.value {
            case .expression(let text):
                values[entry.name] = try constant(text, name: entry.name)
            case .array(let tensor):
                guard let value = tensor.scalarValue else {
                    throw arrayForScalar(entry.name, shape: tensor.shape, read: !unread.contains(entry.name))
                }
                values[entry.name] = value
            }
        }
        return try gradient.staged.inputs.map { name in
            guard let value = values[name] else { throw missingValue(name, given, unread: unread) }
            return value
        }
    }

    /// "no value for 'x'", with where to add it and the likely typo among unread names.
    private static func missingValue(_ name: String, _ given: TensorPoint, unread: [String]) -> CLIError {
        let givenUnread = given.names.filter { unread.contains($0) }
        let typo = Suggestion.nearest(to: name, among: givenUnread)
            .map { "; '\($0)' does not appear in the expression: did you mean '\(name)'?" } ?? ""
        let fileHint = given.inputsPath.map { " or a member \(jsonString(name)) to --inputs '\($0)'" } ?? ""
        return CLIError.input("no value for '\(name)' (add \(name)=... to --at\(fileHint))\(typo)")
    }

    /// An array given for an input that a program without shape declarations uses as a scalar.
    private static func arrayForScalar(_ name: String, shape: TensorShape, read: Bool) -> CLIError {
        let use = read ? "the program uses it as a scalar" : "'\(name)' does not appear in the expression"
        return CLIError.input("input '\(name)' is given an array of shape \(shape), but \(use); "
                              + "declare its shape, e.g. '\(name): \(shape)'" + (read ? "" : ", or give it a number"))
    }

    /// Evaluates one `--at` value: a single constant expression such as `pi/2` or `-1e-3`.
    static func constant(_ text: String, name: String) throws -> Double {
        let result = Parser.parse(text)
        if result.hasErrors {
            let rendered = result.diagnostics.filter { $0.severity == .error }.map { $0.render(source: text, fileName: "--at \(name)") }
            throw CLIError.renderedDiagnostics(rendered.joined(separator: "\n"))
        }
        // `x=1;y=2` and `x=q=3` parse as programs; as values they would silently mean 2 and 3.
        let statements = result.program.statements
        if statements.count > 1 {
            let pieces = text.split(omittingEmptySubsequences: true) { $0 == ";" || $0.isNewline }.map { $0.trimmingWhitespace() }
            let looksLikeAssignments = pieces.dropFirst().allSatisfy { piece in
                piece.firstIndex(of: "=").map { isIdentifier(piece[..<$0].trimmingWhitespace()) } ?? false
            }
            let hint = looksLikeAssignments ? "; separate assignments with commas: --at '\(name)=\(pieces.joined(separator: ","))'" : ""
            throw CLIError.input("the value of '\(name)' must be one expression, but '\(text)' has \(statements.count) statements\(hint)")
        }
        if let assigned = statements.first?.name {
            throw CLIError.input("the value of '\(name)' must be one expression, but '\(text)' assigns '\(assigned)'")
        }
        let inputs = result.program.inputs
        guard inputs.isEmpty else {
            throw CLIError.input("the value of '\(name)' must be a constant expression, but it reads '\(inputs[0])'")
        }
        do {
            return try Gradient(program: result.program).evaluate(at: []).value
        } catch {
            throw CLIError.input("cannot evaluate the value of '\(name)': \(error)")
        }
    }

    /// Fails when the value at a given point is nan, naming the first equation that produced it.
    static func refuseNaN(_ result: PointEvaluation, _ forward: [StagedLine]) throws {
        guard result.value.isNaN else { return }
        let culprit = result.forward.firstIndex { $0.isNaN }.map { "'\(forward[$0].name) = \(forward[$0].expression)'" }
        throw CLIError.input("the value is nan at this point" + (culprit.map { ": equation \($0) is the first to produce it (a domain error?)" } ?? ""))
    }

    /// The output's name as worksheets write it in `df/dx`: the program's output name, or `f`.
    static func functionName(_ gradient: Gradient) -> String {
        let name = gradient.staged.outputName
        return name == "out" || name.hasPrefix("out_") ? "f" : name
    }
}

/// Numbers as symdiff prints them: shortest round-trip text, integers without `.0`, and the
/// non-finite values as `nan`, `inf`, `-inf`.
enum NumberText {
    static func format(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        if value == value.rounded(), Swift.abs(value) < 1e15 { return value == 0 ? "0" : String(Int64(value)) }
        return "\(value)"
    }

    /// `1446030` as `1,446,030`, for counts a reader compares.
    static func grouped(_ value: Int) -> String {
        let digits = Array(String(value))
        var text = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { text += "," }
            text.append(digit)
        }
        return text
    }

    /// A JSON value: a number, or a string for the values JSON cannot hold.
    static func json(_ value: Double) -> String {
        value.isFinite ? format(value) : "\"\(format(value))\""
    }
}

/// JSON string literal escaping (RFC 8259).
func jsonString(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case "\n": result += "\\n"
        case "\r": result += "\\r"
        case "\t": result += "\\t"
        default:
            if scalar.value < 0x20 {
                result += CFormat.string("\\u%04x", scalar.value)
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
    }
    return result + "\""
}

/// Left-aligned columns padded to their widest cell, for the worksheet tables of `--trace`.
func alignedTable(_ rows: [[String]], indent: String = "  ") -> [String] {
    guard let width = rows.map(\.count).max() else { return [] }
    var widths = [Int](repeating: 0, count: width)
    for row in rows { for (i, cell) in row.enumerated() { widths[i] = Swift.max(widths[i], cell.count) } }
    return rows.map { row in
        var line = indent
        for (i, cell) in row.enumerated() {
            line += cell
            if i < row.count - 1 { line += String(repeating: " ", count: widths[i] - cell.count + 2) }
        }
        return line
    }
}
