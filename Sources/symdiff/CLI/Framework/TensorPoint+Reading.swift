import Symbolic

/// Reading a `TensorPoint` from the options of `eval` and `check` (and `--at` of `graph`).
///
/// Malformed option text is a usage error (exit 2): `--at` items without `=`, `@` without a
/// file name, `--dim` items that are not NAME=SIZE with a positive size. A value or file that
/// cannot be used is an input problem (exit 1): a ragged or malformed array literal, a missing
/// or unreadable file, a `.npy` that is not float64 or is truncated, a value file that is not
/// a JSON object of numbers and nested lists, an input given by two sources. Every such message
/// names the input and, for files, the path.
extension TensorPoint {
    /// The largest `--inputs` file read: JSON spends tens of bytes of memory per number once
    /// decoded, so large arrays belong in `.npy` files.
    static let maxJSONBytes = 64 * 1024 * 1024

    /// The largest `.npy` file read: the header limit plus the largest array symdiff accepts.
    /// Every valid file is within it, so a longer one is refused before it is all in memory.
    static let maxNpyBytes = 12 + NpyReader.maxHeaderLength + 8 * TensorShape.maxElements

    /// The point the arguments give: `--at`, `--inputs`, `--dim` and `--upstream`. An option
    /// the command does not offer counts as not given, so `graph` (which has only `--at`) can
    /// use it too. Scalar `--at` values stay text (see `TensorPoint.Value.expression`).
    static func read(_ arguments: ParsedArguments, _ io: IO) throws -> TensorPoint {
        var point = TensorPoint()
        if let text = offered("--at", in: arguments) {
            point.givesValues = true
            for (name, valueText) in try atAssignments(text) {
                point.entries.append(Entry(name: name, value: try atValue(valueText, for: name, io), origin: .at))
            }
        }
        if let path = offered("--inputs", in: arguments) {
            point.givesValues = true
            point.inputsPath = path
            // A dictionary, not `entry(named:)`: a network's --inputs may hold 10^4 inputs.
            var earlier = Dictionary(point.entries.map { ($0.name, $0.origin) }, uniquingKeysWith: { first, _ in first })
            for entry in try inputsFile(path, io) {
                if let origin = earlier[entry.name] {
                    throw CLIError.input("input '\(entry.name)' is given twice, in \(origin.option) and in "
                                         + "\(entry.origin.option); give it once")
                }
                earlier[entry.name] = entry.origin
                point.entries.append(entry)
            }
        }
        point.dimensions = try dimensions(in: arguments)
        if let text = offered("--upstream", in: arguments) {
            point.upstream = try upstream(text, io)
        }
        return point
    }

    /// The checks that need no file: `--at`'s and `--dim`'s syntax, for `Subcommand.validate`.
    static func validate(_ arguments: ParsedArguments) throws {
        _ = try offered("--at", in: arguments).map(atAssignments)
        _ = try dimensions(in: arguments)
        if let text = offered("--upstream", in: arguments) { _ = try filePath(text.trimmingWhitespace(), in: "--upstream \(text)") }
    }

    // MARK: - Options

    /// The value of `long` when the command has that option and it was given.
    private static func offered(_ long: String, in arguments: ParsedArguments) -> String? {
        arguments.spec.options.contains { $0.long == long } ? arguments.value(long) : nil
    }

    /// `--at`'s assignments, with `NAME=@` (no file name) refused as the typo it is.
    static func atAssignments(_ text: String) throws -> [(name: String, valueText: String)] {
        let assignments = try parseAssignments(text)
        for (name, valueText) in assignments {
            _ = try filePath(valueText, in: "\(name)=\(valueText)")
        }
        return assignments
    }

    /// The path of an `@FILE` value, nil for any other value; `@` alone is a usage error.
    private static func filePath(_ valueText: String, in item: String) throws -> String? {
        guard valueText.hasPrefix("@") else { return nil }
        let path = String(valueText.dropFirst())
        guard !path.isEmpty else { throw CLIError.usage("missing file name after '@' in '\(item)'") }
        return path
    }

    /// One `--at` value: `@FILE` is an `.npy` file, `[...]` an array literal, anything else a
    /// scalar expression left for the evaluator.
    static func atValue(_ text: String, for name: String, _ io: IO, option: String = "--at") throws -> Value {
        let subject = "the value of '\(name)' in \(option)"
        if let path = try filePath(text, in: "\(name)=\(text)") {
            return .array(try npyFile(path, subject: subject, io))
        }
        if text.hasPrefix("[") {
            return .array(try literal(text, subject: subject))
        }
        return .expression(text)
    }

