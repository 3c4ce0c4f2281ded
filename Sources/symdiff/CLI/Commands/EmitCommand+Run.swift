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
        let code: EmittedCode
        do {
            code = try emit(gradient, source: input.text, options: options)
        } catch CodegenError.tensorProgram {
            // Codegen decides per language which programs with arrays it can write.
            throw CLIError.input("code generation for programs with arrays (declared shapes, @, sum, softmax, ...) is not available yet "
                                 + "for --lang \(language.rawValue); stage, grad, eval, check, shape and graph work on them")
        } catch let error as CodegenError {
            throw CLIError.usage(error.description)
        }
        if let path = arguments.value("--output") {
            let text = code.text.hasSuffix("\n") ? code.text : code.text + "\n"
            // Its error already reads "cannot write 'PATH': reason".
            try io.writeFile(path, text)
        } else {
            // In chunks, as it is written: the text of a 10^6-op gradient is 100 MB, and
            // holding it whole was the largest single part of the command's peak memory.
            var last: UInt8?
            code.write { chunk in
                io.writeOutput(String(decoding: chunk, as: UTF8.self))
                last = chunk.last ?? last
            }
            if last != UInt8(ascii: "\n") { io.writeOutput("\n") }
        }
    }
}
