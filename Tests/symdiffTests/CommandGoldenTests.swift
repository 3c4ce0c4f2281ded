import Foundation
import Testing

/// End-to-end runs of the built binary on the worksheet exercises, against exact output.
@Suite struct CommandGoldenTests {
    @Test func stageFirstExercise() {
        let run = runSymdiff(["stage", "(x + y)z"])
        #expect(run.stdout == "a = x + y\nout = a * z\n")
        #expect(run.stderr == "")
        #expect(run.status == 0)
    }

    @Test func stageWithBackwardPass() {
        let run = runSymdiff(["stage", "(x + y)z", "--backward"])
        #expect(run.stdout == """
            # forward pass
            a = x + y
            out = a * z
            # backward pass (d<name> is dout/d<name>)
            da = z
            dz = a
            dx = da
            dy = da

            """)
    }

    @Test func stageExpandsSigmoidAsTheWorksheetHint() {
        let run = runSymdiff(["stage", "sigmoid(x)", "--expand"])
        #expect(run.stdout == "a = -x\nb = exp(a)\nc = 1 + b\nout = 1 / c\n")
    }

    @Test func stageKeepsStatementNames() {
        let run = runSymdiff(["stage", "x = ln(t); y = t^3/3; z = 2x + y"])
        #expect(run.stdout == "x = ln(t)\na = t^3\ny = a / 3\nb = 2 * x\nz = b + y\n")
    }

    @Test func gradText() {
        #expect(runSymdiff(["grad", "(x^2 + 2y)z^3"]).stdout == "df/dx = 2*x*z^3\ndf/dy = 2*z^3\ndf/dz = 3*z^2*(x^2 + 2*y)\n")
        #expect(runSymdiff(["grad", "x = ln(t); y = t^3/3; z = 2x + y"]).stdout == "dz/dt = t^2 + 2/t\n")
        #expect(runSymdiff(["grad", "sigmoid(x)"]).stdout == "df/dx = sigmoid(x)*(1 - sigmoid(x))\n")
    }

    @Test func gradJSONIsExactlyTheContract() {
        let run = runSymdiff(["grad", "(x + y)z", "--format", "json"])
        #expect(run.stdout == "{\"gradient\": {\"x\": \"z\", \"y\": \"z\", \"z\": \"x + y\"}}\n")
    }

    @Test func gradWithRespectToChosenVariables() {
        #expect(runSymdiff(["grad", "(x + y)z", "--wrt", "z,x"]).stdout == "df/dz = x + y\ndf/dx = z\n")
        // A variable the output ignores has derivative 0 (the worksheet's g(x, y, z)).
        #expect(runSymdiff(["grad", "(ln(x) + sin(y))^2 + 4x", "--wrt", "x,y,z"]).stdout
                == "df/dx = 2*(ln(x) + sin(y))/x + 4\ndf/dy = 2*cos(y)*(ln(x) + sin(y))\ndf/dz = 0\n")
    }

    @Test func evalText() {
        let run = runSymdiff(["eval", "(x + y)z", "--at", "x=1,y=3,z=2"])
        #expect(run.stdout == "f = 8\ndf/dx = 2\ndf/dy = 2\ndf/dz = 4\n")
        #expect(run.status == 0)
    }

    @Test func evalJSONIsExactlyTheContract() {
        let run = runSymdiff(["eval", "(x + y)z", "--at", "x=1,y=3,z=2", "--format", "json"])
        #expect(run.stdout == "{\"value\": 8, \"gradient\": {\"x\": 2, \"y\": 2, \"z\": 4}}\n")
    }

    @Test func evalAcceptsConstantExpressionsAsValues() {
        let run = runSymdiff(["eval", "(ln(x) + sin(y))^2 + 4x", "--at", "x=e,y=pi/2,z=2", "--vars", "x,y,z", "--format", "json"])
        #expect(run.stdout == "{\"value\": 14.87312731383618, \"gradient\": {\"x\": 5.471517764685769, \"y\": 2.4492935982947064e-16, \"z\": 0}}\n")
    }

    @Test func evalNonFiniteNumbersAreJSONStrings() {
        let run = runSymdiff(["eval", "1/x", "--at", "x=0", "--format", "json"])
        #expect(run.stdout == "{\"value\": \"inf\", \"gradient\": {\"x\": \"-inf\"}}\n")
        #expect(run.stderr.hasPrefix("warning: the value is inf"))
    }

    @Test func evalGradientDescentStep() {
        let run = runSymdiff(["eval", "sigmoid(x)", "--at", "x=2", "--step", "0.2"])
        #expect(run.stdout.hasSuffix("after one gradient-descent step of size 0.2:\nx = 2 - 0.2 * 0.10499358540350662 = 1.9790012829192987\n"))
    }

    @Test func evalTraceShowsTheWorksheetTables() {
        let run = runSymdiff(["eval", "(x + y)z", "--at", "x=1,y=3,z=2", "--trace"])
        #expect(run.stdout == """
            forward pass
              x    (input)  = 1
              y    (input)  = 3
              z    (input)  = 2
              a    = x + y  = 4
              out  = a * z  = 8

            backward pass (one row per edge, from the output back; d<name> = dout/d<name>)
              gate         input  upstream  local  contribution  gradient
              out = a * z  a      1         2      2             da = 2
              out = a * z  z      1         4      4             dz = 4
              a = x + y    x      2         1      2             dx = 2
              a = x + y    y      2         1      2             dy = 2

            f = 8
            df/dx = 2
            df/dy = 2
            df/dz = 4

            """)
    }

    @Test func evalTraceShowsTheSumWhereAValueFansOut() {
        let run = runSymdiff(["eval", "sin(theta*x1 + x2) + theta*x2^2", "--at", "x1=1,x2=2,theta=1/2", "--trace"])
        #expect(run.stdout.contains("dx2 = 2 - 0.8011436155469337 = 1.1988563844530664"))
        #expect(run.stdout.contains("dtheta = 4 - 0.8011436155469337 = 3.1988563844530664"))
    }

    @Test func evalWarnsAtAKink() {
        let run = runSymdiff(["eval", "relu(x)", "--at", "x=0"])
        #expect(run.status == 0)
        #expect(run.stderr == "warning: 'out = relu(x)' is exactly at a kink; using the convention relu'(0) = 0\n")
    }

    @Test func emitBothLanguages() {
        let python = runSymdiff(["emit", "(x + y)z", "--lang", "numpy", "--name", "f"])
        #expect(python.stdout.contains("def f(x, y, z):"))
        #expect(python.stdout.contains("return out, dx, dy, dz"))
        let swift = runSymdiff(["emit", "(x + y)z", "--lang", "swift", "--closed-form"])
        #expect(swift.stdout.contains("func f(_ x: Double, _ y: Double, _ z: Double) -> (value: Double, dx: Double, dy: Double, dz: Double)"))
    }

    @Test func emitWritesAFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("symdiff-emit-\(UUID().uuidString).py").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = runSymdiff(["emit", "sigmoid(x)", "--lang", "numpy", "-o", path])
        #expect(run.status == 0 && run.stdout.isEmpty)
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("def f(x):"))
    }

    @Test func statsShowsTheCostOfTheGradient() {
        let run = runSymdiff(["stats", "(x + y)z"])
        #expect(run.stdout == """
            inputs                                            3
            forward ops                                       2
            backward ops (staged)                             0
            (forward + backward) / forward                    1.00
            closed-form partials, each as a tree              1
            closed-form partials, shared subexpressions once  1

            """)
    }

    @Test func checkAgreesOnTheComplexLayer() {
        let run = runSymdiff(["check", "ln(x)*sigmoid(sqrt(y))/sigmoid((x+y)^2)", "--points", "20"])
        #expect(run.status == 0)
        #expect(run.stdout.hasSuffix("ok: the symbolic gradient agrees with central finite differences\n"))
    }

    /// Found with --points 1000000 on the complex layer: y = 6.9e-6 is closer to sqrt's edge
    /// than the finite-difference step, and a correct gradient was reported wrong.
    @Test func checkNearTheEdgeOfTheDomain() {
        let run = runSymdiff(["check", "ln(x)*sigmoid(sqrt(y))/sigmoid((x+y)^2)", "--at", "x=0.8700939634859512,y=6.925689215897535e-06"])
        #expect(run.status == 0)
        #expect(run.stdout.hasSuffix("ok: the symbolic gradient agrees with central finite differences\n"))
        #expect(runSymdiff(["check", "sqrt(y)", "--at", "y=1e-7"]).status == 0)
    }

    /// Outside the domain there is nothing to check; eval and check say so the same way.
    @Test func checkOutsideTheDomain() {
        let run = runSymdiff(["check", "ln(x)", "--at", "x=-1"])
        #expect(run.stderr == "error: the value is nan at this point: equation 'out = ln(x)' is the first to produce it (a domain error?)\n")
        #expect(run.stdout == "")
        #expect(run.status == 1)
    }

    @Test func checkSaysWhenFewerPointsWereFinite() {
        let run = runSymdiff(["check", "sqrt(x - 2.999)", "--points", "20"])
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("worst case per variable over 3 points:\n"))
        #expect(run.stderr == "note: only 3 of 20000 random points in [-3, 3] had a finite value and gradient; checked those\n")
    }

    @Test func inputFromStandardInputAndFile() throws {
        #expect(runSymdiff(["grad", "-"], stdin: "(x + y)z\n").stdout == "df/dx = z\ndf/dy = z\ndf/dz = x + y\n")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("symdiff-\(UUID().uuidString).txt").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "# chain rule\nx = t^2\ny = 2t\nz = x^2 y - y^2\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(runSymdiff(["grad", "-f", path]).stdout == "dz/dt = 10*t^4 - 8*t\n")
    }

    /// Losses such as cross-entropy start with '-': as the argument, or after '--' with the
    /// options following it.
    @Test(arguments: [
        ["eval", "-x", "--at", "x=1"],
        ["eval", "--", "-x", "--at", "x=1"],
        ["eval", "--at", "x=1", "--", "-x"],
        ["eval", "--at", "x=1", "-x"],
    ])
    func expressionStartingWithMinus(_ args: [String]) {
        let run = runSymdiff(args)
        #expect(run.stdout == "f = -1\ndf/dx = -1\n")
        #expect(run.stderr == "")
        #expect(run.status == 0)
    }

    @Test func crossEntropyLoss() {
        let run = runSymdiff(["grad", "-y*ln(p) - (1 - y)*ln(1 - p)", "--wrt", "p"])
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("df/dp = "))
    }

    // MARK: - Errors and exit codes

    @Test func parseErrorRendersWithCaretAndExitsOne() {
        let run = runSymdiff(["eval", "x^2 + sigmod(x)", "--at", "x=1"])
        #expect(run.status == 1)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr == """
            input:1:7: error: unknown function 'sigmod'; did you mean 'sigmoid'?
            x^2 + sigmod(x)
                  ^~~~~~
            note: to multiply, write 'sigmod*(...)'

            """)
    }

    @Test(arguments: [
        (["eval", "x + y", "--at", "x=1"], "error: no value for 'y' (add y=... to --at)\n"),
        (["eval", "ln(x)", "--at", "x=-1"], "error: the value is nan at this point: equation 'out = ln(x)' is the first to produce it (a domain error?)\n"),
        (["eval", "x", "--at", "x=y"], "error: the value of 'x' must be a constant expression, but it reads 'y'\n"),
        (["grad", "x + y", "--vars", "x,x"], "error: variable 'x' is listed twice\n"),
    ] as [([String], String)])
    func inputProblemsExitOne(_ args: [String], _ stderr: String) {
        let run = runSymdiff(args)
        #expect(run.status == 1)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr == stderr)
    }

    @Test func badFunctionNameIsAUsageError() {
        let run = runSymdiff(["emit", "x", "--lang", "numpy", "--name", "def"])
        #expect(run.status == 2)
        #expect(run.stdout.isEmpty)
    }
}

/// The commands that print for other tools: LaTeX and Graphviz.
@Suite struct PrinterCommandTests {
    @Test func gradLaTeX() {
        let run = runSymdiff(["grad", "(x^2 + 2y)z^3", "--format", "latex"])
        #expect(run.stdout == """
            \\frac{\\partial f}{\\partial x} = 2 x z^{3}
            \\frac{\\partial f}{\\partial y} = 2 z^{3}
            \\frac{\\partial f}{\\partial z} = 3 z^{2} \\left(x^{2} + 2 y\\right)

            """)
    }

    @Test func graphWithValuesAndBackwardEdgesIsValidDOT() throws {
        let run = runSymdiff(["graph", "(x + y)z", "--at", "x=1,y=3,z=2", "--backward"])
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("digraph symdiff {\n"))
        #expect(run.stdout.contains("n4 [label=\"out = a * z\\nvalue 8\\ngrad 1\", shape=box, peripheries=2];"))
        #expect(run.stdout.contains("n4 -> n3 [label=\"z\\nlocal 2\", style=dashed"))
        let dot = Process()
        dot.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        dot.arguments = ["dot", "-Tsvg", "-o", "/dev/null"]
        let input = Pipe()
        dot.standardInput = input
        try dot.run()
        input.fileHandleForWriting.write(Data(run.stdout.utf8))
        try input.fileHandleForWriting.close()
        dot.waitUntilExit()
        #expect(dot.terminationStatus == 0, "Graphviz's dot rejected the output (install graphviz if it is missing: scripts/test does)")
    }
}

/// The JSON contract says every derivative is input text that parses back, deep programs too.
@Suite struct RoundTripOfPrintedGradients {
    @Test func deepChainGradientsParseBack() throws {
        let program = (["a0 = x"] + (0..<300).map { "a\($0 + 1) = a\($0)*y + x" }).joined(separator: "\n")
        let run = runSymdiff(["grad", "-", "--format", "json"], stdin: program)
        #expect(run.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: [String: String]]
        let gradient = try #require(object?["gradient"])
        #expect(Set(gradient.keys) == ["x", "y"])
        for (name, text) in gradient {
            let reparsed = runSymdiff(["parse", "-", "--print"], stdin: text)
            #expect(reparsed.status == 0, "d/d\(name) does not parse back: \(reparsed.stderr.prefix(200))")
        }
    }
}
