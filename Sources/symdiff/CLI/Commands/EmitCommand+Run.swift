import Codegen
import Symbolic

extension EmitCommand {
    static func run(_ arguments: ParsedArguments, _ input: ExpressionInput, _ io: IO) throws {
        let gradient = try Pipeline.gradient(arguments, input, io)
        guard let language = Language(rawValue: try arguments.choice("--lang", among: Language.allCases.map(\.rawValue)) ?? "") else {
            throw CLIError.usage("option '--lang' is required: numpy or swift")
        }
        let options = EmitOptions(language: language, functionName: arguments.value("--name") ?? "f",
                                  closedForm: arguments.flag("--closed-form"))
        if options.closedForm && gradient.isTensorProgram {
            // The tensor emitters write the staged program, whose lines are the worksheet's
            // steps; the simplified formulas are `grad`'s. Say so rather than ignore the flag.
            io.printError("note: --closed-form applies to scalar programs; a program with arrays is emitted as its staged "
                          + "forward and backward passes (its closed forms: symdiff grad)")
        }
        let code: CodeStream
        do {
            if arguments.flag("--hessian") {
                guard !gradient.isTensorProgram else {
                    throw CLIError.input("emit --hessian writes programs without arrays only; for arrays, 'symdiff hessian' "
                                         + "gives the Hessian's blocks and values, and --direction its products")
                }
                let hessian = try Hessian(gradient, wrt: Array(gradient.staged.inputs.indices))
                code = CodeStream(try emitHessian(hessian, source: input.text, options: options))
            } else {
                // Made as it is written: the staged body of a 10^6-op gradient is never whole.
                code = try emitStream(gradient, source: input.text, options: options)
            }
        } catch CodegenError.tensorProgram {
            // Codegen decides per language which programs with arrays it can write.
            throw CLIError.input("code generation for programs with arrays (declared shapes, @, sum, softmax, ...) is not available yet "
                                 + "for --lang \(language.rawValue); stage, grad, eval, check, shape and graph work on them")
        } catch let error as CodegenError {
            throw CLIError.usage(error.description)
        }
        // In chunks, as it is written, to the file or standard output: the text of a 10^6-op
        // gradient is 100 MB, and holding it whole was the largest single part of the command's
        // peak memory. A text not ending in a newline gets one.
        if let path = arguments.value("--output") {
            // Its error already reads "cannot write 'PATH': reason".
            try io.writeFile(path) { sink in write(code, to: sink) }
        } else {
            write(code) { chunk in io.writeOutput(String(decoding: chunk, as: UTF8.self)) }
        }
    }

    /// Hands `code`'s text to `sink` in chunks, with a final newline if it lacks one.
    private static func write(_ code: CodeStream, to sink: (UnsafeBufferPointer<UInt8>) -> Void) {
        var last: UInt8?
        code.write { chunk in
            sink(chunk)
            last = chunk.last ?? last
        }
        guard last != UInt8(ascii: "\n") else { return }
        var newline: UInt8 = UInt8(ascii: "\n")
        withUnsafePointer(to: &newline) { sink(UnsafeBufferPointer(start: $0, count: 1)) }
    }
}
