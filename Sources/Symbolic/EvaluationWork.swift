extension Gradient {
    /// The most floating-point operations (as `stats` counts them) one tensor evaluation, a
    /// value with its gradient, may take: 1e10, about a minute of a debug build's loops (10 s of
    /// a release build). A declared `(100000, 100000)` product or a conv layer at a huge batch
    /// would otherwise run for hours; emitted code runs it instead.
    public static let evaluationWorkLimit = 10_000_000_000

    /// Flops of the value and the gradient at `bindings`: every node the forward pass and the
    /// backward contributions read, each counted once. Saturates instead of overflowing.
    public func evaluationWork(_ bindings: [String: Int]) -> Int {
        let roots = [staged.output] + contributions.flatMap { [$0.partial] + ($0.vjp.map { [$0] } ?? []) }
        var total = FlopCount(0)
        for id in graph.reachable(from: roots) { total = total + graph.flops(of: id, bindings) }
        return total.value ?? FlopCount.cap
    }

    /// Refuses an evaluation above `evaluationWorkLimit`, naming the sizes that make it so.
    func checkWork(_ bindings: [String: Int]) throws(PointError) {
        let work = evaluationWork(bindings)
        guard work > Gradient.evaluationWorkLimit else { return }
        let sizes = bindings.keys.sorted().map { "\($0) = \(bindings[$0] ?? 0)" }.joined(separator: ", ")
        throw .tooMuchWork(flops: work, limit: Gradient.evaluationWorkLimit, sizes: sizes.isEmpty ? "" : " at " + sizes)
    }
}
