import Testing

/// `symdiff check` on programs finite differences cannot always resolve: inconclusive, not wrong.
@Suite struct CheckVerdictCommandTests {
    static let chain: String = {
        var lines = ["a0 = x"]
        for k in 0..<40 { lines.append("a\(k + 1) = sin(a\(k))*a\(k) + y") }
        return lines.joined(separator: "; ")
    }()

    /// The reported case: exit 1, "d/dx disagrees ... the first stage whose adjoint is wrong".
    @Test func theFortyStageChainPasses() {
        let run = runSymdiff(["check", Self.chain])
        #expect(run.status == 0)
        #expect(run.stdout.hasSuffix("ok: the symbolic gradient agrees with central finite differences\n"))
        let given = runSymdiff(["check", Self.chain, "--at", "x=0.39936945103368515,y=1.474690543576207"])
        #expect(given.status == 0)
        #expect(given.stderr == "")
    }

    @Test func anUnresolvedPointIsInconclusiveWithTheFigures() {
        let run = runSymdiff(["check", Self.chain, "--at", "x=1.9800567209295918,y=2.505915670704706"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("  y         -                   -                   inconclusive  -\n"))
        #expect(run.stdout.hasSuffix("inconclusive: finite differences cannot resolve the gradient at this point, so they neither confirm nor refute it; "
                                     + "d/dy at x=1.9800567209295918,y=2.505915670704706: symbolic -2.98948e+10, central differences at h, h/2, h/4 "
                                     + "(h = 2.51e-05) -846, 3.25e+04, -4.93e+04; at none of 25 steps from 2.99e-12 to 0.000401 did four successive "
                                     + "estimates settle (the function is not smooth at the scale of the step)\n"))
    }

    /// Random points that cannot be resolved are replaced and counted.
    @Test func randomPointsSayHowManyWereInconclusive() {
        let run = runSymdiff(["check", Self.chain, "--points", "200"])
        #expect(run.status == 0)
        #expect(run.stderr.hasPrefix("note: at 3 of the 203 points finite differences could not resolve a partial; d/dy at x=1.9800567209295918,y=2.505915670704706"))
        #expect(run.stdout.hasSuffix("ok: the symbolic gradient agrees with central finite differences at the 200 points where they resolve it (inconclusive at 3)\n"))
    }
}
