/// `\frac{\partial f}{\partial x} = body`: one line of `symdiff grad --format latex`.
///
/// `output` and `variable` are program names, written as `LaTeXDialect.identifier(_:)` does;
/// `body` is LaTeX already (from `Printer(graph, LaTeXDialect())`).
public func latexPartialLine(output: String, variable: String, body: String) -> String {
    "\\frac{\\partial \(LaTeXDialect.identifier(output))}{\\partial \(LaTeXDialect.identifier(variable))} = \(body)"
}

extension LaTeXDialect {
    /// A program name as LaTeX math, so that distinct names never print alike:
    /// ```
    /// x       x              theta   \theta         Omega   \Omega
    /// x1      x_{1}          theta2  \theta_{2}     Alpha   \mathrm{A}
    /// rate    \mathit{rate}  x_1     \mathit{x\_1}   sigma   \mathit{sigma}
    /// ```
    /// A single letter or a Greek letter's name, optionally followed by digits (which become a
    /// subscript), prints as the letter; anything else is `\mathit{...}` with LaTeX's special
    /// characters escaped. So `x_1` is not `x_{1}` (that is `x1`), and `sigma` is not `\sigma`,
    /// which this dialect uses for the sigmoid function.
    public static func identifier(_ name: String) -> String {
        let digits = name.reversed().prefix { $0.isASCII && $0.isNumber }.count
        let base = String(name.dropLast(digits))
        let index = digits == 0 ? "" : "_{\(name.suffix(digits))}"
        if base.count == 1, let letter = base.first, letter.isASCII && letter.isLetter {
            return base + index
        }
        if let greek = greekLetters[base] { return greek + index }
        return "\\mathit{\(escaped(name))}"
    }

    /// Greek letters by name. `omicron` and the capitals that look Latin have no command:
    /// `omicron` stays a name (it would look exactly like `o`), and the capitals are upright
    /// Latin letters (`\mathrm{A}`), as Greek capitals are typeset, so `Alpha` differs from `A`.
    /// `sigma` is left out because `\sigma(x)` is the sigmoid.
    static let greekLetters: [String: String] = {
        var table: [String: String] = [:]
        let lower = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda",
                     "mu", "nu", "xi", "pi", "rho", "tau", "upsilon", "phi", "chi", "psi", "omega"]
        for name in lower { table[name] = "\\" + name }
        let capitalCommands = ["Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega"]
        for name in capitalCommands { table[name] = "\\" + name }
        let latinLookalikes = ["Alpha": "A", "Beta": "B", "Epsilon": "E", "Zeta": "Z", "Eta": "H", "Iota": "I",
                               "Kappa": "K", "Mu": "M", "Nu": "N", "Omicron": "O", "Rho": "P", "Tau": "T", "Chi": "X"]
        for (name, letter) in latinLookalikes { table[name] = "\\mathrm{\(letter)}" }
        return table
    }()

    /// `text` safe inside `\mathit{}`: the parser only admits letters, digits and `_`, but a
    /// library caller may pass anything, and no name may break out of its braces.
    static func escaped(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "_", "#", "$", "%", "&", "{", "}": result += "\\\(character)"
            case "\\": result += "\\backslash{}"
            case "^": result += "\\wedge{}"
            case "~": result += "\\sim{}"
            case " ": result += "\\ "
            case "\n", "\r", "\t": result += "\\ "
            default: result.append(character)
            }
        }
        return result
    }
}
