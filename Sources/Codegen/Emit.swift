import ExprParse
import Symbolic

/// Source code computing the value and gradient of `gradient`'s program, in `options.language`.
///
/// Parameters come in `gradient.staged.inputs` order (which `--vars` sets). Variables whose
/// names the language reserves are renamed (`lambda` becomes `lambda_`); the result and the
/// generated documentation list every rename.
///
/// ```swift
/// let g = try Gradient(source: "(x + y)z")
/// let code = try emit(g, source: "(x + y)z", options: EmitOptions(language: .numpy))
/// print(code.text)   // def f(x, y, z): ... return out, dx, dy, dz
/// ```
/// - Parameter source: the program's text, shown (re-printed, comments dropped) in the
///   generated documentation.
/// - Throws: `CodegenError.invalidFunctionName` when `options.functionName` cannot name a
///   function in the language.
public func emit(_ gradient: Gradient, source: String, options: EmitOptions) throws -> EmittedCode {
    try emitStream(gradient, source: source, options: options).code
}

/// `emit`'s code, made as it is written: the options are checked and the names planned here,
/// and a staged body is made line by line as `CodeStream.write` hands the text over, so that
/// it is never held whole (183 MB of NumPy at mlp 524288, 1.0 * 10^6 ops). `symdiff emit`
/// writes its code this way.
/// - Throws: what `emit` throws, before anything is written.
public func emitStream(_ gradient: Gradient, source: String, options: EmitOptions) throws -> CodeStream {
    switch options.language {
    case .numpy:
        // A tensor program has its own writer: vectorised lines (NumPyTensorEmitter.swift).
        if gradient.isTensorProgram { return CodeStream(try emitNumPyTensor(gradient, source: source, functionName: options.functionName)) }
        return CodeStream(numpy: try PlannedFunction(gradient, source: source, options: options, emitter: NumPyEmitter()))
    case .swift:
        // A tensor program has its own writer: loops over flat buffers (SwiftTensorEmitter.swift).
        if gradient.isTensorProgram { return CodeStream(try emitSwiftTensor(gradient, source: source, options: options)) }
        return CodeStream(swift: try PlannedFunction(gradient, source: source, options: options, emitter: SwiftEmitter()))
    }
}

/// `emit` with an explicit emitter (the options' `language` is ignored): the entry point for
/// languages defined outside this module.
public func emit<E: Emitter>(_ gradient: Gradient, source: String, options: EmitOptions, with emitter: E) throws -> EmittedCode {
    let function = try PlannedFunction(gradient, source: source, options: options, emitter: emitter)
    return EmittedCode(function.whole(), by: emitter, renamed: function.renamed)
}

/// `f(x, y, z) = (x + y)*z`, or for a program with statements
/// `f(t) = z, where x = ln(t); y = t^3/3; z = 2*x + y`: the program re-printed by ExprParse, so
/// comments (which could hold anything) are dropped and the text is plain ASCII.
///
/// A summary is for reading: a generated program of 10^5 statements is summarised by its size
/// (and not re-parsed, which would cost as much as the whole emit).
func summary(_ source: String, functionName: String, inputs: [String], equations: Int) -> String {
    let shownInputs = inputs.count <= 12 ? inputs.joined(separator: ", ") : inputs.prefix(6).joined(separator: ", ") + ", ..."
    let call = "\(functionName)(\(shownInputs))"
    guard source.utf8.count <= summaryLimit else {
        return "\(call), computed by \(equations) staged equation\(equations == 1 ? "" : "s")"
    }
    let parsed = Parser.parse(source)
    guard !parsed.hasErrors, let output = parsed.program.output else {
        return "\(call), computed by \(equations) staged equation\(equations == 1 ? "" : "s")"
    }
    let program = parsed.program
    if program.statements.count == 1 { return "\(call) = \(program.printed(output.value))" }
    let printed = program.statements.map { statement in
        (statement.name.map { "\($0) = " } ?? "") + program.printed(statement.value)
    }
    let result = output.name ?? program.printed(output.value)
    return "\(call) = \(result), where \(printed.joined(separator: "; "))"
}

/// The stability rewrites applied before differentiating, named by rule, for the summary:
/// ` (stable forms: softplus: ln(1 + e^x) as softplus(x))`.
func rewritesNote(_ rewrites: [Rewrite]) -> String {
    guard !rewrites.isEmpty else { return "" }
    let shown = rewrites.prefix(4).map { "\($0.rule.rawValue): \($0.before) as \($0.after)" }
    let more = rewrites.count > 4 ? "; and \(rewrites.count - 4) more" : ""
    return " (stable forms: " + shown.joined(separator: "; ") + more + ")"
}

/// Longest source, in bytes, that a summary shows in full.
let summaryLimit = 400