    /// `--dim N=5,B=2`: positive sizes by identifier-shaped name.
    private static func dimensions(in arguments: ParsedArguments) throws -> [String: Int] {
        guard let raw = offered("--dim", in: arguments), let items = try arguments.list("--dim") else { return [:] }
        var sizes: [String: Int] = [:]
        for item in items {
            guard let equals = item.firstIndex(of: "=") else {
                throw CLIError.usage("expected NAME=SIZE in '--dim', got '\(item)'")
            }
            let name = item[..<equals].trimmingWhitespace()
            let size = item[item.index(after: equals)...].trimmingWhitespace()
            guard isIdentifier(name) else { throw CLIError.usage("'\(name)' is not a dimension name (in '--dim \(raw)')") }
            guard let n = Int(size), n > 0 else {
                throw CLIError.usage("invalid size '\(size)' for dimension '\(name)' in '--dim': expected a positive whole number")
            }
            guard sizes[name] == nil else { throw CLIError.usage("dimension '\(name)' is given more than once in '--dim \(raw)'") }
            sizes[name] = n
        }
        return sizes
    }

    /// `--upstream VALUE`: an array literal, a number, or `@FILE.npy`.
    private static func upstream(_ text: String, _ io: IO) throws -> Tensor {
        let trimmed = text.trimmingWhitespace()
        if let path = try filePath(trimmed, in: "--upstream \(text)") {
            return try npyFile(path, subject: "--upstream", io)
        }
        return try literal(trimmed, subject: "--upstream")
    }

    // MARK: - Values

    /// A nested-list literal or a number, checked rectangular.
    private static func literal(_ text: String, subject: String) throws -> Tensor {
        do throws(TensorError) {
            return try Tensor.parse(text)
        } catch {
            let whereText: String
            switch error {
            case .syntax: whereText = " in '\(text)'"
            case .shape, .countMismatch, .wrongRank, .labelOutOfRange, .labelCount, .emptyReduction, .notAnInteger,
                 .notANumber, .raggedRows, .mixedDepth, .tooDeep: whereText = ""
            }
            throw CLIError.input("\(subject) is not a valid array: \(error)\(whereText)")
        }
    }

    /// The array in an `.npy` file; `subject` says which value it is for.
    private static func npyFile(_ path: String, subject: String, _ io: IO) throws -> Tensor {
        let bytes = try readFile(path, maxBytes: maxNpyBytes, subject: subject, io)
        guard bytes.count <= maxNpyBytes else {
            throw CLIError.input("\(subject): '\(path)' is larger than any array symdiff accepts "
                                 + "(\(TensorShape.maxElements) elements)")
        }
        do {
            return try NpyReader.read(bytes)
        } catch {
            throw CLIError.input("\(subject): cannot use '\(path)': \(error)")
        }
    }

    /// `--inputs PATH`: a JSON object whose members are numbers or nested lists of numbers.
    /// Members come sorted by name, so the order of the file's members does not matter.
    private static func inputsFile(_ path: String, _ io: IO) throws -> [Entry] {
        let bytes = try readFile(path, maxBytes: maxJSONBytes, subject: "--inputs", io)
        guard bytes.count <= maxJSONBytes else {
            throw CLIError.input("--inputs: '\(path)' is larger than the 64 MiB limit for JSON value files; "
                                 + "save large arrays with numpy.save and give them as --at NAME=@FILE.npy")
        }
        let origin = Origin.inputs(path: path)
        let object: JSONValue
        do {
            object = try JSONValue(parsing: bytes)
        } catch {
            throw CLIError.input("\(origin.option) is not valid JSON: \(error)")
        }
        guard case .object(let members) = object else {
            throw CLIError.input("\(origin.option) must hold a JSON object of values by input name, such as "
                                 + "{\"x\": [1, 2], \"y\": 2}, but it holds \(object.kind)")
        }
        return try members.sorted { $0.name < $1.name }.map { member in
            let name = member.name
            guard isIdentifier(name) else {
                throw CLIError.input("\(origin.option) gives a value for \(jsonString(name)), which is not an input name")
            }
            let subject = "the value of '\(name)' in \(origin.option)"
            do throws(TensorError) {
                return Entry(name: name, value: .array(try Tensor(nested: NestedList(json: member.value))), origin: origin)
            } catch {
                if case .notANumber(path: []) = error {
                    throw CLIError.input("\(subject) must be a number or a nested list of numbers, but it is \(member.value.kind)")
                }
                throw CLIError.input("\(subject) is not a valid array: \(error)")
            }
        }
    }

    /// A file's bytes (at most `maxBytes + 1`, so the caller can tell it is too long), with
    /// `subject` before the reason it could not be read.
    private static func readFile(_ path: String, maxBytes: Int, subject: String, _ io: IO) throws -> [UInt8] {
        do {
            return try io.readFile(path, maxBytes + 1)
        } catch let error as CLIError {
            throw CLIError.input("\(subject): \(error)")
        }
    }
}
