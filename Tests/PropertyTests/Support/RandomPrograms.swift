import ExprParse
import Foundation

/// A deterministic generator (SplitMix64): every property test names its seed, so a failure
/// reproduces exactly.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}

/// An expression as the generator means it, with its own precedence-aware rendering and an
/// independent reference evaluation: the parser must read the text as this tree, and the
/// evaluator must agree with `value`.
indirect enum GenExpr {
    case number(String, Double)
    case constant(NamedConstant)
    /// An input or an earlier statement's name.
    case name(String)
    case negate(GenExpr)
    /// Prefix `+`.
    case plus(GenExpr)
    case binary(BinaryOperator, GenExpr, GenExpr, Spelling)
    /// A call; `spelling` is how the function is written (`log` for `ln` sometimes).
    case call(Function, String, [GenExpr])
    /// Redundant parentheses, which the tree does not record.
    case parens(GenExpr, depth: Int)

    /// How a binary operator is written.
    enum Spelling {
        case plain
        /// `**` for `^`.
        case starStar
        /// Implicit multiplication (`2x`, `(a + b)(c)`, `x y`).
        case implicit
    }

    /// Binding strength of the rendered text: 1 sums, 2 products, 3 prefix, 4 powers, 5 atoms.
    var level: Int {
        switch self {
        case .number, .constant, .name, .call, .parens: return 5
        case .negate, .plus: return 3
        case .binary(let op, _, _, _): return op.precedence
        }
    }

    /// The reference value; `names` holds inputs and evaluated statements.
    func value(_ names: [String: Double]) -> Double {
        switch self {
        case .number(_, let v): return v
        case .constant(let c): return c.value
        case .name(let n): return names[n] ?? .nan
        case .negate(let a): return -a.value(names)
        case .plus(let a), .parens(let a, _): return a.value(names)
        case .binary(let op, let a, let b, _):
            let x = a.value(names), y = b.value(names)
            switch op {
            case .add: return x + y
            case .subtract: return x - y
            case .multiply: return x * y
            case .divide: return x / y
            case .power: return Foundation.pow(x, y)
            case .matmul: return x * y   // never generated: the scalar programs have no `@`
            }
        case .call(let f, _, let args):
            let v = args.map { $0.value(names) }
            return GenExpr.apply(f, v)
        }
    }

    /// The documented meaning of every function (grammar.md section 4).
    static func apply(_ f: Function, _ v: [Double]) -> Double {
        let x = v[0]
        switch f {
        case .ln: return Foundation.log(x)
        case .log2: return Foundation.log2(x)
        case .log10: return Foundation.log10(x)
        case .exp: return Foundation.exp(x)
        case .sqrt: return x.squareRoot()
        case .sin: return Foundation.sin(x)
        case .cos: return Foundation.cos(x)
        case .tan: return Foundation.tan(x)
        case .asin: return Foundation.asin(x)
        case .acos: return Foundation.acos(x)
        case .atan: return Foundation.atan(x)
        case .sinh: return Foundation.sinh(x)
        case .cosh: return Foundation.cosh(x)
        case .tanh: return Foundation.tanh(x)
        case .sigmoid: return 1 / (1 + Foundation.exp(-x))
        case .relu: return x > 0 ? x : 0
        case .abs: return Swift.abs(x)
        case .softplus: return Foundation.log(1 + Foundation.exp(x))
        case .sign: return x > 0 ? 1 : (x < 0 ? -1 : 0)
        case .step: return x > 0 ? 1 : 0
        case .stopGradient: return x
        case .max: return Swift.max(x, v[1])
        case .min: return Swift.min(x, v[1])
        case .pow: return Foundation.pow(x, v[1])
        case .xlogy: return x == 0 && !v[1].isNaN ? 0 : x * Foundation.log(v[1])
        }
    }
}

/// Renders `GenExpr` so that the grammar reads back exactly the generated tree: operands are
/// parenthesised where precedence, associativity or implicit multiplication's rules require,
/// and spaces go where two tokens would otherwise merge (`x y`, `2 e1`).
enum GenRender {
    static func text(_ e: GenExpr) -> String {
        var out = ""
        write(e, into: &out)
        return out
    }

