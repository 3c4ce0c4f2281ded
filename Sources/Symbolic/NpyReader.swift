/// Reads NumPy's `.npy` files (what `np.save` writes), by hand: the 6-byte magic `\x93NUMPY`,
/// a version (1.0 with a 2-byte header length, 2.0 and 3.0 with 4 bytes; 3.0 allows UTF-8 in
/// the header), a Python dict literal such as
/// `{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }`, then the raw data.
/// Only float64 little-endian (`'<f8'`) in C order is accepted; anything else gets an error that
/// says what the file holds and how to convert it. The header is capped at `maxHeaderLength`
/// and the element count at `TensorShape.maxElements`, so a hostile file cannot make it
/// allocate without bound.
public enum NpyReader {
    /// Longest header accepted (NumPy itself refuses headers over 10 000 bytes by default).
    public static let maxHeaderLength = 65_536

    /// The tensor stored in `bytes` (a whole `.npy` file). The caller names the file in its message.
    public static func read(_ bytes: [UInt8]) throws(NpyError) -> Tensor {
        let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]
        guard bytes.count >= 8, Array(bytes[0..<6]) == magic else { throw .badMagic }
        let major = bytes[6], minor = bytes[7]
        let headerLength: Int, headerStart: Int
        switch (major, minor) {
        case (1, 0):
            guard bytes.count >= 10 else { throw .truncatedHeader }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        case (2, 0), (3, 0):
            guard bytes.count >= 12 else { throw .truncatedHeader }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            headerStart = 12
        default:
            throw .unsupportedVersion(major: Int(major), minor: Int(minor))
        }
        guard headerLength <= maxHeaderLength else { throw .headerTooLong(headerLength) }
        guard bytes.count >= headerStart + headerLength else { throw .truncatedHeader }
        let header = String(decoding: bytes[headerStart..<(headerStart + headerLength)], as: UTF8.self)
        let fields = try NpyHeader.parse(header)
        guard fields.descr == "<f8" else { throw .unsupportedDtype(fields.descr) }
        guard !fields.fortranOrder else { throw .fortranOrder }
        let count: Int
        do { count = try TensorShape.checkedCount(fields.shape, shape: TensorShape(fields.shape)) } catch {
            throw .shape(error)
        }
        let dataStart = headerStart + headerLength
        let needed = count * 8
        let available = bytes.count - dataStart
        guard available >= needed else { throw .truncatedData(expected: needed, found: available) }
        guard available == needed else { throw .extraData(expected: needed, found: available) }
        var scalars = [Double](repeating: 0, count: count)
        for i in 0..<count {
            var bits: UInt64 = 0
            let base = dataStart + i * 8
            for b in 0..<8 { bits |= UInt64(bytes[base + b]) << (8 * UInt64(b)) }
            scalars[i] = Double(bitPattern: bits)
        }
        return Tensor(unchecked: fields.shape, scalars)
    }
}

/// The three fields symdiff needs from an `.npy` header dict.
struct NpyHeader {
    var descr: String
    var fortranOrder: Bool
    var shape: [Int]

