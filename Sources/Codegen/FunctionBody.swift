/// Where the lines of a function body go as they are made, one at a time: a `FunctionBody`
/// keeps them, an emitter's line writer (`NumPyBodyLines`, `SwiftBodyLines`) formats each
/// straight into the file. `FunctionBuilder.stagedBody(into:)` is the one producer of a staged
/// body for both.
protocol BodyLineSink {
    /// Adds a line of `kind` with `name`'s and `expression`'s UTF-8 (a comment has no name, its
    /// text is the expression), valid only during the call.
    mutating func append(_ kind: FunctionBody.Kind, name: UnsafeBufferPointer<UInt8>, expression: UnsafeBufferPointer<UInt8>)
    /// Adds the comment `prefix` + `name = expression`, quoting a forward equation
    /// (`from: b = a * x`) without joining the pieces into one string first.
    mutating func appendComment(_ prefix: String, quoting name: String, _ expression: UnsafeBufferPointer<UInt8>)
}

extension BodyLineSink {
    /// Adds a line of `kind` with `name` and `expression` (a comment's text).
    mutating func append(_ kind: FunctionBody.Kind, name: String, expression: String) {
        // `withUTF8` on a copy: a small string's bytes are not contiguous until it puts them
        // on the stack (through `utf8` they were appended one at a time).
        var name = name, expression = expression
        name.withUTF8 { name in expression.withUTF8 { append(kind, name: name, expression: $0) } }
    }

    /// Adds `line`.
    mutating func append(_ line: BodyLine) {
        let (kind, name, expression) = line.parts
        append(kind, name: name, expression: expression)
    }

    /// Adds each of `lines`.
    mutating func append(contentsOf lines: [BodyLine]) {
        for line in lines { append(line) }
    }
}

extension BodyLine {
    /// The line's kind, name and expression (a comment has no name, its text is the expression).
    var parts: (kind: FunctionBody.Kind, name: String, expression: String) {
        switch self {
        case .comment(let text): return (.comment, "", text)
        case .define(let name, let expression): return (.define, name, expression)
        case .accumulate(let name, let expression): return (.accumulate, name, expression)
        case .decrement(let name, let expression): return (.decrement, name, expression)
        }
    }
}

/// The statements of a generated function body, in order: every line's text back to back in
/// one byte buffer, each after a header of its kind and lengths.
///
/// A staged body has a line per equation and per contribution, 4*10^5 lines for a program of
/// 10^5 ops. As an array of `BodyLine`s that was an enum of two Strings a line, most
/// expressions too long for Swift's inline strings and so a heap block each (and the array was
/// built twice, once as staged lines). Here a line costs its text and a header of usually 3
/// bytes (a table of 12-byte entries beside the text was 35-45 bytes per forward op), and an
/// emitter copies the bytes straight into the file (`forEachLine`, `CodeWriter`). `symdiff emit`
/// holds none of it: its staged body goes line by line into the file (`CodeStream`).
public struct FunctionBody: Hashable, Sendable, Sequence, BodyLineSink {
    /// What a line does; see `BodyLine`.
    public enum Kind: UInt8, Hashable, Sendable {
        case comment, define, accumulate, decrement
    }

    /// Each line as its kind's raw value, its name's and its expression's lengths in bytes as
    /// LEB128 varints (7 bits a byte, low first; a comment has no name, its text is the
    /// expression), then the name's and the expression's bytes.
    private var text: [UInt8] = []
    private var lineCount = 0

    /// An empty body.
    public init() {}

    /// A body of `lines`, in order.
    public init(_ lines: [BodyLine]) {
        for line in lines { append(line) }
    }

    /// The number of lines.
    public var count: Int { lineCount }

    /// Makes room for `lines` lines of `bytes` bytes in all, so that a large body does not
    /// grow by copying. Room never written to costs address space, not memory.
    public mutating func reserveCapacity(lines: Int, bytes: Int) {
        text.reserveCapacity(bytes + 3 * lines)
    }

    /// Adds `line` at the end.
    public mutating func append(_ line: BodyLine) {
        let (kind, name, expression) = line.parts
        append(kind, name: name, expression: expression)
    }

    /// Adds each of `lines` at the end.
    public mutating func append(contentsOf lines: [BodyLine]) {
        for line in lines { append(line) }
    }

    /// Adds a line of `kind` at the end.
    public mutating func append(_ kind: Kind, name: String, expression: String) {
        header(kind, nameCount: name.utf8.count, expressionCount: expression.utf8.count)
        append(name)
        append(expression)
    }