    static func write(_ e: GenExpr, into out: inout String) {
        switch e {
        case .number(let text, _): out += text
        case .constant(let c): out += c.name
        case .name(let n): out += n
        case .parens(let inner, let depth):
            out += String(repeating: "(", count: depth)
            write(inner, into: &out)
            out += String(repeating: ")", count: depth)
        case .negate(let a), .plus(let a):
            if case .negate = e { out += "-" } else { out += "+" }
            operand(a, parenthesized: a.level < 3, into: &out)
        case .call(_, let spelling, let args):
            out += spelling + "("
            for (i, a) in args.enumerated() {
                if i > 0 { out += ", " }
                write(a, into: &out)
            }
            out += ")"
        case .binary(let op, let a, let b, let spelling):
            switch op {
            case .add, .subtract:
                operand(a, parenthesized: a.level < 1, into: &out)
                out += " \(op.rawValue) "
                operand(b, parenthesized: b.level <= 1, into: &out)
            case .multiply where spelling == .implicit:
                let left = startsRenderingAt(a, parenthesized: a.level < 2)
                // The understood right operand is a power: no prefix operator, no number in front,
                // and no product or sum.
                let rightBare = b.level >= 4 && startsWithWord(b) && !startsWithNumber(b)
                var right = ""
                operand(b, parenthesized: !rightBare, into: &right)
                // `name(` reads as a call of an unknown function when the name is long: keep the
                // left side's last token from being a name right before `(`.
                var leftText = left
                if right.hasPrefix("("), let last = leftText.last, last.isLetter || last.isNumber || last == "_" {
                    leftText = "(" + leftText + ")"
                }
                out += leftText
                if let last = leftText.last, let first = right.first,
                   (last.isLetter || last.isNumber || last == "_" || last == ".") && (first.isLetter || first == "_" || first.isNumber) {
                    out += " "
                }
                out += right
            case .multiply, .divide, .matmul:
                operand(a, parenthesized: a.level < 2, into: &out)
                out += op.rawValue
                operand(b, parenthesized: b.level <= 2 && b.level != 3, into: &out)
            case .power:
                operand(a, parenthesized: a.level < 5 || startsWithNumberThatEndsInDot(a), into: &out)
                out += spelling == .starStar ? "**" : "^"
                operand(b, parenthesized: b.level < 3, into: &out)
            }
        }
    }

    private static func operand(_ e: GenExpr, parenthesized: Bool, into out: inout String) {
        if parenthesized { out += "(" }
        write(e, into: &out)
        if parenthesized { out += ")" }
    }

    private static func startsRenderingAt(_ e: GenExpr, parenthesized: Bool) -> String {
        var s = ""
        operand(e, parenthesized: parenthesized, into: &s)
        return s
    }

    /// Whether the rendered text starts with a name, a constant or a function.
    private static func startsWithWord(_ e: GenExpr) -> Bool {
        switch e {
        case .constant, .name, .call: return true
        case .binary(_, let a, _, _): return startsWithWord(a)
        case .number, .negate, .plus, .parens: return false
        }
    }

    private static func startsWithNumber(_ e: GenExpr) -> Bool {
        switch e {
        case .number: return true
        case .binary(_, let a, _, _): return startsWithNumber(a)
        default: return false
        }
    }

    private static func startsWithNumberThatEndsInDot(_ e: GenExpr) -> Bool { false }
}

/// One generated program: its text, the statements as generated, and its inputs.
struct GeneratedProgram {
    var text: String
    var statements: [(name: String?, expr: GenExpr)]
    var inputs: [String]

    /// The reference value of the output at `point` (input order).
    func value(at point: [Double]) -> Double {
        var names = Dictionary(uniqueKeysWithValues: zip(inputs, point))
        var last = Double.nan
        for statement in statements {
            last = statement.expr.value(names)
            if let name = statement.name { names[name] = last }
        }
        return last
    }
}

/// Random well-formed programs over every operator and function of the grammar.
///
/// `tame` keeps every function inside its domain and divisions away from 0, so values are
/// finite at most points in [-1.5, 1.5]; wild programs use any argument anywhere (for the
/// parser and the simplifier's structural properties).
struct RandomPrograms {
    var rng: SplitMix64
    let tame: Bool
    /// Names the program reads without assigning.
    var inputPool: [String]
    /// Names statements may assign.
    var statementPool: [String]

    static let defaultInputs = ["x", "y", "z", "t", "theta", "x1", "x_2", "Ab"]
    static let defaultStatementNames = ["a", "b", "c", "u", "v", "w", "s1", "s2", "tmp", "hidden", "q_3", "K"]

    init(seed: UInt64, tame: Bool, inputs: [String] = RandomPrograms.defaultInputs,
         statementNames: [String] = RandomPrograms.defaultStatementNames) {
        rng = SplitMix64(seed: seed)
        self.tame = tame
        inputPool = inputs
        statementPool = statementNames
    }