    /// Parses the dict literal: string keys in quotes; values are a quoted string, `True` or
    /// `False`, or a tuple of integers. Unknown keys are an error (NumPy writes exactly three).
    static func parse(_ text: String) throws(NpyError) -> NpyHeader {
        var s = Substring(text)
        func fail(_ why: String) -> NpyError { .badHeader(why: why, header: text.trimmingTrailingSpace) }
        func skip() { while let c = s.first, c == " " || c == "\n" || c == "\t" || c == "\r" { s.removeFirst() } }
        func expect(_ c: Character) throws(NpyError) {
            skip()
            guard s.first == c else { throw fail("expected '\(c)'") }
            s.removeFirst()
        }
        func quoted() throws(NpyError) -> String {
            skip()
            guard let q = s.first, q == "'" || q == "\"" else { throw fail("expected a quoted string") }
            s.removeFirst()
            guard let end = s.firstIndex(of: q) else { throw fail("unterminated string") }
            let value = String(s[..<end])
            s = s[s.index(after: end)...]
            return value
        }
        var descr: String?, fortran: Bool?, shape: [Int]?
        try expect("{")
        while true {
            skip()
            if s.first == "}" { s.removeFirst(); break }
            let key = try quoted()
            try expect(":")
            skip()
            switch key {
            case "descr":
                descr = try quoted()
            case "fortran_order":
                if s.hasPrefix("True") { fortran = true; s = s.dropFirst(4) } else if s.hasPrefix("False") { fortran = false; s = s.dropFirst(5) } else { throw fail("fortran_order must be True or False") }
            case "shape":
                try expect("(")
                var dims: [Int] = []
                while true {
                    skip()
                    if s.first == ")" { s.removeFirst(); break }
                    let digits = s.prefix { $0.isASCII && $0.isNumber }
                    guard !digits.isEmpty, digits.count <= 18, let n = Int(digits) else { throw fail("shape must be a tuple of integers") }
                    dims.append(n)
                    guard dims.count <= Tensor.maxRank else { throw fail("more than \(Tensor.maxRank) dimensions") }
                    s = s.dropFirst(digits.count)
                    skip()
                    if s.first == "," { s.removeFirst() } else if s.first != ")" { throw fail("shape must be a tuple of integers") }
                }
                shape = dims
            default:
                throw fail("unknown key '\(key)'")
            }
            skip()
            if s.first == "," { s.removeFirst() } else if s.first != "}" { throw fail("expected ',' or '}'") }
        }
        guard let descr else { throw fail("missing 'descr'") }
        guard let fortran else { throw fail("missing 'fortran_order'") }
        guard let shape else { throw fail("missing 'shape'") }
        return NpyHeader(descr: descr, fortranOrder: fortran, shape: shape)
    }
}

extension String {
    /// Without the padding spaces and newline that end an `.npy` header.
    var trimmingTrailingSpace: String {
        var s = Substring(self)
        while let c = s.last, c == " " || c == "\n" { s.removeLast() }
        return String(s)
    }
}

/// Why an `.npy` file was refused; each message says what to do about it.
public enum NpyError: Error, Equatable, Sendable, CustomStringConvertible {
    case badMagic
    case unsupportedVersion(major: Int, minor: Int)
    case truncatedHeader
    case headerTooLong(Int)
    case badHeader(why: String, header: String)
    case unsupportedDtype(String)
    case fortranOrder
    case shape(ShapeError)
    case truncatedData(expected: Int, found: Int)
    case extraData(expected: Int, found: Int)

    public var description: String {
        switch self {
        case .badMagic:
            return "not a .npy file: it does not start with \\x93NUMPY"
        case .unsupportedVersion(let major, let minor):
            return ".npy format version \(major).\(minor) is not supported (1.0, 2.0 and 3.0 are)"
        case .truncatedHeader:
            return "the .npy file is truncated: it ends inside its header"
        case .headerTooLong(let n):
            return "the .npy header is \(n) bytes long (the limit is \(NpyReader.maxHeaderLength))"
        case .badHeader(let why, let header):
            return "the .npy header is malformed (\(why)): \(header)"
        case .unsupportedDtype(let descr):
            return "the .npy file holds dtype '\(descr)'\(NpyError.dtypeName(descr)); only float64 little-endian ('<f8') is supported: save it with a.astype('<f8')"
        case .fortranOrder:
            return "the .npy file is in Fortran (column-major) order; only C order is supported: save np.ascontiguousarray(a)"
        case .shape(let e):
            return "the .npy shape is refused: \(e.description)"
        case .truncatedData(let expected, let found):
            return "the .npy file is truncated: its shape needs \(expected) bytes of data, it has \(found)"
        case .extraData(let expected, let found):
            return "the .npy file has \(found - expected) bytes after its data (expected \(expected) bytes of data)"
        }
    }

    /// The NumPy name of common dtypes, for the message.
    static func dtypeName(_ descr: String) -> String {
        let names = ["<f4": "float32", ">f8": "big-endian float64", "<f2": "float16", "<i8": "int64", "<i4": "int32",
                     "|b1": "bool", "|u1": "uint8", "|i1": "int8", "<c16": "complex128", "|O": "object"]
        return names[descr].map { " (\($0))" } ?? ""
    }
}