    mutating func append(_ kind: Kind, name: UnsafeBufferPointer<UInt8>, expression: UnsafeBufferPointer<UInt8>) {
        header(kind, nameCount: name.count, expressionCount: expression.count)
        text.append(contentsOf: name)
        text.append(contentsOf: expression)
    }

    /// Adds the comment `prefix` + `name = expression` (`from: b = a * x`).
    public mutating func appendComment(_ prefix: String, quoting name: String, _ expression: String) {
        var expression = expression
        expression.withUTF8 { appendComment(prefix, quoting: name, $0) }
    }

    mutating func appendComment(_ prefix: String, quoting name: String, _ expression: UnsafeBufferPointer<UInt8>) {
        let equals = " = "
        header(.comment, nameCount: 0, expressionCount: prefix.utf8.count + name.utf8.count + equals.utf8.count + expression.count)
        append(prefix)
        append(name)
        append(equals)
        text.append(contentsOf: expression)
    }

    /// The names of the lines that accumulate (`+=`, `-=`); Swift declares them `var`.
    var accumulatedNames: Set<String> {
        var names = Set<String>()
        forEachLine { kind, name, _ in
            switch kind {
            case .accumulate, .decrement: names.insert(String(decoding: name, as: UTF8.self))
            case .comment, .define: break
            }
        }
        return names
    }

    /// Hands every line to `sink`, in order.
    func write(into sink: inout some BodyLineSink) {
        forEachLine { kind, name, expression in sink.append(kind, name: name, expression: expression) }
    }

    /// The varint at `offset` in `bytes`, moving `offset` past it.
    private static func varint(in bytes: UnsafeBufferPointer<UInt8>, at offset: inout Int) -> Int {
        var value = 0, shift = 0
        while offset < bytes.count {
            let byte = bytes[offset]
            offset += 1
            value |= Int(byte & 0x7F) << shift
            guard byte & 0x80 != 0 else { break }
            shift += 7
        }
        return value
    }

    /// Appends `string`'s UTF-8 in one copy (a small string's bytes are not contiguous until
    /// `withUTF8` puts them on the stack; through `utf8` they were appended one at a time).
    private mutating func append(_ string: String) {
        var string = string
        string.withUTF8 { text.append(contentsOf: $0) }
    }

    /// Writes a line's header. A name or expression of 4 GB cannot arise: inputs are limited
    /// to far less (`Limits`).
    private mutating func header(_ kind: Kind, nameCount: Int, expressionCount: Int) {
        lineCount += 1
        text.append(kind.rawValue)
        appendVarint(UInt32(truncatingIfNeeded: nameCount))
        appendVarint(UInt32(truncatingIfNeeded: expressionCount))
    }

