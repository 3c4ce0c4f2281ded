import Foundation
import Symbolic
import Testing

/// `grad` with shared subexpressions named once: forced by `--shared`, and chosen by itself when
/// the partials as trees would be huge (a wide network, a deep chain), instead of printing
/// hundreds of megabytes or refusing.
@Suite struct GradSharedTests {
    /// `hidden` tanh units over `inputs` weights each, an output sum and a squared loss.
    static func network(hidden: Int, inputs: Int) -> String {
        var text = ""
        for k in 1...hidden {
            text += "h\(k) = tanh(" + (1...inputs).map { "0.\($0 % 9 + 1)*w\(k)_\($0)" }.joined(separator: " + ") + " + b\(k))\n"
        }
        text += "o = " + (1...hidden).map { "v\($0)*h\($0)" }.joined(separator: " + ") + " + c\n"
        return text + "loss = (o - 0.5)^2\n"
    }

    /// Checks a text listing as a user would: the definitions followed by one partial's
    /// right-hand side is a program whose value is that partial, for every partial.
    static func expectListingEvaluates(_ listing: String, program: String,
                                       sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let original = try Gradient(source: program)
        let inputs = original.staged.inputs
        let point = inputs.indices.map { 0.1 + 0.8 * Double(($0 * 7_919) % 1_000) / 1_000 }
        let expected = original.evaluate(at: point).gradient
        var definitions = ""
        var partials: [String: String] = [:]
        for line in listing.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " = ", maxSplits: 1).map(String.init)
            try #require(parts.count == 2, "not an assignment: \(line)", sourceLocation: sourceLocation)
            if parts[0].contains("/") {
                partials[String(parts[0].split(separator: "/d").last ?? "")] = parts[1]
            } else {
                definitions += line + "\n"
            }
        }
        #expect(Set(partials.keys) == Set(inputs), sourceLocation: sourceLocation)
        for (index, name) in inputs.enumerated() {
            let text = definitions + (partials[name] ?? "?")
            let value = try Gradient(source: text, variables: inputs).evaluate(at: point).value
            #expect(Swift.abs(value - expected[index]) <= 1e-9 * Swift.max(1, Swift.abs(expected[index])),
                    "d/d\(name): \(value), expected \(expected[index])", sourceLocation: sourceLocation)
        }
    }

    @Test func sharedListingIsExact() throws {
        let run = runSymdiff(["grad", "sin(x*y)*cos(x*y)", "--shared"])
        #expect(run.status == 0 && run.stderr.isEmpty)
        #expect(run.stdout == """
            # --shared: 2 shared subexpressions named t0, t1 (like SymPy's cse)
            t0 = x*y
            t1 = cos(t0)^2 - sin(t0)^2
            df/dx = y*t1
            df/dy = x*t1

            """)
        try Self.expectListingEvaluates(run.stdout, program: "sin(x*y)*cos(x*y)")
    }

    @Test func sharedJSONAndLaTeX() {
        let json = runSymdiff(["grad", "sin(x*y)*cos(x*y)", "--shared", "--format", "json"])
        #expect(json.stdout == """
            {"shared": {"t0": "x*y", "t1": "cos(t0)^2 - sin(t0)^2"}, "gradient": {"x": "y*t1", "y": "x*t1"}}

            """)
        let latex = runSymdiff(["grad", "sin(x*y)*cos(x*y)", "--shared", "--format", "latex"])
        #expect(latex.stdout == """
            % --shared: 2 shared subexpressions named t0, t1 (like SymPy's cse)
            t_{0} = x y
            t_{1} = \\cos(t_{0})^{2} - \\sin(t_{0})^{2}
            \\frac{\\partial f}{\\partial x} = y t_{1}
            \\frac{\\partial f}{\\partial y} = x t_{1}

            """)
    }

    @Test func temporariesNeverTakeAProgramName() throws {
        let program = "t0 = x*y; t1 = exp(t0); t0*t1 + t1*t1"
        let run = runSymdiff(["grad", program, "--shared"])
        #expect(run.stdout.hasPrefix("# --shared: 3 shared subexpressions named t2, t3, ... (like SymPy's cse)\nt2 = x*y\n"))
        try Self.expectListingEvaluates(run.stdout, program: program)
    }

    @Test func nothingSharedSaysSo() {
        #expect(runSymdiff(["grad", "x*y", "--shared"]).stdout
                == "# --shared: no shared subexpressions (like SymPy's cse)\ndf/dx = y\ndf/dy = x\n")
    }

    @Test func aWideNetworkPrintsSharedSubexpressionsOnce() throws {
        // As trees these 420 partials are 2.3 MB (each repeats the whole output); on the
        // benchmark's mlp at N = 8192, 840 MB.
        let program = Self.network(hidden: 20, inputs: 20)
        let run = runSymdiff(["grad", "-"], stdin: program)
        #expect(run.status == 0 && run.stderr.isEmpty)
        #expect(run.stdout.hasPrefix("# closed forms too large to print as trees (about "))
        #expect(run.stdout.split(separator: "\n").first?.hasSuffix("characters): 221 shared subexpressions named t0, t1, ... (like SymPy's cse)") == true)
        #expect(run.stdout.utf8.count < 25_000, "\(run.stdout.utf8.count) bytes")
        try Self.expectListingEvaluates(run.stdout, program: program)

        let json = runSymdiff(["grad", "-", "--format", "json"], stdin: program)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: [String: String]]
        #expect(object?["shared"]?.count == 221)
        #expect(object?["gradient"]?.count == 20 * 22 + 1)
    }

    @Test func aDeepChainThatWasRefusedPrintsShared() throws {
        // Every stage reads the previous one twice, so the trees grow as 2^100: grad used to
        // refuse ("too large to print as one formula").
        let program = (["a0 = x"] + (0..<100).map { "a\($0 + 1) = sin(a\($0))*a\($0) + y" }).joined(separator: "\n")
        let run = runSymdiff(["grad", "-"], stdin: program)
        #expect(run.status == 0 && run.stderr.isEmpty, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("# closed forms too large to print as trees (over 10^18 characters): "))
        try Self.expectListingEvaluates(run.stdout, program: program)
    }
}
