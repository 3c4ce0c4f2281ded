import Symbolic
import Testing

/// The flop rule of `stats` (see `FlopCount`), op by op, and its polynomials in named sizes.
@Suite struct FlopCountTests {
    /// Flops of the forward pass of `source` with `bindings`.
    func forward(_ source: String, _ bindings: [String: Int] = [:]) throws -> String {
        let g = try gradient(source)
        return g.flopCounts(closedForms: [], bindings: bindings).forward.description
    }

    @Test(arguments: [
        // 2*m*k*n per product, 1-D operands and batches included.
        ("A: (3, 4); B: (4, 5); A @ B", "120"),
        ("W: (3, 4); x: (4,); W @ x", "24"),
        ("x: (4,); W: (4, 3); x @ W", "24"),
        ("A: (2, 3, 4); B: (4, 5); A @ B", "240"),
        ("u: (4,); v: (4,); dot(u, v)", "8"),
        ("u: (4,); v: (3,); outer(u, v)", "12"),
        ("u: (4,); norm(u)", "9"),
        // One per element; an n-ary sum k - 1 per element; transposes and broadcasts free.
        ("x: (5,); y: (5,); z: (5,); x * y + z", "10"),
        ("A: (2, 3); b: (3,); exp(A.T).T + b", "12"),
        ("X: (2, 3); sum(X, axis=0)", "6"),
        ("X: (2, 3); max(X)", "6"),
        ("z: (2, 5); softmax(z)", "50"),
        ("z: (2, 5); log_softmax(z)", "50"),
        ("z: (2, 5); logsumexp(z)", "40"),
        ("z: (5,); y: int; cross_entropy(z, y)", "22"),
        ("Z: (3, 5); y: int (3,); cross_entropy(Z, y)", "66"),
    ] as [(String, String)])
    func oneOp(_ source: String, _ flops: String) throws {
        #expect(try forward(source) == flops)
    }

    @Test func namedSizesStayNamesUntilBound() throws {
        let source = "X: (N, K); W: (K, 4); sum(X @ W) + sum(W)"
        #expect(try forward(source) == "8*K*N + 4*K + 4*N + 1")
        #expect(try forward(source, ["N": 2]) == "20*K + 9")
        #expect(try forward(source, ["N": 2, "K": 3]) == "69")
    }

    @Test func countsSaturateInsteadOfTrapping() throws {
        let huge = try forward("A: (N, N); B: (N, N); A @ B", ["N": 3_000_000_000])
        #expect(huge == String(Int.max / 2))
    }
}
