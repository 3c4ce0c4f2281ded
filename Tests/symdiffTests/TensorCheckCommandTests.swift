import ExprParse
@testable import Symbolic
import Testing

/// `symdiff check` on programs with arrays: the built binary on correct programs (exact text),
/// and in-process on a gradient with a planted wrong rule, which must fail naming the input,
/// the element and the stage.
@Suite struct TensorCheckCommandTests {
    static let normSquared = "W: (2, 2); x: (2,); sum((W @ x)^2)"
    static let worksheetPoint = "W=[[0.1,0.5],[-0.3,0.8]],x=[0.2,0.4]"

    @Test func theWorksheetExerciseAgrees() {
        let run = runSymdiff(["check", Self.normSquared, "--at", Self.worksheetPoint])
        #expect(run.stdout == """
            worst directional derivative per input over 1 point (along random directions v):
              input  shape   <grad, v>             finite difference     abs error  rel error
              W      (2, 2)  0.23405717101878168   0.23405717102104037   2.26e-12   2.26e-12
              x      (2,)    -0.15289233796488844  -0.15289233796789148  3.00e-12   3.00e-12
            ok: the symbolic gradient agrees with central finite differences

            """)
        #expect(run.stderr == "")
        #expect(run.status == 0)
    }

    /// Random points: N takes the default size with a note, labels are drawn in range.
    @Test func aBatchCrossEntropyAgreesAtRandomPoints() {
        let program = "X: (N, 3); W: (3, 4); b: (4,); y: int (N,); cross_entropy(X @ W + b, y)"
        let run = runSymdiff(["check", program, "--points", "3"])
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("worst directional derivative per input over 3 points (along random directions v):\n"
                                     + "  input  shape   <grad, v>"))
        #expect(run.stdout.contains("\n  X      (3, 3)  "))
        #expect(run.stdout.hasSuffix("\nok: the symbolic gradient agrees with central finite differences\n"))
        #expect(run.stderr == "note: dimension N is not set; the random points use 3 (set it with --dim N=SIZE)\n")
        let sized = runSymdiff(["check", program, "--points", "3", "--dim", "N=5"])
        #expect(sized.stdout.contains("\n  X      (5, 3)  "))
        #expect(sized.stderr == "")
    }

    @Test func anArrayOutputIsCheckedThroughARandomUpstream() {
        let run = runSymdiff(["check", "W: (2, 2); x: (2,); W @ x", "--at", Self.worksheetPoint])
        #expect(run.status == 0)
        #expect(run.stderr == "note: the output is an array of shape (2,); checked the gradient of sum(out * u) for a random "
                + "upstream u with entries in [-1, 1) (give --upstream to choose u)\n")
        let given = runSymdiff(["check", "W: (2, 2); x: (2,); W @ x", "--at", Self.worksheetPoint, "--upstream", "[1,-2]"])
        #expect(given.status == 0)
        #expect(given.stderr == "")
    }

    /// A tie is a convention finite differences cannot confirm: a warning, not a failure.
    @Test func aTieWarnsAndPasses() {
        let run = runSymdiff(["check", "z: (3,); max(z)", "--at", "z=[1,3,3]"])
        #expect(run.status == 0)
        #expect(run.stderr == "warning: 'out = max(z)' is exactly at a kink or tie (max tie: the gradient goes to the first maximal "
                + "element (row-major)); finite differences cannot check it there\n")
        #expect(run.stdout.hasSuffix("ok: the symbolic gradient agrees with central finite differences wherever they can check it "
                                     + "(it differs only at a kink or tie, where it follows the convention warned about)\n"))
    }

    @Test func outsideTheDomainIsAnInputError() {
        let run = runSymdiff(["check", "z: (3,); sum(ln(z))", "--at", "z=[1,-3,3]"])
        #expect(run.stderr == "error: the value is nan at this point: equation 'a = ln(z)' is the first to produce it (a domain error?)\n")
        #expect(run.stdout == "")
        #expect(run.status == 1)
    }

    /// `b = a^2` given the partial 3a instead of 2a, as a wrong rule would: exit 1, naming W,
    /// its worst element and the stage `a` whose adjoint is the first wrong one.
    @Test func aPlantedWrongPartialFailsWithInputElementAndStage() throws {
        var gradient = try Gradient(source: Self.normSquared)
        let index = try #require(gradient.contributions.firstIndex { gradient.staged.names[$0.target] == "a" })
        let c = gradient.contributions[index]
        gradient.contributions[index] = Contribution(target: c.target, source: c.source, argument: c.argument,
                                                     partial: gradient.graph.mul(gradient.graph.integer(3), c.target),
                                                     accumulates: c.accumulates)
        let arguments = try ArgumentParser.parse([Self.normSquared, "--at", Self.worksheetPoint], for: CheckCommand.spec)
        let (io, captured) = IO.capturing()
        let point = TensorGradientCheck.Point(values: [try Tensor(shape: [2, 2], scalars: [0.1, 0.5, -0.3, 0.8]), Tensor(vector: [0.2, 0.4])])
        let error = try #require(throws: CLIError.self) { try CheckCommand.runTensors(arguments, gradient, given: point, io) }
        #expect(error.exitStatus == .inputProblem)
        #expect(captured.stdout.hasPrefix("worst directional derivative per input over 1 point"))
        #expect("\(error)" == "d/dW disagrees along a random direction v at W=[[0.1, 0.5], [-0.3, 0.8]], x=[0.2, 0.4]: "
                + "<grad, v> = 0.35108575652817253, finite difference 0.23405717102104037; worst element W[1, 1]: "
                + "symbolic 0.3120000000000001, finite difference 0.20800000000292804; "
                + "the first stage whose adjoint is wrong is 'a = W @ x'")
    }
}
