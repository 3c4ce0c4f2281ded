import Testing

/// `--at`: each value is one constant expression, and the names it gives may include variables
/// the expression ignores (the worksheet's g(x, y, z) never reads z), but not constants,
/// functions or names the program computes.
@Suite struct PointArgumentTests {
    // MARK: - One expression per value

    @Test(arguments: [
        // `x=1;y=2` parsed as a program and silently gave x the value 2.
        (["eval", "x", "--at", "x=1;y=2"],
         "error: the value of 'x' must be one expression, but '1;y=2' has 2 statements; "
         + "separate assignments with commas: --at 'x=1,y=2'\n"),
        (["eval", "x + y", "--at", "x=1;y=2"],
         "error: the value of 'x' must be one expression, but '1;y=2' has 2 statements; "
         + "separate assignments with commas: --at 'x=1,y=2'\n"),
        // `x=q=3` gave x the value 3.
        (["eval", "x", "--at", "x=q=3"], "error: the value of 'x' must be one expression, but 'q=3' assigns 'q'\n"),
        (["eval", "x", "--at", "x=1;2"], "error: the value of 'x' must be one expression, but '1;2' has 2 statements\n"),
        (["check", "x", "--at", "x=q=3"], "error: the value of 'x' must be one expression, but 'q=3' assigns 'q'\n"),
        (["graph", "x", "--at", "x=1;y=2"],
         "error: the value of 'x' must be one expression, but '1;y=2' has 2 statements; "
         + "separate assignments with commas: --at 'x=1,y=2'\n"),
    ] as [([String], String)])
    func valueMustBeOneExpression(_ args: [String], _ stderr: String) {
        let run = runSymdiff(args)
        #expect(run.stderr == stderr)
        #expect(run.stdout == "")
        #expect(run.status == 1)
    }

    @Test func valueMayEndInAnEmptyStatement() {
        #expect(runSymdiff(["eval", "x", "--at", "x=pi/2;"]).stdout == "f = 1.5707963267948966\ndf/dx = 1\n")
    }

    // MARK: - Names the expression ignores

    /// The worksheet's exercise typed as it reads: g(x, y, z) at x = e, y = pi/2, z = 2.
    @Test func worksheetPointWithAnIgnoredVariable() {
        let run = runSymdiff(["eval", "(ln(x) + sin(y))^2 + 4x", "--at", "x=e,y=pi/2,z=2"])
        #expect(run.stdout == "f = 14.87312731383618\ndf/dx = 5.471517764685769\ndf/dy = 2.4492935982947064e-16\ndf/dz = 0\n")
        #expect(run.stderr == "note: 'z' does not appear in the expression, so df/dz = 0\n")
        #expect(run.status == 0)
        let json = runSymdiff(["eval", "(ln(x) + sin(y))^2 + 4x", "--at", "x=e,y=pi/2,z=2", "--format", "json"])
        #expect(json.stdout == "{\"value\": 14.87312731383618, \"gradient\": {\"x\": 5.471517764685769, \"y\": 2.4492935982947064e-16, \"z\": 0}}\n")
    }

    @Test func checkAndGraphAcceptTheSamePoint() {
        let check = runSymdiff(["check", "x*y", "--at", "x=1,y=2,z=3"])
        #expect(check.status == 0)
        #expect(check.stdout.contains("\n  z         0         0                   0.00e+00   0.00e+00\n"))
        #expect(check.stderr == "note: 'z' does not appear in the expression, so df/dz = 0\n")
        let graph = runSymdiff(["graph", "x*y", "--at", "x=1,y=2,z=3"])
        #expect(graph.status == 0)
        #expect(graph.stdout.contains("n2 [label=\"z\\nvalue 3\\ngrad 0\""))
        #expect(graph.stderr == "note: 'z' does not appear in the expression, so df/dz = 0\n")
    }

    @Test func gradWithRespectToAnIgnoredVariableNotesIt() {
        let run = runSymdiff(["grad", "x*y", "--wrt", "x,z"])
        #expect(run.stdout == "df/dx = y\ndf/dz = 0\n")
        #expect(run.stderr == "note: 'z' does not appear in the expression, so df/dz = 0\n")
    }

    @Test(arguments: [
        (["eval", "e*x", "--at", "e=5,x=1"],
         "error: 'e' is Euler's number (2.718281828459045), a constant, not an input: --at cannot set it (its inputs: x)\n"),
        (["eval", "x", "--at", "x=1,pi=3"],
         "error: 'pi' is the constant π (3.141592653589793), not an input: --at cannot set it (its inputs: x)\n"),
        (["eval", "x", "--at", "x=1,sin=2"], "error: 'sin' is a function, not an input: --at cannot set it (its inputs: x)\n"),
        (["check", "x = ln(t); 2x", "--at", "t=1,x=2"],
         "error: 'x' is computed by the program, not an input: --at cannot set it (its inputs: t)\n"),
        (["grad", "e*x", "--wrt", "x,e"],
         "error: 'e' is Euler's number (2.718281828459045), a constant, not an input: --vars/--wrt cannot list it (its inputs: x)\n"),
        // A typo leaves an input without a value: the error says which given name it probably was.
        (["eval", "theta*x", "--at", "thetta=1,x=2"],
         "error: no value for 'theta' (add theta=... to --at); 'thetta' does not appear in the expression: did you mean 'theta'?\n"),
        (["eval", "x + y", "--at", "x=1"], "error: no value for 'y' (add y=... to --at)\n"),
    ] as [([String], String)])
    func namesThatCannotBeInputs(_ args: [String], _ stderr: String) {
        let run = runSymdiff(args)
        #expect(run.stderr == stderr)
        #expect(run.stdout == "")
        #expect(run.status == 1)
    }
}
