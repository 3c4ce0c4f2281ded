import ExprParse
import Symbolic

/// Writes a Swift function on `Double` returning `(value: ..., d<x1>: ..., ...)`, which compiles
/// without a single warning: `let` for every value, `var` only for adjoints that accumulate,
/// and no value that is never read.
public struct SwiftEmitter: Emitter {
    /// The Swift emitter.
    public init() {}

    /// `.swift`.
    public var language: Language { .swift }
    /// `SwiftDialect`.
    public var dialect: SwiftDialect { SwiftDialect() }
    /// Swift keywords, library names, the Foundation functions the code calls, and `value`.
    public var reservedVariableNames: Set<String> { ReservedNames.swift }
    /// Swift keywords, library names and the Foundation functions the code calls.
    public var reservedFunctionNames: Set<String> { ReservedNames.swiftFunctionNames }

    /// The spellings that read an argument more than once (see `SwiftDialect.call`).
    public func repeatsArgument(_ function: Function) -> Bool {
        switch function {
        case .softplus, .sign, .step, .max, .min, .xlogy: return true
        case .sigmoid, .ln, .log2, .log10, .exp, .sqrt, .sin, .cos, .tan, .asin, .acos, .atan, .sinh, .cosh, .tanh,
             .relu, .abs, .pow, .stopGradient:
            return false
        }
    }

    /// `0.0`.
    public func zero(forInput input: String, value: String) -> String { "0.0" }

    /// None: a `Double` is returned as it is.
    public func returnedPartial(_ partial: String, value: String) -> String? { nil }

    /// Already a `Double`: the dialect writes every number with a decimal point.
    public func constantValue(_ expression: String) -> String { expression }

    /// Negations of negative operands, which would otherwise print as `--x`, and constant
    /// calls spelled with `?:`, which would not type-check (see `PinnedNames`).
    public func pinnedNames(_ graph: Graph, nodes: [NodeID], names: NodeMap<String>) -> NodeMap<String> {
        let conditionals = PinnedNames.constantConditionals(graph, dialect: dialect, nodes: nodes)
        return PinnedNames.negatedNegatives(graph, dialect: dialect, nodes: nodes, names: names.merging(conditionals) { name, _ in name })
            .merging(conditionals) { negated, _ in negated }
    }

    /// The file text: import, documented function, body, return.
    public func render(_ function: GeneratedFunction) -> String {
        CodeWriter.text { write(function, to: &$0) }
    }
}

extension SwiftEmitter {
    /// Writes the file text `render` returns into `out`.
    func write(_ function: GeneratedFunction, to out: inout CodeWriter) {
        write(function, variables: function.body.accumulatedNames, to: &out)
    }

    /// Writes the file text into `out`, declaring `variables` with `var`.
    func write(_ function: GeneratedFunction, variables: Set<String>, to out: inout CodeWriter) {
        write(function, variables: variables, to: &out) { function.body.write(into: &$0) }
    }

    /// Writes the file text into `out` with the body's lines from `body` (`function.body` is not
    /// read), each formatted into `out` as it comes; `variables` are the names the body
    /// accumulates into, declared `var` where they are defined.
    func write(_ function: GeneratedFunction, variables: Set<String>, to out: inout CodeWriter,
               body: (inout SwiftBodyLines) -> Void) {
        out.write("import Foundation\n\n")
        out.write("/// Value and gradient of \(Docstring.escaped(function.summary)).\n")
        out.write("///\n")
        let returned = ["value"] + function.parameters.map { "d\(function.name)/d\($0)" }
        out.write("/// Returns (\(returned.joined(separator: ", "))).\n")
        if !function.renamed.isEmpty {
            out.write("/// Renamed (reserved in Swift): \(function.renamed.map(\.description).joined(separator: ", ")).\n")
        }
        let parameters = function.parameters.map { "_ \($0): Double" }.joined(separator: ", ")
        // A one-element tuple cannot have a label, so a function of no inputs returns the value.
        let labels = ["value"] + function.partialNames
        let resultType = function.parameters.isEmpty ? "Double" : "(" + labels.map { "\($0): Double" }.joined(separator: ", ") + ")"
        out.write("func \(function.name)(\(parameters)) -> \(resultType) {\n")
        var lines = SwiftBodyLines(out: out, variables: variables)
        body(&lines)
        out = lines.out
        let values = [function.valueName] + function.partialNames
        if function.parameters.isEmpty {
            out.write("    return \(function.valueName)\n")
        } else {
            out.write("    return (" + zip(labels, values).map { "\($0): \($1)" }.joined(separator: ", ") + ")\n")
        }
        out.write("}\n")
    }
}

/// A Swift function body's lines, each formatted into the file as it comes.
struct SwiftBodyLines: BodyLineSink {
    var out: CodeWriter
    /// The names accumulated into later: `var` where they are defined, every other name `let`.
    let variables: Set<String>

    mutating func append(_ kind: FunctionBody.Kind, name: UnsafeBufferPointer<UInt8>, expression: UnsafeBufferPointer<UInt8>) {
        switch kind {
        case .comment:
            out.write("    // ")
        case .define:
            let variable = !variables.isEmpty && variables.contains(String(decoding: name, as: UTF8.self))
            out.write(variable ? "    var " : "    let ")
            out.write(name)
            out.write(" = ")
        case .accumulate, .decrement:
            out.write("    ")
            out.write(name)
            out.write(kind == .accumulate ? " += " : " -= ")
        }
        out.write(expression)
        out.write("\n")
    }

    mutating func appendComment(_ prefix: String, quoting name: String, _ expression: UnsafeBufferPointer<UInt8>) {
        out.writeQuotedComment("// ", prefix, name, expression)
    }
}
