extension ExpressionInput {
    /// The largest expression file or stdin input accepted: 16 MiB.
    ///
    /// Far beyond any hand-written expression, yet it stops an accidental `-f /dev/zero` or a
    /// multi-gigabyte log from being read into memory and parsed.
    static let maxInputBytes = 16 * 1024 * 1024

    /// Reads the expression text from where `source` says, enforcing the size limit and UTF-8.
    static func read(_ source: ExpressionSource, io: IO) throws -> ExpressionInput {
        let bytes: [UInt8]
        let name: String
        switch source {
        case .argument(let text):
            return ExpressionInput(text: text, source: source)
        case .file(let path):
            // One byte past the limit is enough to know the input is too large.
            bytes = try io.readFile(path, maxInputBytes + 1)
            name = "'\(path)'"
        case .standardInput:
            bytes = try io.readStandardInput(maxInputBytes + 1)
            name = "standard input"
        }
        guard bytes.count <= maxInputBytes else {
            throw CLIError.input("\(name) is larger than the 16 MiB input limit")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw CLIError.input("\(name) is not valid UTF-8 text")
        }
        return ExpressionInput(text: text, source: source)
    }
}
