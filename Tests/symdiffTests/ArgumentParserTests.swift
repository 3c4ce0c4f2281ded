import Testing

/// In-process tests of `ArgumentParser` and `ParsedArguments` against the real command specs.
@Suite struct ArgumentParserTests {
    private func parse(_ arguments: [String], _ spec: CommandSpec = EvalCommand.spec) throws -> ParsedArguments {
        try ArgumentParser.parse(arguments, for: spec)
    }

    /// The usage message an invocation fails with, or nil if it parses.
    private func usageError(_ arguments: [String], _ spec: CommandSpec = EvalCommand.spec) -> String? {
        do {
            _ = try parse(arguments, spec)
            return nil
        } catch let CLIError.usage(message) {
            return message
        } catch {
            return "unexpected error: \(error)"
        }
    }

    // MARK: - Values

    @Test func valueAsNextArgumentOrAfterEquals() throws {
        #expect(try parse(["x", "--at", "x=1"]).value("--at") == "x=1")
        #expect(try parse(["x", "--at=x=1"]).value("--at") == "x=1")
        #expect(try parse(["x", "--at=x=max(1,2)"]).value("--at") == "x=max(1,2)")
    }

    @Test func valuesMayLookLikeOptionsOrNegativeNumbers() throws {
        let parsed = try parse(["x", "--at", "x=-1", "--step", "-0.5"])
        #expect(parsed.value("--at") == "x=-1")
        #expect(try parsed.double("--step") == -0.5)
        #expect(try parse(["x", "--at", "x=1", "--step", "--trace"]).value("--step") == "--trace")
    }

    @Test func flags() throws {
        let parsed = try parse(["x", "--at", "x=1", "--trace"])
        #expect(parsed.flag("--trace"))
        #expect(try !parse(["x", "--at", "x=1"]).flag("--trace"))
        #expect(usageError(["x", "--at", "x=1", "--trace=yes"]) == "option '--trace' does not take a value")
    }

    @Test func synonymIsStoredUnderCanonicalName() throws {
        let parsed = try parse(["x*y", "--wrt", "y, x"], GradCommand.spec)
        #expect(try parsed.list("--vars") == ["y", "x"])
    }

    @Test func listRejectsEmptyItems() throws {
        let parsed = try parse(["x", "--vars", "x,,y"], GradCommand.spec)
        #expect(throws: CLIError.usage("option '--vars' has an empty item in 'x,,y'")) { try parsed.list("--vars") }
    }

