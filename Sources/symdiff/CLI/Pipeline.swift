import Codegen
import ExprParse
import Foundation
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
    /// program never reads become inputs with derivative 0.
    static func gradient(_ arguments: ParsedArguments, _ input: ExpressionInput, _ io: IO, expand: Bool = false) throws -> Gradient {
        let program = try parse(input, io)
        let requested = try arguments.list(CommonOptions.vars.long)
        var variables: [String]?
        if let requested {
            let inputs = program.inputs
            variables = requested + inputs.filter { !requested.contains($0) }
        }
        do {
            return try Gradient(program: program, expand: expand, variables: variables)
        } catch let error as SymbolicError {
            throw CLIError.input(error.description)
        }
    }

    /// The variables a command reports on: `--vars`/`--wrt` when given, else every input.
    static func reported(_ arguments: ParsedArguments, _ gradient: Gradient) throws -> [Int] {
        guard let requested = try arguments.list(CommonOptions.vars.long) else { return Array(gradient.staged.inputs.indices) }
        return requested.compactMap { gradient.staged.inputs.firstIndex(of: $0) }
    }

    /// The point given by `--at`, in input order. Values may be constant expressions (`pi/2`).
    static func point(_ text: String, for gradient: Gradient) throws -> [Double] {
        let assignments = try parseAssignments(text)
        let inputs = gradient.staged.inputs
        var values: [String: Double] = [:]
        for (name, valueText) in assignments {
            guard inputs.contains(name) else {
                let hint = Suggestion.hint(for: name, among: inputs)
                throw CLIError.input("'\(name)' is not an input of the expression (its inputs: \(inputs.joined(separator: ", ")))\(hint)")
            }
            values[name] = try constant(valueText, name: name)
        }
        return try inputs.map { name in
            guard let value = values[name] else { throw CLIError.input("no value for '\(name)' (add \(name)=... to --at)") }
            return value
        }
    }

    /// Evaluates a constant expression such as `pi/2` or `-1e-3`.
    static func constant(_ text: String, name: String) throws -> Double {
        let result = Parser.parse(text)
        if result.hasErrors {
            let rendered = result.diagnostics.filter { $0.severity == .error }.map { $0.render(source: text, fileName: "--at \(name)") }
            throw CLIError.renderedDiagnostics(rendered.joined(separator: "\n"))
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
                result += String(format: "\\u%04x", scalar.value)
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
