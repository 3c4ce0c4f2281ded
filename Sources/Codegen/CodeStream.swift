import Symbolic

/// Generated code that is made as it is written (`emitStream`): `write(_:)` hands the text
/// over in chunks while the staged body is made line by line, so neither the body nor the text
/// is ever whole. At mlp 524288 (10^6 ops) the body was 215 MB of `symdiff emit`'s peak.
///
/// Not `Sendable`, unlike `EmittedCode`: it reads the gradient's graph each time it is written.
public struct CodeStream {
    private enum Content {
        /// Code whose parts are made already: tensor programs, closed forms.
        case code(EmittedCode)
        case numpy(PlannedFunction<NumPyEmitter>)
        case swift(PlannedFunction<SwiftEmitter>)
    }

    private let content: Content

    /// `code`, whose parts are made already, written as `EmittedCode.write` writes it.
    public init(_ code: EmittedCode) { content = .code(code) }
    init(numpy function: PlannedFunction<NumPyEmitter>) { content = .numpy(function) }
    init(swift function: PlannedFunction<SwiftEmitter>) { content = .swift(function) }

    /// Every variable renamed to stay clear of the target language's reserved names (as
    /// `EmittedCode.renamed`).
    public var renamed: [Renaming] {
        switch content {
        case .code(let code): return code.renamed
        case .numpy(let function): return function.renamed
        case .swift(let function): return function.renamed
        }
    }

    /// Hands the code's text to `sink` in order, in chunks that are each valid UTF-8: the same
    /// text as `code.text`, made as it goes.
    public func write(_ sink: (UnsafeBufferPointer<UInt8>) -> Void) {
        switch content {
        case .code(let code):
            code.write(sink)
        case .numpy(let function):
            CodeWriter.stream({ out in NumPyEmitter().write(function.header, to: &out) { function.body(into: &$0) } }, to: sink)
        case .swift(let function):
            let variables = function.accumulatedNames()
            CodeWriter.stream({ out in
                SwiftEmitter().write(function.header, variables: variables, to: &out) { function.body(into: &$0) }
            }, to: sink)
        }
    }

    /// The code with its body made whole, as `emit` returns it.
    public var code: EmittedCode {
        switch content {
        case .code(let code): return code
        case .numpy(let function): return EmittedCode(function.whole(), by: NumPyEmitter(), renamed: function.renamed)
        case .swift(let function):
            return EmittedCode(swift: function.whole(), variables: function.accumulatedNames(), renamed: function.renamed)
        }
    }
}

/// A scalar function with its names planned and its header's parts made, whose staged body is
/// made each time it is written (`body(into:)`) by the one producer, `stagedBody(into:)`.
struct PlannedFunction<E: Emitter> {
    private let builder: FunctionBuilder<E>
    private let closedForm: Bool
    /// The function's parts; its body is empty for a staged body, which is made when written.
    let header: GeneratedFunction

    /// - Throws: `CodegenError.invalidFunctionName` when `options.functionName` cannot name a
    ///   function in the language, `CodegenError.tensorProgram` for a program with arrays.
    init(_ gradient: Gradient, source: String, options: EmitOptions, emitter: E) throws {
        guard emitter.isValidFunctionName(options.functionName) else {
            throw CodegenError.invalidFunctionName(options.functionName, emitter.language)
        }
        guard !gradient.isTensorProgram else { throw CodegenError.tensorProgram }
        var builder = FunctionBuilder(emitter: emitter, gradient: gradient, functionName: options.functionName)
        // A closed form is made now: it is small (simplified formulas), and Hessians share it.
        let body = options.closedForm ? builder.closedFormBody() : FunctionBody()
        header = GeneratedFunction(
            name: options.functionName, parameters: builder.parameters, valueName: builder.plan.outputName,
            partialNames: builder.partialNames,
            summary: summary(source, functionName: options.functionName, inputs: gradient.staged.inputs,
                             equations: gradient.staged.equations.count) + rewritesNote(gradient.rewrites),
            renamed: builder.plan.renamed, body: body)
        self.builder = builder
        closedForm = options.closedForm
    }

    /// Variables renamed away from reserved names.
    var renamed: [Renaming] { builder.plan.renamed }

    /// Hands the body's lines to `lines` as they are made.
    func body(into lines: inout some BodyLineSink) {
        guard !closedForm else { return header.body.write(into: &lines) }
        var builder = builder
        builder.stagedBody(into: &lines)
    }

    /// The function with its body made whole.
    func whole() -> GeneratedFunction {
        guard !closedForm else { return header }
        var builder = builder, function = header
        function.body = builder.stagedBody()
        return function
    }

    /// The names the body accumulates into (`+=`, `-=`), before it is made.
    func accumulatedNames() -> Set<String> {
        closedForm ? header.body.accumulatedNames : builder.accumulatedNames()
    }
}