    @Test func typedAccessorsThrowUsageErrors() throws {
        let parsed = try parse(["x", "--at", "x=1", "--step", "fast"])
        #expect(throws: CLIError.usage("invalid value 'fast' for '--step': expected a number")) {
            try parsed.double("--step")
        }
        let check = try parse(["x", "--points", "many"], CheckCommand.spec)
        #expect(throws: CLIError.usage("invalid value 'many' for '--points': expected a whole number")) {
            try check.integer("--points")
        }
        let grad = try parse(["x", "--format", "json"], GradCommand.spec)
        #expect(try grad.choice("--format", among: ["text", "json"]) == "json")
        #expect(throws: CLIError.usage("invalid value 'json' for '--format': expected 'text' or 'latex'")) {
            try grad.choice("--format", among: ["text", "latex"])
        }
    }

    @Test func choicesInTheTableAreCheckedWhileParsing() {
        #expect(usageError(["x", "--format", "jsn"], GradCommand.spec)
                == "invalid value 'jsn' for '--format': expected 'text', 'json' or 'latex'; did you mean 'json'?")
    }

    // MARK: - Errors

    @Test func repeatedOption() {
        #expect(usageError(["x", "--at", "x=1", "--at", "x=2"]) == "option '--at' given more than once")
        #expect(usageError(["x", "--vars", "x", "--wrt", "y"], GradCommand.spec)
                == "option '--wrt' given more than once (also as '--vars')")
    }

    @Test func repeatedFlagIsHarmless() throws {
        #expect(try parse(["x", "--expand", "--expand"], StageCommand.spec).flag("--expand"))
    }

    @Test func unknownOptionSuggestsNearest() {
        #expect(usageError(["x", "--at", "x=1", "--fromat", "json"])
                == "unknown option '--fromat' for 'eval'; did you mean '--format'?")
        #expect(usageError(["x", "-at", "x=1"]) == "unknown option '-at' for 'eval'; did you mean '--at'?")
        // Before the expression, the one-dash spelling of a long option could also be meant as
        // an expression, so the message says how to pass it as one.
        #expect(usageError(["-at", "x=1", "x"])
                == "unknown option '-at' for 'eval'; did you mean '--at'? (if '-at' is the expression, put '--' before it: -- '-at')")
        #expect(usageError(["-fromat", "json"])
                == "unknown option '-fromat' for 'eval'; did you mean '--format'? (if '-fromat' is the expression, put '--' before it: -- '-fromat')")
        #expect(usageError(["x", "--bogus"], StatsCommand.spec) == "unknown option '--bogus' for 'stats'")
    }

    /// Cross-entropy losses start with '-'; before the expression such a word is the expression.
    @Test(arguments: ["-x", "-x^2", "-log(p)", "-(a+b)", "-2*x", "-y*ln(p) - (1-y)*ln(1-p)", "-ab", "-theta"])
    func dashWordBeforeTheExpressionIsTheExpression(_ word: String) throws {
        #expect(try parse([word], GradCommand.spec).expressionSource == .argument(word))
        #expect(try parse(["--at", "x=1", word]).expressionSource == .argument(word))
    }

    @Test func knownShortOptionsStayOptions() throws {
        #expect(try parse(["-f", "e.txt", "--at", "x=1"]).expressionSource == .file(path: "e.txt"))
        #expect(try parse(["-h"]).flag("--help"))
        #expect(try parse(["-", "--at", "x=1"]).expressionSource == .standardInput)
    }

    @Test func dashWordAfterTheExpressionIsAnOption() {
        #expect(usageError(["x", "-y"], GradCommand.spec) == "unknown option '-y' for 'grad'; quote an expression that contains spaces: 'x -y'")
        #expect(usageError(["x", "--at", "x=1", "-fromat", "json"]) == "unknown option '-fromat' for 'eval'; did you mean '--format'?")
    }

    @Test func missingValue() {
        #expect(usageError(["x", "--at"]) == "option '--at' needs a value")
        #expect(usageError(["x", "--lang", "numpy", "-o"], EmitCommand.spec) == "option '-o' needs a value")
    }

    @Test func tooManyPositionals() {
        #expect(usageError(["x", "+", "y", "--at", "x=1"])
                == "unexpected argument '+' for 'eval': the expression is already 'x'; "
                + "quote an expression that contains spaces: 'x + y'")
        #expect(usageError(["x", "--at", "x=1", "y"])
                == "unexpected argument 'y' for 'eval': the expression is already 'x'; give the expression as one argument")
    }

    /// `--at x=1 y=3 z=2` is three arguments; the message shows the one that was meant.
    @Test func listSplitBySpaces() {
        #expect(usageError(["(x+y)z", "--at", "x=1", "y=3", "z=2"])
                == "unexpected argument 'y=3' for 'eval': separate the values of --at with commas, not spaces: --at x=1,y=3,z=2")
        #expect(usageError(["--at", "x=1", "y=3", "(x+y)z"])
                == "unexpected argument 'y=3' for 'eval': separate the values of --at with commas, not spaces: --at x=1,y=3")
        #expect(usageError(["x", "--at=x=max(1,2)", "y=3"])
                == "unexpected argument 'y=3' for 'eval': separate the values of --at with commas, not spaces: --at 'x=max(1,2),y=3'")
        #expect(usageError(["x*y", "--wrt", "x", "y"], GradCommand.spec)
                == "unexpected argument 'y' for 'grad': separate the values of --wrt with commas, not spaces: --wrt x,y")
    }

    @Test func requiredAndExclusiveOptions() {
        #expect(usageError(["x"], EmitCommand.spec) == "missing option '--lang LANG' for 'emit'")
        #expect(usageError(["x", "--at", "x=1", "--points", "3"], CheckCommand.spec)
                == "options '--at' and '--points' cannot be used together")
        #expect(usageError(["x", "--inputs", "v.json", "--points", "3"], CheckCommand.spec)
                == "options '--inputs' and '--points' cannot be used together")
        // eval's --at is no longer required by the table: --inputs may give the values, and a
        // program without inputs needs none (TensorPointTests checks what eval then says).
        #expect(usageError(["x"]) == nil)
    }

    @Test func helpSkipsRequirements() throws {
        #expect(try parse(["--help"]).flag("--help"))
        #expect(try parse(["-h"], EmitCommand.spec).flag("--help"))
    }

    // MARK: - Expression source

    @Test func expressionSources() throws {
        #expect(try parse(["x", "--at", "x=1"]).expressionSource == .argument("x"))
        #expect(try parse(["-", "--at", "x=1"]).expressionSource == .standardInput)
        #expect(try parse(["-f", "-", "--at", "x=1"]).expressionSource == .standardInput)
        #expect(try parse(["-f", "e.txt", "--at", "x=1"]).expressionSource == .file(path: "e.txt"))
        #expect(try parse(["--file=e.txt", "--at", "x=1"]).expressionSource == .file(path: "e.txt"))
    }

    /// `--` makes the next argument the expression; options after it still count.
    @Test func doubleDashMarksTheExpression() throws {
        let parsed = try parse(["--at", "x=1", "--", "-x^2"])
        #expect(parsed.expressionSource == .argument("-x^2"))
        #expect(try parse(["--", "--at"], StatsCommand.spec).expressionSource == .argument("--at"))
        #expect(try parse(["--", "-f"], StatsCommand.spec).expressionSource == .argument("-f"))
        let after = try parse(["--", "-x", "--at", "x=1", "--trace"])
        #expect(after.expressionSource == .argument("-x"))
        #expect(after.value("--at") == "x=1")
        #expect(after.flag("--trace"))
    }

    @Test func missingOrDoubleExpression() {
        #expect(usageError(["--at", "x=1"])
                == "missing expression: give it as an argument, with -f FILE, or - for standard input")
        #expect(usageError(["x", "-f", "e.txt", "--at", "x=1"])
                == "the expression is given both as 'x' and with --file; give only one")
    }
}
