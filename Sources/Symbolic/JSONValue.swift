/// A JSON value (RFC 8259), as `--inputs values.json` gives arrays by input name.
///
/// symdiff reads JSON itself rather than through Foundation's `JSONSerialization`: that one
/// type was what linked Foundation and ICU into the process (9 MB of its 18 MB at start).
/// Objects keep their members in file order; a repeated name keeps its last value, as
/// `JSONSerialization` and Python's `json` do.
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([Member])

    /// One `"name": value` of an object.
    public struct Member: Equatable, Sendable {
        public var name: String
        public var value: JSONValue
        public init(name: String, value: JSONValue) {
            self.name = name
            self.value = value
        }
    }

    /// What the value is, for messages: `a number`, `an array`, `true`, ...
    public var kind: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// Nesting deeper than this is refused rather than recursed into (the reader is recursive,
    /// and a file of 10^6 `[` must not overflow the stack).
    public static let maxDepth = 512

    /// The value `bytes` hold: one JSON value with optional whitespace around it.
    public init(parsing bytes: [UInt8]) throws(JSONError) {
        var reader = JSONReader(bytes: bytes)
        reader.skipWhitespace()
        self = try reader.value(depth: 0)
        reader.skipWhitespace()
        if reader.offset < bytes.count { throw reader.error("unexpected text after the JSON value") }
    }
}

/// Why a text is not JSON, and where: the 1-based line and column of the offending character.
public struct JSONError: Error, Equatable, Sendable, CustomStringConvertible {
    public let reason: String
    public let line: Int
    public let column: Int
    public var description: String { "line \(line), column \(column): \(reason)" }
}

/// A recursive-descent reader over UTF-8 bytes.
private struct JSONReader {
    let bytes: [UInt8]
    var offset = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    func error(_ reason: String) -> JSONError {
        var line = 1, lineStart = 0
        for (index, byte) in bytes[..<Swift.min(offset, bytes.count)].enumerated() where byte == UInt8(ascii: "\n") {
            line += 1
            lineStart = index + 1
        }
        // Columns count characters, not bytes: skip UTF-8 continuation bytes.
        let column = bytes[lineStart ..< Swift.min(offset, bytes.count)].filter { $0 & 0xC0 != 0x80 }.count + 1
        return JSONError(reason: reason, line: line, column: column)
    }

    /// The character at `offset` for a message: `'}'`, or `the end of the file`.
    var found: String {
        guard offset < bytes.count else { return "the end of the file" }
        let byte = bytes[offset]
        return byte >= 0x20 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x" + String(byte, radix: 16)
    }

