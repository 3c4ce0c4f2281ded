import ExprParse

/// Hands out short, unused, re-parseable names: the worksheet's a, b, c, ... for stages and
/// `dname` for adjoints.
///
/// `e` and `pi` are skipped because they are constants of the language, `f` because it names
/// the function itself, and every function spelling is reserved, so a staged listing is itself
/// valid input. So is every name a target language reserves (`as`, `if`, `in`, `def`, `do`,
/// ...: `ReservedNames.everyLanguage`): a made-up name never needs renaming in generated code,
/// and a reserved word asked of `unique` comes back as `word_`, the spelling code generators
/// give a reserved name of the user's.
///
/// Stage names are counted, not stored: the letter names below `nextLetter` are all taken
/// (handed out, or skipped because something else had them), so naming 10^5 stages inserts
/// nothing into a set and builds no string but the name itself.
struct NameAllocator {
    /// Names the program gave (inputs and statement names) and names `unique` handed out.
    private var used: NameSet
    /// Letter names with an index below this are taken.
    private var nextLetter = 0

    /// Names that are not the program's values but that no generated name may take either:
    /// named dimensions (`N`), which formulas read as numbers.
    private var kept: Set<String> = []

    init(taken: some Sequence<String>, keeping kept: some Sequence<String> = [String]()) {
        self.used = NameSet(taken)
        self.kept = Set(kept)
    }

    /// Words no generated name takes: function spellings, constants, `f` (what worksheets and
    /// symdiff's own `df/dx` lines call the function itself), and reserved words.
    private static let avoided: Set<String> = ReservedNames.everyLanguage
        .union(Function.allSpellings).union(NamedConstant.allCases.map(\.name)).union(["f"])

    /// Whether `name` names something in the program: an input, a statement, a stage, or a
    /// name `unique` handed out (an adjoint). Function spellings and reserved words are not in
    /// use, only unavailable.
    func isInUse(_ name: String) -> Bool {
        used.contains(name) || (isTakenLetterName(name) && !NameAllocator.avoided.contains(name))
    }

    /// Makes room for `count` more names from `unique`, so that naming 10^5 adjoints does not
    /// rehash the set as it grows.
    mutating func reserveCapacity(forMore count: Int) {
        used.reserveCapacity(used.count + count)
    }

    /// Whether `name` is a letter name `fresh` has passed (handed out, or skipped).
    private func isTakenLetterName(_ name: String) -> Bool {
        NameAllocator.letterIndex(name).map { $0 < nextLetter } ?? false
    }

    /// Whether `name` may be handed out.
    private func isAvailable(_ name: String) -> Bool {
        !NameAllocator.avoided.contains(name) && !kept.contains(name) && !isInUse(name)
    }

    /// The next unused name in the sequence a..z, aa..az, ba.., skipping reserved ones.
    mutating func fresh() -> String {
        while true {
            let name = NameAllocator.letters(nextLetter)
            nextLetter += 1
            if !used.contains(name) && !NameAllocator.avoided.contains(name) && !kept.contains(name) { return name }
        }
    }

    /// `preferred` if available (`preferred_` if it is a reserved word), otherwise
    /// `preferred_2`, `preferred_3`, ...
    mutating func unique(_ preferred: String) -> String {
        // The common case (every adjoint name of a large program) in two set operations.
        if !NameAllocator.avoided.contains(preferred), !isTakenLetterName(preferred), !kept.contains(preferred),
           used.insert(preferred) {
            return preferred
        }
        var candidate = ReservedNames.everyLanguage.contains(preferred) ? preferred + "_" : preferred
        var n = 2
        while !isAvailable(candidate) {
            candidate = "\(preferred)_\(n)"
            n += 1
        }
        used.insert(candidate)
        return candidate
    }

    /// The name at `index` of a, ..., z, aa, ..., az, ba, ... (bijective base 26).
    static func letters(_ index: Int) -> String {
        var length = 1, first = 0, block = 26
        while index - first >= block {
            first += block
            block *= 26
            length += 1
        }
        var n = index - first
        return String(unsafeUninitializedCapacity: length) { buffer in
            for position in stride(from: length - 1, through: 0, by: -1) {
                buffer[position] = UInt8(ascii: "a") + UInt8(n % 26)
                n /= 26
            }
            return length
        }
    }

    /// The index `letters` gives `name`, or nil when `name` is not lowercase letters only.
    static func letterIndex(_ name: String) -> Int? {
        var value = 0
        var count = 0
        for byte in name.utf8 {
            guard byte >= UInt8(ascii: "a"), byte <= UInt8(ascii: "z"), count < 12 else { return nil }
            value = value * 26 + Int(byte - UInt8(ascii: "a")) + 1
            count += 1
        }
        return count == 0 ? nil : value - 1
    }
}