    private mutating func appendVarint(_ value: UInt32) {
        var value = value
        while value >= 0x80 {
            text.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        text.append(UInt8(value))
    }

    /// Calls `visit` with every line's kind, name and expression (a comment's text), as UTF-8
    /// bytes valid only during the call.
    public func forEachLine(_ visit: (Kind, UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        try text.withUnsafeBufferPointer { all in
            var offset = 0
            while offset < all.count {
                // Only `header` writes a kind byte, so the raw value is always one of Kind's.
                let kind = Kind(rawValue: all[offset]) ?? .comment
                offset += 1
                let nameCount = Self.varint(in: all, at: &offset), expressionCount = Self.varint(in: all, at: &offset)
                let nameEnd = offset + nameCount, end = nameEnd + expressionCount
                try visit(kind, UnsafeBufferPointer(rebasing: all[offset ..< nameEnd]),
                          UnsafeBufferPointer(rebasing: all[nameEnd ..< end]))
                offset = end
            }
        }
    }

    /// The lines as `BodyLine`s, for readers that want them one at a time.
    public func makeIterator() -> IndexingIterator<[BodyLine]> {
        var result: [BodyLine] = []
        result.reserveCapacity(lineCount)
        forEachLine { kind, name, expression in
            let name = String(decoding: name, as: UTF8.self), expression = String(decoding: expression, as: UTF8.self)
            switch kind {
            case .comment: result.append(.comment(expression))
            case .define: result.append(.define(name: name, expression: expression))
            case .accumulate: result.append(.accumulate(name: name, expression: expression))
            case .decrement: result.append(.decrement(name: name, expression: expression))
            }
        }
        return result.makeIterator()
    }
}

/// Writes a file's text in two passes over the same code: the first counts the bytes, the second
/// writes them into a String of exactly that size, so a module of 10 MB is never held twice
/// (once in a growing buffer, once as the String made from it). Or it writes the text in
/// chunks to a sink (`stream`), so that the whole text is never held at all: `symdiff emit`
/// writes a 10^6-op gradient to standard output through a 256 KB buffer.
struct CodeWriter {
    private var count = 0
    /// Nil while counting.
    private let buffer: UnsafeMutableBufferPointer<UInt8>?
    /// Where full chunks of `buffer` go when streaming; nil otherwise.
    private let sink: ((UnsafeBufferPointer<UInt8>) -> Void)?

    private init(buffer: UnsafeMutableBufferPointer<UInt8>?, sink: ((UnsafeBufferPointer<UInt8>) -> Void)? = nil) {
        self.buffer = buffer
        self.sink = sink
    }

    /// The text `write` writes.
    static func text(_ write: (inout CodeWriter) -> Void) -> String {
        var counter = CodeWriter(buffer: nil)
        write(&counter)
        return String(unsafeUninitializedCapacity: counter.count) { buffer in
            var writer = CodeWriter(buffer: buffer)
            write(&writer)
            return writer.count
        }
    }

    /// Hands the text `write` writes to `sink` in order, in chunks of at most `chunkSize` bytes
    /// that each end on a character boundary (so each is valid UTF-8 on its own).
    static func stream(chunkSize: Int = 1 << 18, _ write: (inout CodeWriter) -> Void,
                       to sink: (UnsafeBufferPointer<UInt8>) -> Void) {
        let staging = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: Swift.max(chunkSize, 8))
        defer { staging.deallocate() }
        withoutActuallyEscaping(sink) { sink in
            var writer = CodeWriter(buffer: staging, sink: sink)
            write(&writer)
            writer.flush(all: true)
        }
    }

    mutating func write(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard sink != nil else {
            if let buffer, let base = bytes.baseAddress, count + bytes.count <= buffer.count {
                UnsafeMutableBufferPointer(rebasing: buffer[count ..< count + bytes.count]).baseAddress?
                    .initialize(from: base, count: bytes.count)
            }
            count += bytes.count
            return
        }
        guard let buffer, let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            if count == buffer.count { flush(all: false) }
            let piece = Swift.min(bytes.count - offset, buffer.count - count)
            (buffer.baseAddress! + count).initialize(from: base + offset, count: piece)
            count += piece
            offset += piece
        }
    }

    /// Hands the staged bytes to the sink: all of them, or (mid-text) up to the last complete
    /// character, keeping the start of a character cut by the chunk's end for the next chunk.
    private mutating func flush(all: Bool) {
        guard let sink, let buffer, let base = buffer.baseAddress, count > 0 else { return }
        var cut = count
        if !all {
            // Back over continuation bytes (10xxxxxx) to the lead byte of the last character.
            var lead = count - 1
            while lead > 0 && count - lead < 4 && buffer[lead] & 0xC0 == 0x80 { lead -= 1 }
            let byte = buffer[lead]
            let length = byte < 0x80 ? 1 : byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
            if count - lead < length && lead > 0 { cut = lead }
        }
        sink(UnsafeBufferPointer(start: base, count: cut))
        let kept = count - cut
        if kept > 0 { base.update(from: base + cut, count: kept) }
        count = kept
    }

    mutating func write(_ text: String) {
        var text = text
        text.withUTF8 { write($0) }
    }

    /// `    <marker><prefix><name> = <expression>` and a newline: the comment that quotes a
    /// forward equation above its backward lines (`    # from: b = a * x`), in any language.
    mutating func writeQuotedComment(_ marker: String, _ prefix: String, _ name: String,
                                     _ expression: UnsafeBufferPointer<UInt8>) {
        write("    ")
        write(marker)
        write(prefix)
        write(name)
        write(" = ")
        write(expression)
        write("\n")
    }

    /// `items` with `separator` between them, each written as it is: a function of 3*10^4 inputs
    /// lists them twice in its header, and `joined` plus interpolation cost more than the body.
    mutating func write(_ items: [String], separator: String, eachPrefix: String = "") {
        for (index, item) in items.enumerated() {
            if index > 0 { write(separator) }
            write(eachPrefix)
            write(item)
        }
    }
}
