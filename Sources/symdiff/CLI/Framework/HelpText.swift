/// Renders the overview and per-subcommand help from the command table.
///
/// Text is built from `CommandSpec` data only, so help cannot disagree with what the parser
/// accepts. Columns are padded to the longest entry; no wrapping is done here because
/// abstracts and help lines are written short enough in the table.
enum HelpText {
    static let version = "symdiff 0.1.0"

    /// What `symdiff --help` shows: every subcommand with its abstract, then examples.
    static func overview() -> String {
        let specs = Subcommands.allSpecs
        var lines = [
            "symdiff: symbolic differentiation and gradient code for scalar and tensor expressions",
            "",
            "USAGE: symdiff SUBCOMMAND EXPR [OPTIONS]",
            "",
            "SUBCOMMANDS:",
        ]
        lines += table(specs.map { ($0.name, $0.abstract) })
        lines += [
            "",
            "EXPRESSION INPUT:",
            "  Give EXPR as one quoted argument, read it from a file with -f FILE, or pass - to read",
            "  standard input. EXPR may start with '-', as in: symdiff eval '-log(p)' --at p=0.5",
            "  After '--' the next argument is EXPR whatever it looks like: symdiff stats -- '-f'",
            "  A LIST is one argument, comma-separated: --at x=1,y=pi/2 or --vars x,y,z",
            "  Arrays: declare shapes first, 'W: (2, 2); x: (2,); sum((W @ x)^2)', and give values as",
            "  nested lists (--at 'W=[[0.1,0.5],[-0.3,0.8]],x=[0.2,0.4]'), .npy files or --inputs FILE.json",
            "",
            "EXAMPLES:",
        ]
        lines += specs.filter { $0.operand == .expression }.map { "  " + $0.examples[0] }
        lines += [
            "",
            "Run 'symdiff help SUBCOMMAND' for its options. 'symdiff --version' prints the version.",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// What `symdiff help NAME` and `symdiff NAME --help` show.
    static func help(for spec: CommandSpec) -> String {
        var lines = [
            "OVERVIEW: \(spec.abstract)",
            "",
            "USAGE: \(spec.usage)",
            "",
        ]
        lines += spec.discussion.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines += ["", "OPTIONS:"]
        lines += table(spec.options.map { ($0.helpLabel, $0.help) })
        lines += ["", "EXAMPLES:"]
        lines += spec.examples.map { "  " + $0 }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Two columns, indented by two, the second aligned two spaces after the widest first entry.
    private static func table(_ rows: [(String, String)]) -> [String] {
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { left, right in
            "  " + left + String(repeating: " ", count: width - left.count + 2) + right
        }
    }
}