    mutating func int(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
    mutating func chance(_ percent: Int) -> Bool { int(100) < percent }
    mutating func pick<T>(_ items: [T]) -> T { items[int(items.count)] }

    /// A uniform point in [lo, hi]^n.
    mutating func point(_ n: Int, _ lo: Double = -1.5, _ hi: Double = 1.5) -> [Double] {
        (0..<n).map { _ in lo + (hi - lo) * Double(rng.next() >> 11) / Double(1 << 53) }
    }

    static let numberLiterals: [(String, Double)] = [
        ("2", 2), ("3", 3), ("0.5", 0.5), (".25", 0.25), ("1.5", 1.5), ("10", 10), ("1e-3", 1e-3), ("2.5E+1", 25),
        ("7", 7), ("0", 0), ("1", 1), ("0.1", 0.1), ("1e2", 100),
        // Decimals whose products and sums are not decimals a Double holds exactly.
        ("0.3", 0.3), ("0.17", 0.17), ("1.25", 1.25), ("0.109", 0.109), ("2.75", 2.75),
    ]

    /// A program of 1...`maxStatements` statements; later statements reuse earlier names.
    mutating func program(maxStatements: Int = 5, depth: Int = 4) -> GeneratedProgram {
        let count = 1 + int(maxStatements)
        var names: [String] = []
        var used = Set<String>()
        var statements: [(name: String?, expr: GenExpr)] = []
        let inputCount = 1 + int(min(4, inputPool.count))
        let inputs = Array(inputPool.shuffled(using: &rng).prefix(inputCount))
        var pool = statementPool.shuffled(using: &rng)
        for index in 0..<count {
            let isLast = index == count - 1
            let expr = expression(depth: 1 + int(depth), inputs: inputs, names: names)
            var name: String? = nil
            if (!isLast || chance(60)), let candidate = pool.popLast() {
                name = candidate
            }
            statements.append((name, expr))
            if let name { names.append(name); used.insert(name) }
        }
        // Bare statements before the last one are legal (a warning) but pointless: name them.
        var text = ""
        for (index, s) in statements.enumerated() {
            if index > 0 {
                let separator = pick([";", "\n", "; ", "\n\n", "\r\n", " ;\n"])
                // A comment runs to the end of the line, so it only goes before a line break.
                if let newline = separator.firstIndex(where: \.isNewline), chance(10) {
                    text += separator[..<newline] + "  # note: \(pick(["a comment", "x = 1", "sin(", "ünïcode"]))"
                    text += separator[newline...]
                } else {
                    text += separator
                }
            }
            if let name = s.name { text += "\(name) = " }
            // A line starting with `+` continues the statement above (grammar.md section 2).
            let rendered = GenRender.text(s.expr)
            text += s.name == nil && index > 0 && rendered.hasPrefix("+") ? "(\(rendered))" : rendered
        }
        // Inputs in order of first appearance, as the parser defines them.
        let parsedInputs = Parser.parse(text).program.inputs
        return GeneratedProgram(text: text, statements: statements, inputs: parsedInputs)
    }

    /// A leaf: an input, an earlier statement's name, a number or a constant.
    mutating func leaf(inputs: [String], names: [String]) -> GenExpr {
        switch int(10) {
        case 0, 1: return names.isEmpty ? .name(pick(inputs)) : .name(pick(names))
        case 2:
            let (text, value) = pick(RandomPrograms.numberLiterals)
            return .number(text, value)
        case 3: return .constant(pick(NamedConstant.allCases))
        case 4 where chance(50):
            // A negative constant: unary minus on a literal.
            let (text, value) = pick(RandomPrograms.numberLiterals)
            return .negate(.number(text, value))
        default: return .name(pick(inputs))
        }
    }

    mutating func expression(depth: Int, inputs: [String], names: [String]) -> GenExpr {
        if depth <= 0 { return leaf(inputs: inputs, names: names) }
        func sub(_ d: Int = 1) -> GenExpr { expression(depth: depth - d, inputs: inputs, names: names) }
        switch int(20) {
        case 0, 1: return .binary(.add, sub(), sub(), .plain)
        case 2, 3: return .binary(.subtract, sub(), sub(), .plain)
        case 4, 5: return .binary(.multiply, sub(), sub(), .plain)
        case 6, 7: return .binary(.multiply, sub(), sub(), .implicit)
        case 8: return tame ? .binary(.divide, sub(), safeDenominator(sub()), .plain) : .binary(.divide, sub(), sub(), .plain)
        case 9: return power(sub(), depth: depth, inputs: inputs, names: names)
        case 10: return .negate(sub())
        case 11: return chance(50) ? .plus(sub()) : .parens(sub(), depth: 1 + int(3))
        case 12:
            // A deep chain of parentheses and prefix operators, well inside the nesting limit.
            var e = sub()
            for _ in 0..<(5 + int(40)) { e = chance(70) ? .parens(e, depth: 1) : .negate(e) }
            return e
        default: return call(sub(), sub(), inputs: inputs, names: names, depth: depth)
        }
    }

    private func square(_ e: GenExpr) -> GenExpr { .binary(.power, e, .number("2", 2), .plain) }
    private func onePlusSquare(_ e: GenExpr) -> GenExpr { .binary(.add, .number("1", 1), square(e), .plain) }
    private func safeDenominator(_ e: GenExpr) -> GenExpr { .binary(.add, .number("2", 2), square(e), .plain) }

    mutating func power(_ base: GenExpr, depth: Int, inputs: [String], names: [String]) -> GenExpr {
        let spelling: GenExpr.Spelling = chance(25) ? .starStar : .plain
        if !tame { return .binary(.power, base, expression(depth: depth - 1, inputs: inputs, names: names), spelling) }
        func sub() -> GenExpr { expression(depth: depth - 1, inputs: inputs, names: names) }
        switch int(8) {
        case 0: return .binary(.power, base, .number(pick(["2", "3"]), 0).withValueFromText, spelling)
        case 1: return .binary(.power, base, .negate(.number("1", 1)), spelling)
        case 2: return .binary(.power, onePlusSquare(base), .number("0.5", 0.5), spelling)
        case 3:
            // A negated product or quotient in the exponent (the Gaussian's e^(-x^2/2)); the
            // printed derivative must keep it grouped.
            let inner: GenExpr = chance(50) ? .binary(.multiply, sub(), sub(), .plain)
                : .binary(.divide, sub(), safeDenominator(sub()), .plain)
            let bounded = GenExpr.call(.sin, "sin", [inner])
            return .binary(.power, chance(50) ? .constant(.e) : onePlusSquare(base), .negate(chance(50) ? inner : bounded), spelling)
        case 4:
            // A negative base with an integer exponent, possibly nested: ((-2)^3)^2, (-x)^3.
            let negative: GenExpr = chance(50) ? .negate(.number(pick(["2", "3", "0.5"]), 0).withValueFromText) : .negate(base)
            let inner = GenExpr.binary(.power, negative, .number(pick(["2", "3"]), 0).withValueFromText, spelling)
            return chance(50) ? inner : .binary(.power, inner, .number(pick(["2", "3"]), 0).withValueFromText, .plain)
        case 5:
            // A power of a base in [0, 1] that can be exactly 0 (sin(t - t)) with a symbolic
            // exponent of at least 1: its derivative in the exponent is xlogy's limit there.
            let sine = GenExpr.call(.sin, "sin", [base])
            return .binary(.power, .binary(.multiply, sine, sine, .plain), onePlusSquare(sub()), spelling)
        default:
            // A symbolic exponent over a positive base.
            return .binary(.power, onePlusSquare(base), .call(.sin, "sin", [expression(depth: depth - 1, inputs: inputs, names: names)]), spelling)
        }
    }

    mutating func call(_ a: GenExpr, _ b: GenExpr, inputs: [String], names: [String], depth: Int) -> GenExpr {
        // stop_gradient's derivative is 0 by definition, which finite differences cannot confirm.
        let f = pick(Function.allCases.filter { $0 != .stopGradient })
        let spelling = f == .ln && chance(30) ? "log" : f.name
        guard tame else { return .call(f, spelling, f.arity == 2 ? [a, b] : [a]) }
        switch f {
        case .ln, .log2, .log10, .sqrt: return .call(f, spelling, [onePlusSquare(a)])
        case .asin, .acos: return .call(f, spelling, [.binary(.divide, .call(.tanh, "tanh", [a]), .number("2", 2), .plain)])
        case .tan: return .call(f, spelling, [.binary(.divide, .call(.atan, "atan", [a]), .number("2", 2), .plain)])
        case .exp, .sinh, .cosh: return .call(f, spelling, [.call(.sin, "sin", [a])])
        case .pow: return .call(f, spelling, [onePlusSquare(a), .call(.cos, "cos", [b])])
        case .max, .min: return .call(f, spelling, [a, b])
        case .xlogy: return .call(f, spelling, [a, onePlusSquare(b)])
        default: return .call(f, spelling, [a])
        }
    }
}

extension GenExpr {
    /// A number whose value is read from its text.
    var withValueFromText: GenExpr {
        if case .number(let text, _) = self { return .number(text, Double(text) ?? .nan) }
        return self
    }
}
