import Testing

/// Exact help and version text from the built binary. If a change to the command table is
/// intended, update these goldens in the same commit so the diff shows what users will see.
@Suite struct HelpGoldenTests {
    static let overview = """
    symdiff: symbolic differentiation and gradient code for scalar and tensor expressions

    USAGE: symdiff SUBCOMMAND EXPR [OPTIONS]

    SUBCOMMANDS:
      parse  Print the syntax tree of an expression, with source ranges.
      stage  Print the staged forward pass, one elementary operation per line.
      grad   Print the closed-form partial derivatives of an expression.
      emit   Generate NumPy or Swift code that computes an expression and its gradient.
      eval   Evaluate an expression and its gradient at a point.
      graph  Print the computational graph as Graphviz DOT.
      stats  Count the operations of the forward pass, backward pass and closed-form gradient.
      check  Compare the symbolic gradient with central finite differences.
      shape  Answer shape questions: result shapes, NumPy's rules step by step, parameters.
      help   Show the overview, or the usage and options of one subcommand.

    EXPRESSION INPUT:
      Give EXPR as one quoted argument, read it from a file with -f FILE, or pass - to read
      standard input. EXPR may start with '-', as in: symdiff eval '-log(p)' --at p=0.5
      After '--' the next argument is EXPR whatever it looks like: symdiff stats -- '-f'
      A LIST is one argument, comma-separated: --at x=1,y=pi/2 or --vars x,y,z
      Arrays: declare shapes first, 'W: (2, 2); x: (2,); sum((W @ x)^2)', and give values as
      nested lists (--at 'W=[[0.1,0.5],[-0.3,0.8]],x=[0.2,0.4]'), .npy files or --inputs FILE.json

    EXAMPLES:
      symdiff parse 'x = ln(t); y = t^3/3; z = 2x + y'
      symdiff stage 'x = ln(t); y = t^3/3; z = 2x + y' --backward
      symdiff grad 'ln(x)*sigmoid(sqrt(y))/sigmoid((x+y)^2)' --format json
      symdiff emit 'sigmoid(x)' --lang numpy --name sigma
      symdiff eval '(x + y)z' --at x=1,y=3,z=2
      symdiff graph '(x + y)z' --at x=1,y=3,z=2 --backward | dot -Tsvg > graph.svg
      symdiff stats 'ln(x)*sigmoid(sqrt(y))/sigmoid((x+y)^2)'
      symdiff check 'ln(x)*sigmoid(sqrt(y))/sigmoid((x+y)^2)' --points 100 --seed 42
      symdiff shape 'a: (4, 2); b: (2, 4, 1); a + b'

    Run 'symdiff help SUBCOMMAND' for its options. 'symdiff --version' prints the version.

    """

    static let evalHelp = """
    OVERVIEW: Evaluate an expression and its gradient at a point.

    USAGE: symdiff eval EXPR [--at LIST] [--inputs FILE] [--random SEED] [--dim LIST]
                        [--upstream VALUE] [--format text|json] [--trace] [--step LR]

    Prints the value and every partial derivative at the point given by --at and --inputs.
    A value in --at is a constant expression such as pi/2, an array literal such as
    [[0.1,0.5],[-0.3,0.8]], or @FILE, a NumPy .npy file of float64; --inputs reads a JSON
    object of numbers and nested lists, such as {"W": [[1, 2], [3, 4]], "y": 2}. Each input
    is given once; an array is for an input whose shape the program declares, as in
    x: (2,). --dim sets named dimensions (N=5); --upstream gives the upstream gradient of
    an array output. A program without inputs needs no values. A name given a value that
    the expression does not read is a variable with derivative 0 (a note says so). --trace
    adds the forward and backward tables, one row per staged equation; --step LR adds the
    point after one gradient-descent step, x - LR * df/dx. --random SEED draws the inputs
    --at and --inputs do not give: reals uniform in [-3, 3), labels in range where the
    program fixes their number of classes, named dimensions from --dim (3 when not set,
    with a note); it is the first point check --seed SEED visits.

    OPTIONS:
      --at LIST         Values of the inputs, e.g. x=1,y=pi/2 or W=[[1,2],[3,4]],x=@x.npy.
      --inputs FILE     Values of the inputs from a JSON object, e.g. {"x": [1, 2]}.
      --random SEED     Draw the inputs not given at a seeded random point, e.g. 1.
      --dim LIST        Sizes of named dimensions, e.g. N=5,B=2.
      --upstream VALUE  Upstream gradient of an array output, e.g. [1,-2] or @d.npy.
      --format FORMAT   Output format: text (default) or json.
      --trace           Also print the forward and backward tables.
      --step LR         Also print one gradient-descent step with learning rate LR.
      --no-rewrite      Keep naive formulas as written (no stability rewrites such as log(softmax) -> log_softmax).
      -f, --file FILE   Read the expression from FILE instead of the argument.
      --vars LIST       Input variables in this order, e.g. x,y,z (default: order of first use).
      -h, --help        Show help for this subcommand.

    EXAMPLES:
      symdiff eval '(x + y)z' --at x=1,y=3,z=2
      symdiff eval 'ln(x)*sigmoid(sqrt(y))/sigmoid((x+y)^2)' --at x=2,y=pi/2 --trace
      symdiff eval '(x - 3)^2' --at x=1 --step 0.1
      symdiff eval 'x: (B, 1, 8, 8); w: (4, 1, 3, 3); sum(maxpool2d(conv2d(x, w), 2))' --random 1 --dim B=2

    """

    @Test(arguments: [["--help"], ["-h"], ["help"]])
    func overviewGoesToStdout(arguments: [String]) {
        let result = runSymdiff(arguments)
        #expect(result.stdout == Self.overview)
        #expect(result.stderr == "")
        #expect(result.status == 0)
    }

    @Test func noArgumentsIsAUsageErrorWithTheOverviewOnStderr() {
        let result = runSymdiff([])
        #expect(result.stdout == "")
        #expect(result.stderr == Self.overview)
        #expect(result.status == 2)
    }

    @Test(arguments: [["help", "eval"], ["eval", "--help"], ["eval", "-h"], ["eval", "x", "--at", "x=1", "--help"]])
    func subcommandHelp(arguments: [String]) {
        let result = runSymdiff(arguments)
        #expect(result.stdout == Self.evalHelp)
        #expect(result.stderr == "")
        #expect(result.status == 0)
    }

    @Test func helpWinsOverMissingRequirements() {
        // `emit` requires --lang and an expression, but asking for help needs neither.
        let result = runSymdiff(["emit", "--help"])
        #expect(result.stdout.hasPrefix("OVERVIEW: Generate NumPy or Swift code"))
        #expect(result.status == 0)
    }

    @Test func version() {
        let result = runSymdiff(["--version"])
        #expect(result.stdout == "symdiff 0.1.0\n")
        #expect(result.stderr == "")
        #expect(result.status == 0)
    }
}
