import Testing

/// A stage subtracted at the output folds its adjoint into a negated seed; a constant partial of
/// a smaller shape read through it must take the sign in. Before the fix the listing printed
/// `dM = broadcast_to(2, (3, 1))` for `sum(W - 2*M)` (the evaluator's -2 was right), found by
/// the tensor property test's staged lines once convolutions joined its generator.
@Suite struct TensorBackwardSignTests {
    @Test func negatedSeedTimesAConstantPartialKeepsItsSign() {
        let run = runSymdiff(["stage", "M: (3, 1); W: (3, 1); sum(W - 2*M)", "--backward"])
        #expect(run.stdout.hasSuffix("""
            dW = broadcast_to(1, (3, 1))   # (3, 1)
            dM = broadcast_to(-2, (3, 1))  # (3, 1)

            """))
        let twice = runSymdiff(["stage", "M: (3, 1); W: (3, 1); sum(W - (M + M))", "--backward"])
        #expect(twice.stdout.hasSuffix("""
            dM = broadcast_to(-1, (3, 1))   # (3, 1)
            dM += broadcast_to(-1, (3, 1))  # (3, 1)

            """))
    }
}
