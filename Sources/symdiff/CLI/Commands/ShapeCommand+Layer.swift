import Symbolic

/// `symdiff shape --conv SIZE ...` and `--pool SIZE ...`: the worksheets' layer questions
/// (output size with its arithmetic, parameters with and without biases) without a program.
extension ShapeCommand {
    static let layerOptions = ["--conv", "--pool", "--avgpool"]

    static func runLayer(_ arguments: ParsedArguments, _ input: ExpressionInput, _ io: IO) throws {
        guard input.text.trimmingWhitespace().isEmpty else {
            throw CLIError.usage("give either an expression or --conv/--pool SIZE, not both")
        }
        let (option, sizeText): (String, String) = try {
            for option in layerOptions { if let text = arguments.value(option) { return (option, text) } }
            throw CLIError.usage("missing option '--conv SIZE' or '--pool SIZE'")
        }()
        let parts = sizeText.lowercased().split(separator: "x", omittingEmptySubsequences: false).map { Int($0.trimmingWhitespace()) }
        guard parts.count >= 2, parts.count <= 4, parts.allSatisfy({ ($0 ?? 0) >= 1 }) else {
            throw CLIError.usage("invalid value '\(sizeText)' for '\(option)': expected HxWxC as the worksheets write it (32x32x3), HxW, or NxCxHxW (64x1x28x28)")
        }
        let sizes = parts.compactMap { $0 }
        func positive(_ long: String, default value: Int?, minimum: Int = 1) throws -> Int {
            guard let n = try arguments.integer(long) ?? value else {
                throw CLIError.usage("'\(option)' needs '\(long)', e.g. \(long) \(long == "--filters" ? 10 : 5)")
            }
            guard n >= minimum, n <= 1_000_000 else {
                throw CLIError.usage("invalid value '\(n)' for '\(long)': expected \(minimum == 0 ? "0 or more" : "a positive number")")
            }
            return n
        }
        let filter = try positive("--filter", default: nil)
        let kind: LayerSize.Kind
        switch option {
        case "--conv": kind = .convolution(filters: try positive("--filters", default: nil))
        case "--pool": kind = .maxPool
        default: kind = .averagePool
        }
        if case .convolution = kind {} else if arguments.value("--filters") != nil {
            throw CLIError.usage("'--filters' is for --conv: pooling keeps the channels")
        }
        // Pooling strides by its window unless told, as maxpool2d(x, k) does.
        let stride = try positive("--stride", default: { if case .convolution = kind { return 1 } else { return filter } }())
        let pad = try positive("--pad", default: 0, minimum: 0)
        let layer = LayerSize(sizes: sizes, layout: sizes.count == 4 ? .nchw : .hwc, kind: kind, filter: filter, stride: stride, pad: pad)
        let answer: LayerSize.Answer
        do { answer = try layer.answer() } catch {
            throw CLIError.input("\(error.description)\nnote: \(error.explanation)")
        }
        if try arguments.choice("--format", among: ["text", "json"]) == "json" {
            io.print("{\"output\": [\(answer.output.map(String.init).joined(separator: ", "))], \"parameters\": \(answer.weights + answer.biases), "
                     + "\"weights\": \(answer.weights), \"biases\": \(answer.biases)}")
            return
        }
        for line in answer.lines { io.print(line) }
        if let arithmetic = answer.parameterArithmetic {
            let weights = NumberText.grouped(answer.weights)
            io.print("parameters: \(arithmetic) = \(NumberText.grouped(answer.weights + answer.biases)) "
                     + "(\(weights) weights and \(NumberText.grouped(answer.biases)) bias\(answer.biases == 1 ? "" : "es"); \(weights) without biases)")
        } else {
            io.print("parameters: 0 (pooling has no weights)")
        }
    }
}
