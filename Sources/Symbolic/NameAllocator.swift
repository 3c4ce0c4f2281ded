import ExprParse

/// Hands out short, unused, re-parseable names: the worksheet's a, b, c, ... for stages and
/// `dname` for adjoints.
///
/// `e` and `pi` are skipped because they are constants of the language, `f` because it names
/// the function itself, and every function
/// spelling is reserved, so a staged listing is itself valid input.
struct NameAllocator {
    private(set) var taken: Set<String>
    private var nextLetter = 0

    init(taken: some Sequence<String>) {
        // `f` is what worksheets and symdiff's own `df/dx` lines call the function itself.
        self.taken = Set(taken).union(Function.allSpellings).union(NamedConstant.allCases.map(\.name)).union(["f"])
    }

    /// Marks `name` as used.
    mutating func reserve(_ name: String) { taken.insert(name) }

    /// The next unused name in the sequence a..z, aa..az, ba.., skipping reserved ones.
    mutating func fresh() -> String {
        while true {
            let name = NameAllocator.letters(nextLetter)
            nextLetter += 1
            if taken.insert(name).inserted { return name }
        }
    }

    /// `preferred` if unused, otherwise `preferred_2`, `preferred_3`, ...
    mutating func unique(_ preferred: String) -> String {
        if taken.insert(preferred).inserted { return preferred }
        var n = 2
        while !taken.insert("\(preferred)_\(n)").inserted { n += 1 }
        return "\(preferred)_\(n)"
    }

    private static func letters(_ index: Int) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz")
        var n = index
        var result = ""
        repeat {
            result = String(alphabet[n % 26]) + result
            n = n / 26 - 1
        } while n >= 0
        return result
    }
}
