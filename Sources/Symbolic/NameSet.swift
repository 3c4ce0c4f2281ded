/// A set of names kept as one buffer of their UTF-8 bytes and an open-addressing table of
/// 4-byte indices: the names a program uses, adjoints included, 10^6 of them for a 10^6-op chain.
///
/// As a `Set<String>` each name took a 16-byte bucket at a load of at most 3/4 (33 MB for the
/// 1.05M names of a 786,432-op chain, with a second 8 MB copy of the program's own names kept by
/// the staged program); here a name costs its bytes, a 4-byte end offset and 5-11 bytes of table.
///
/// Names with a byte outside ASCII go to an ordinary `Set<String>`, so that two spellings of
/// one Unicode name (composed and decomposed) are the same name, as `String`'s equality says.
struct NameSet {
    /// The ASCII names' bytes, back to back.
    private var bytes: [UInt8] = []
    /// Where each ASCII name ends in `bytes`; it starts where the previous one ends.
    private var ends: [UInt32] = []
    /// Slot -> index into `ends`, or -1 when empty; linear probing, load at most 3/4.
    private var table: [Int32] = []
    private var others: Set<String> = []

    init() {}

    init(_ names: some Sequence<String>) {
        for name in names { insert(name) }
    }

    var count: Int { ends.count + others.count }

    /// Makes room for `count` names in all, so that adding them does not rehash the table.
    mutating func reserveCapacity(_ count: Int) {
        ends.reserveCapacity(count)
        if count * 4 > table.count * 3 { rehash(minimumSlots: count * 4 / 3 + 1) }
    }

    func contains(_ name: String) -> Bool {
        var contiguous = name
        return contiguous.withUTF8 { utf8 in
            guard Self.isASCII(utf8) else { return others.contains(name) }
            return slot(of: utf8).found
        }
    }

    /// Adds `name`; false when it was there already.
    @discardableResult
    mutating func insert(_ name: String) -> Bool {
        var contiguous = name
        return contiguous.withUTF8 { utf8 in
            guard Self.isASCII(utf8) else { return others.insert(name).inserted }
            if (ends.count + 1) * 4 > table.count * 3 { rehash(minimumSlots: (ends.count + 1) * 2) }
            let (slot, found) = slot(of: utf8)
            guard !found else { return false }
            table[slot] = Int32(truncatingIfNeeded: ends.count)
            bytes.append(contentsOf: utf8)
            ends.append(UInt32(truncatingIfNeeded: bytes.count))
            return true
        }
    }

    private static func isASCII(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        for byte in utf8 where byte >= 0x80 { return false }
        return true
    }

    /// FNV-1a over the bytes: names are short, and this is a fraction of SipHash's cost.
    private static func hash(_ utf8: some Sequence<UInt8>) -> Int {
        var hash: UInt64 = 0xcbf29ce484222325
        for byte in utf8 { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
        return Int(truncatingIfNeeded: hash ^ (hash >> 29))
    }

    private func range(ofName index: Int) -> Range<Int> {
        (index == 0 ? 0 : Int(ends[index - 1])) ..< Int(ends[index])
    }

    /// The slot holding `utf8`, or the empty slot where it would go.
    private func slot(of utf8: UnsafeBufferPointer<UInt8>) -> (slot: Int, found: Bool) {
        guard !table.isEmpty else { return (0, false) }
        let mask = table.count - 1
        var slot = Self.hash(utf8) & mask
        while true {
            let entry = Int(table[slot])
            if entry < 0 { return (slot, false) }
            let stored = range(ofName: entry)
            if stored.count == utf8.count && bytes[stored].elementsEqual(utf8) { return (slot, true) }
            slot = (slot + 1) & mask
        }
    }

    /// A table of at least `minimumSlots` (a power of two, at least 64) with every name re-placed.
    private mutating func rehash(minimumSlots: Int) {
        var slots = Swift.max(64, table.count)
        while slots < minimumSlots { slots *= 2 }
        table = [Int32](repeating: -1, count: slots)
        let mask = slots - 1
        for index in ends.indices {
            var slot = Self.hash(bytes[range(ofName: index)]) & mask
            while table[slot] >= 0 { slot = (slot + 1) & mask }
            table[slot] = Int32(truncatingIfNeeded: index)
        }
    }
}