    mutating func skipWhitespace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): offset += 1
            default: return
            }
        }
    }

    mutating func value(depth: Int) throws(JSONError) -> JSONValue {
        guard offset < bytes.count else { throw error("expected a value, found the end of the file") }
        switch bytes[offset] {
        case UInt8(ascii: "["):
            guard depth < JSONValue.maxDepth else { throw error("arrays and objects nest more than \(JSONValue.maxDepth) deep") }
            offset += 1
            var items: [JSONValue] = []
            skipWhitespace()
            if offset < bytes.count && bytes[offset] == UInt8(ascii: "]") {
                offset += 1
                return .array(items)
            }
            while true {
                skipWhitespace()
                items.append(try value(depth: depth + 1))
                skipWhitespace()
                if try separator(closing: UInt8(ascii: "]"), in: "an array") { return .array(items) }
            }
        case UInt8(ascii: "{"):
            guard depth < JSONValue.maxDepth else { throw error("arrays and objects nest more than \(JSONValue.maxDepth) deep") }
            offset += 1
            var members: [JSONValue.Member] = []
            var index: [String: Int] = [:]
            skipWhitespace()
            if offset < bytes.count && bytes[offset] == UInt8(ascii: "}") {
                offset += 1
                return .object(members)
            }
            while true {
                skipWhitespace()
                guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else {
                    throw error("expected a member name in double quotes, found \(found)")
                }
                let name = try string()
                skipWhitespace()
                guard offset < bytes.count, bytes[offset] == UInt8(ascii: ":") else {
                    throw error("expected ':' after the member name, found \(found)")
                }
                offset += 1
                skipWhitespace()
                let member = JSONValue.Member(name: name, value: try value(depth: depth + 1))
                if let earlier = index[name] { members[earlier] = member } else {
                    index[name] = members.count
                    members.append(member)
                }
                skipWhitespace()
                if try separator(closing: UInt8(ascii: "}"), in: "an object") { return .object(members) }
            }
        case UInt8(ascii: "\""):
            return .string(try string())
        case UInt8(ascii: "-"), UInt8(ascii: "0") ... UInt8(ascii: "9"):
            return .number(try number())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        default:
            throw error("expected a value, found \(found)")
        }
    }

    /// After an element: `,` (false, another follows) or the closing bracket (true).
    mutating func separator(closing: UInt8, in container: String) throws(JSONError) -> Bool {
        guard offset < bytes.count else { throw error("\(container) is not closed before the end of the file") }
        if bytes[offset] == UInt8(ascii: ",") {
            offset += 1
            return false
        }
        if bytes[offset] == closing {
            offset += 1
            return true
        }
        throw error("expected ',' or '\(Character(Unicode.Scalar(closing)))' in \(container), found \(found)")
    }

    mutating func literal(_ word: String, _ value: JSONValue) throws(JSONError) -> JSONValue {
        let expected = Array(word.utf8)
        guard bytes.count - offset >= expected.count, Array(bytes[offset ..< offset + expected.count]) == expected else {
            throw error("expected a value, found \(found)")
        }
        offset += expected.count
        return value
    }

    /// A number as JSON writes it: `-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`.
    mutating func number() throws(JSONError) -> Double {
        let start = offset
        func digits() -> Int {
            let first = offset
            while offset < bytes.count, bytes[offset] >= UInt8(ascii: "0"), bytes[offset] <= UInt8(ascii: "9") { offset += 1 }
            return offset - first
        }
        if bytes[offset] == UInt8(ascii: "-") { offset += 1 }
        let integerStart = offset
        let integerDigits = digits()
        guard integerDigits > 0 else { throw error("expected a digit after '-', found \(found)") }
        if integerDigits > 1 && bytes[integerStart] == UInt8(ascii: "0") {
            offset = integerStart + 1
            throw error("a number cannot start with 0 followed by more digits")
        }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: ".") {
            offset += 1
            guard digits() > 0 else { throw error("expected a digit after '.', found \(found)") }
        }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "e") || bytes[offset] == UInt8(ascii: "E") {
            offset += 1
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "+") || bytes[offset] == UInt8(ascii: "-") { offset += 1 }
            guard digits() > 0 else { throw error("expected a digit in the exponent, found \(found)") }
        }
        let text = String(decoding: bytes[start ..< offset], as: UTF8.self)
        // The grammar above is a subset of what Double parses; out of range gives ±inf, as in
        // Python's json.
        guard let value = Double(text) else {
            offset = start
            throw error("'\(text)' is not a number")
        }
        return value
    }

    /// A string from its opening quote to its closing one, escapes decoded.
    mutating func string() throws(JSONError) -> String {
        offset += 1
        var scalars = String.UnicodeScalarView()
        var runStart = offset
        func flush(_ end: Int) { scalars.append(contentsOf: String(decoding: bytes[runStart ..< end], as: UTF8.self).unicodeScalars) }
        while true {
            guard offset < bytes.count else { throw error("a string is not closed before the end of the file") }
            let byte = bytes[offset]
            switch byte {
            case UInt8(ascii: "\""):
                flush(offset)
                offset += 1
                return String(scalars)
            case UInt8(ascii: "\\"):
                flush(offset)
                offset += 1
                guard offset < bytes.count else { throw error("a string is not closed before the end of the file") }
                let escape = bytes[offset]
                offset += 1
                switch escape {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    var code = try hexQuad()
                    if code >= 0xD800 && code < 0xDC00 {
                        // A high surrogate must be followed by `\u` and a low one.
                        guard bytes.count - offset >= 2, bytes[offset] == UInt8(ascii: "\\"), bytes[offset + 1] == UInt8(ascii: "u") else {
                            throw error("a \\u escape of a high surrogate must be followed by a low one")
                        }
                        offset += 2
                        let low = try hexQuad()
                        guard low >= 0xDC00 && low < 0xE000 else { throw error("a \\u escape of a high surrogate must be followed by a low one") }
                        code = 0x10000 + (code - 0xD800) << 10 + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw error("\\u escape of a lone surrogate") }
                    scalars.append(scalar)
                default:
                    offset -= 1
                    throw error("unknown escape '\\\(Character(Unicode.Scalar(escape)))' in a string")
                }
                runStart = offset
            case 0 ..< 0x20:
                throw error("a control character (byte 0x\(String(byte, radix: 16))) inside a string must be escaped")
            default:
                offset += 1
            }
        }
    }

    mutating func hexQuad() throws(JSONError) -> UInt32 {
        var code: UInt32 = 0
        for _ in 0 ..< 4 {
            guard offset < bytes.count, let digit = Character(Unicode.Scalar(bytes[offset])).hexDigitValue else {
                throw error("expected four hexadecimal digits after \\u, found \(found)")
            }
            code = code << 4 + UInt32(digit)
            offset += 1
        }
        return code
    }
}
