import Symbolic
import Testing

/// symdiff's own JSON reader (`--inputs values.json`): RFC 8259 values, escapes, and errors
/// that give the line and column, as Python's `json` would accept or refuse them.
@Suite struct JSONValueTests {
    static func parsed(_ text: String) throws(JSONError) -> JSONValue { try JSONValue(parsing: Array(text.utf8)) }

    static func message(_ text: String) -> String {
        do {
            return "accepted \(try parsed(text))"
        } catch {
            return error.description
        }
    }

    @Test func valuesOfEveryKind() throws {
        #expect(try Self.parsed(" {\"x\": [1, -2.5e-3, 0, 1E2], \"y\": 7}\n") == .object([
            .init(name: "x", value: .array([.number(1), .number(-0.0025), .number(0), .number(100)])),
            .init(name: "y", value: .number(7)),
        ]))
        #expect(try Self.parsed("[true, false, null, \"s\", {}, []]")
                == .array([.bool(true), .bool(false), .null, .string("s"), .object([]), .array([])]))
        // Digits beyond a double's precision round as Python's float() does; overflow is inf.
        #expect(try Self.parsed("0.1000000000000000055511151231257827") == .number(0.1))
        #expect(try Self.parsed("1e400") == .number(.infinity))
        #expect(try Self.parsed("-0") == .number(-0.0))
    }

    @Test func stringEscapes() throws {
        #expect(try Self.parsed(#""a\"b\\c\/d\b\f\n\r\t""#) == .string("a\"b\\c/d\u{08}\u{0C}\n\r\t"))
        #expect(try Self.parsed(#""\u00e9\u4e2d\ud83d\ude00""#) == .string("é中😀"))
        #expect(try Self.parsed("\"é\"") == .string("é"))
    }

    @Test func aRepeatedMemberKeepsItsLastValueInItsFirstPlace() throws {
        #expect(try Self.parsed("{\"a\": 1, \"b\": 2, \"a\": 3}")
                == .object([.init(name: "a", value: .number(3)), .init(name: "b", value: .number(2))]))
    }

    @Test(arguments: [
        ("", "line 1, column 1: expected a value, found the end of the file"),
        ("x = 1", "line 1, column 1: expected a value, found 'x'"),
        ("{\"x\": [1, 2}", "line 1, column 12: expected ',' or ']' in an array, found '}'"),
        ("[1, 2", "line 1, column 6: an array is not closed before the end of the file"),
        ("{\n  \"x\": 1,\n  y: 2\n}", "line 3, column 3: expected a member name in double quotes, found 'y'"),
        ("{\"x\" 1}", "line 1, column 6: expected ':' after the member name, found '1'"),
        ("[1] [2]", "line 1, column 5: unexpected text after the JSON value"),
        ("[01]", "line 1, column 3: a number cannot start with 0 followed by more digits"),
        ("[1.]", "line 1, column 4: expected a digit after '.', found ']'"),
        ("[-]", "line 1, column 3: expected a digit after '-', found ']'"),
        ("[1e]", "line 1, column 4: expected a digit in the exponent, found ']'"),
        ("[NaN]", "line 1, column 2: expected a value, found 'N'"),
        ("[tru]", "line 1, column 2: expected a value, found 't'"),
        ("\"abc", "line 1, column 5: a string is not closed before the end of the file"),
        ("\"a\tb\"", "line 1, column 3: a control character (byte 0x9) inside a string must be escaped"),
        (#""\x""#, "line 1, column 3: unknown escape '\\x' in a string"),
        (#""\u12""#, "line 1, column 6: expected four hexadecimal digits after \\u, found '\"'"),
        (#""\ud83d""#, "line 1, column 8: a \\u escape of a high surrogate must be followed by a low one"),
        (#""\ude00""#, "line 1, column 8: \\u escape of a lone surrogate"),
        ("[\"é\", x]", "line 1, column 7: expected a value, found 'x'"),
    ])
    func errorsSayWhere(_ text: String, _ expected: String) {
        #expect(Self.message(text) == expected)
    }

    @Test func nestingIsBoundedNotRecursedWithoutLimit() {
        let deep = String(repeating: "[", count: 100_000)
        #expect(Self.message(deep) == "line 1, column 513: arrays and objects nest more than 512 deep")
        let fine = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(Self.message(fine).hasPrefix("accepted"))
    }

    /// Mutated documents (bytes replaced, dropped, duplicated; invalid UTF-8 included) are
    /// accepted or refused with a position inside the text, never a trap or a hang.
    @Test func mutatedDocumentsNeverTrap() {
        let seed = Array("{\"W\": [[0.1, -2e-3], [3, 4.5E+2]], \"s\": \"a\\u00e9\\n\", \"t\": [true, false, null, {}]}".utf8)
        let alphabet = Array("[]{},:\"\\-+.eE0123456789 \ntfnu".utf8) + [0x00, 0x7F, 0xC3, 0xA9, 0xFF, 0xE2]
        var state: UInt64 = 2026
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(state >> 33) % bound
        }
        var accepted = 0
        for _ in 0 ..< 3000 {
            var bytes = seed
            for _ in 0 ... next(4) {
                let position = next(bytes.count)
                switch next(3) {
                case 0: bytes[position] = alphabet[next(alphabet.count)]
                case 1: bytes.remove(at: position)
                default: bytes.insert(bytes[position], at: position)
                }
            }
            do {
                _ = try JSONValue(parsing: bytes)
                accepted += 1
            } catch {
                let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).count
                #expect(error.line >= 1 && error.line <= lines && error.column >= 1 && error.column <= bytes.count + 1)
            }
        }
        // Some mutations keep the document valid (a digit for a digit): both paths ran.
        #expect(accepted > 0 && accepted < 3000)
    }
}
