@testable import Symbolic
import Testing

/// The compact set of names behind `NameAllocator`: it must answer exactly as `Set<String>`
/// would, through growth, for names of every length, and for Unicode names that are equal as
/// Strings but spelled with different bytes.
@Suite struct NameSetTests {
    @Test func answersAsASetOfStringsDoes() {
        var names = NameSet()
        var reference = Set<String>()
        // 20,000 names (the table grows from 64 slots many times), with repeats and prefixes of
        // each other, against Set<String> after every insertion batch.
        var state: UInt64 = 12345
        for round in 0 ..< 20_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let length = Int(state >> 60) % 9
            let name = String(NameAllocator.letters(Int(state >> 40) % 5000).prefix(max(length, 1))) + (round % 7 == 0 ? "_2" : "")
            let inserted = names.insert(name), expected = reference.insert(name).inserted
            #expect(inserted == expected)
        }
        #expect(names.count == reference.count)
        for index in 0 ..< 6000 {
            let candidate = NameAllocator.letters(index)
            #expect(names.contains(candidate) == reference.contains(candidate))
            #expect(names.contains(candidate + "_2") == reference.contains(candidate + "_2"))
        }
        #expect(!names.contains(""))
        let insertedEmpty = names.insert("")
        #expect(insertedEmpty && names.contains(""))
    }

    @Test func unicodeNamesFollowStringEquality() {
        var names = NameSet(["x", "caf\u{E9}"])
        // "é" composed (U+00E9) and decomposed (e + U+0301) are one String, so one name.
        #expect(names.contains("cafe\u{301}"))
        let decomposed = names.insert("cafe\u{301}"), theta = names.insert("θ")
        #expect(!decomposed && theta)
        #expect(names.contains("θ") && names.count == 3)
    }

    @Test func reservingRoomKeepsEveryName() {
        var names = NameSet((0 ..< 1000).map { "d" + NameAllocator.letters($0) })
        names.reserveCapacity(100_000)
        #expect((0 ..< 1000).allSatisfy { names.contains("d" + NameAllocator.letters($0)) })
        #expect(!names.contains("d" + NameAllocator.letters(1000)))
    }
}
