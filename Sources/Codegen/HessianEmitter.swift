import ExprParse
import Symbolic

/// Source code computing the value, gradient and Hessian of a program without arrays, in one
/// function: `def f(x, y): ... return out, dx, dy, hessian` (NumPy, float inputs; hessian an
/// (n, n) float64 array) or `func f(_ x: Double, _ y: Double) -> (value: Double, dx: Double,
/// dy: Double, hessian: [[Double]])` (Swift). The body is closed-form: shared subexpressions
/// once, then the value, the partials and the entries of the upper triangle, mirrored (see
/// `FunctionBuilder.hessianBody`).
/// Rows and columns are the parameters in order, so `hessian` must differentiate every input
/// in input order.
/// - Throws: `CodegenError.tensorProgram` for a program with arrays;
///   `CodegenError.invalidFunctionName` as `emit` does.
public func emitHessian(_ hessian: Hessian, source: String, options: EmitOptions) throws -> EmittedCode {
    let gradient = hessian.gradient
    guard !gradient.isTensorProgram, hessian.product == nil else { throw CodegenError.tensorProgram }
    var simplifier = Simplifier(hessian.graph)
    let n = hessian.wrt.count
    // The upper triangle, mirrored: second derivatives commute, and the two orders simplify to
    // different spellings of one value that would both be computed.
    var entries = (0..<n).map { i in (0..<n).map { j in j >= i ? simplifier.simplify(hessian.entry(i, j)) : hessian.graph.integer(0) } }
    for i in 0..<n { for j in 0..<i { entries[i][j] = entries[j][i] } }
    switch options.language {
    case .numpy: return try emitHessian(gradient, entries, source: source, options: options, with: NumPyEmitter())
    case .swift: return try emitHessian(gradient, entries, source: source, options: options, with: SwiftEmitter())
    }
}

private func emitHessian<E: Emitter>(_ gradient: Gradient, _ entries: [[NodeID]], source: String, options: EmitOptions,
                                     with emitter: E) throws -> EmittedCode {
    guard emitter.isValidFunctionName(options.functionName) else {
        throw CodegenError.invalidFunctionName(options.functionName, emitter.language)
    }
    var builder = FunctionBuilder(emitter: emitter, gradient: gradient, functionName: options.functionName)
    let numpy = options.language == .numpy
    let (body, matrixName) = builder.hessianBody(entries) { rows in
        let text = "[" + rows.map { "[" + $0.joined(separator: ", ") + "]" }.joined(separator: ", ") + "]"
        if numpy { return rows.isEmpty ? "np.zeros((0, 0))" : "np.array(\(text), dtype=np.float64)" }
        return text + " as [[Double]]"
    }
    let function = GeneratedFunction(
        name: options.functionName, parameters: builder.parameters, valueName: builder.plan.outputName,
        partialNames: builder.partialNames,
        summary: summary(source, functionName: options.functionName, inputs: gradient.staged.inputs,
                         equations: gradient.staged.equations.count) + rewritesNote(gradient.rewrites),
        renamed: builder.plan.renamed, body: body)
    let text = numpy ? HessianRendering.numpy(function, matrix: matrixName) : HessianRendering.swift(function, matrix: matrixName)
    return EmittedCode(text: text, renamed: builder.plan.renamed)
}

/// The two languages' function text around a value-gradient-Hessian body.
private enum HessianRendering {
    static func numpy(_ function: GeneratedFunction, matrix: String) -> String {
        CodeWriter.text { out in
            out.write("import numpy as np\n\n\ndef \(function.name)(")
            out.write(function.parameters, separator: ", ")
            out.write("):\n")
            out.write("    \"\"\"Value, gradient and Hessian of \(Docstring.escaped(function.summary)).\n\n")
            let partials = function.parameters.map { "d\(function.name)/d\($0)" }
            out.write("    Returns (\((["value"] + partials + ["hessian"]).joined(separator: ", "))) for float inputs; hessian is\n")
            out.write("    the (\(function.parameters.count), \(function.parameters.count)) float64 array of second partial derivatives, rows and\n")
            out.write("    columns in parameter order.\n")
            if !function.renamed.isEmpty {
                out.write("    Renamed (reserved in Python): \(function.renamed.map(\.description).joined(separator: ", ")).\n")
            }
            out.write("    \"\"\"\n")
            for parameter in function.parameters {
                out.write("    \(parameter) = np.asarray(\(parameter), dtype=np.float64)\n")
            }
            writeBody(function.body, into: &out, comment: "#", define: { "    \($0) = " })
            out.write("    return \(([function.valueName] + function.partialNames + [matrix]).joined(separator: ", "))\n")
        }
    }

    static func swift(_ function: GeneratedFunction, matrix: String) -> String {
        CodeWriter.text { out in
            out.write("import Foundation\n\n")
            out.write("/// Value, gradient and Hessian of \(Docstring.escaped(function.summary)).\n")
            out.write("///\n")
            let partials = function.parameters.map { "d\(function.name)/d\($0)" }
            out.write("/// Returns (\((["value"] + partials + ["hessian"]).joined(separator: ", "))): hessian[i][j] is the second\n")
            out.write("/// partial derivative with respect to the i-th and j-th parameters.\n")
            if !function.renamed.isEmpty {
                out.write("/// Renamed (reserved in Swift): \(function.renamed.map(\.description).joined(separator: ", ")).\n")
            }
            let parameters = function.parameters.map { "_ \($0): Double" }.joined(separator: ", ")
            let labels = ["value"] + function.partialNames + ["hessian"]
            let types = labels.map { $0 == "hessian" ? "[[Double]]" : "Double" }
            out.write("func \(function.name)(\(parameters)) -> (" + zip(labels, types).map { "\($0): \($1)" }.joined(separator: ", ") + ") {\n")
            writeBody(function.body, into: &out, comment: "//", define: { "    let \($0) = " })
            let values = [function.valueName] + function.partialNames + [matrix]
            out.write("    return (" + zip(labels, values).map { "\($0): \($1)" }.joined(separator: ", ") + ")\n")
            out.write("}\n")
        }
    }

    /// A closed-form body has definitions and comments only.
    private static func writeBody(_ body: FunctionBody, into out: inout CodeWriter, comment: String, define: (String) -> String) {
        body.forEachLine { kind, name, expression in
            switch kind {
            case .comment: out.write("    \(comment) ")
            case .define: out.write(define(String(decoding: name, as: UTF8.self)))
            case .accumulate, .decrement: out.write(define(String(decoding: name, as: UTF8.self)))
            }
            out.write(expression)
            out.write("\n")
        }
    }
}
