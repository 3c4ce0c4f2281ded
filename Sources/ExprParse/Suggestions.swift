/// Advice for a character the language does not accept, and the tokens it evidently stands for.
struct CharacterHint {
    /// The text of the note, without the `note: ` prefix.
    var advice: String
    /// Tokens to produce instead, as (kind, text), so parsing continues as the writer meant.
    var replacement: [(TokenKind, String)]

    /// Hints for the characters people paste from typeset math. Comparison and logic symbols
    /// (`≤`, `=`, `!`) get no hint: the language has no such operators to suggest.
    static func `for`(_ character: Character) -> CharacterHint? {
        switch character {
        case "×", "·", "⋅", "∗":
            return CharacterHint(advice: "write '*' to multiply", replacement: [(.star, String(character))])
        case "÷":
            return CharacterHint(advice: "write '/' to divide", replacement: [(.slash, String(character))])
        case "−", "–":
            return CharacterHint(advice: "write '-' (the ASCII minus sign)", replacement: [(.minus, String(character))])
        case "|":
            return CharacterHint(advice: "write 'abs(x)' for an absolute value, '||x||' or 'norm(x)' for a norm",
                                 replacement: [])
        case "√":
            return CharacterHint(advice: "write 'sqrt(...)' for a square root", replacement: [])
        case "π":
            return CharacterHint(advice: "write 'pi'", replacement: [(.identifier, "pi")])
        case "²":
            return CharacterHint(advice: "write '^2'", replacement: [(.caret, "²"), (.number, "2")])
        case "³":
            return CharacterHint(advice: "write '^3'", replacement: [(.caret, "³"), (.number, "3")])
        default:
            return nil
        }
    }
}

/// "Did you mean" support for misspelled function names.
enum Suggestions {
    /// The largest edit distance still offered as a suggestion; beyond it suggestions are noise.
    static let maximumDistance = 2

    /// The known function spelling nearest to `name` (case-insensitive, transpositions count as
    /// one edit), or nil when none is within `maximumDistance`. Ties go to the longer common
    /// prefix, then to the order of the function table, so the answer is deterministic.
    static func nearestFunction(to name: String) -> String? {
        let target = Array(name.lowercased())
        var best: (spelling: String, distance: Int, prefix: Int)?
        for spelling in Function.allSpellings {
            let candidate = Array(spelling)
            let distance = editDistance(target, candidate)
            guard distance <= maximumDistance else { continue }
            let prefix = zip(target, candidate).prefix { $0 == $1 }.count
            if let current = best, current.distance < distance || (current.distance == distance && current.prefix >= prefix) {
                continue
            }
            best = (spelling, distance, prefix)
        }
        return best?.spelling
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
    /// neighbouring characters (`sgimoid`) each cost one.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previousPrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, previousPrevious[j - 2] + 1)
                }
                current[j] = value
            }
            (previousPrevious, previous, current) = (previous, current, previousPrevious)
        }
        return previous[b.count]
    }
}
