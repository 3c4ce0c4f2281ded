import Codegen
import Symbolic
import Testing

/// The exact Swift for the tensor worksheet programs, so every change to it is reviewed
/// (`RECORD_SNAPSHOTS=1` rewrites them).
@Suite struct SwiftTensorSnapshotTests {
    static let examples: [(name: String, source: String)] = [
        ("tensor-norm-squared", TensorCorpus.normSquared),
        ("tensor-softmax-ce", TensorCorpus.softmaxCE),
        ("tensor-skip-connection", TensorCorpus.skip),
        // Issue 14: the 1-D backward worksheet and a conv layer with stride and padding.
        ("conv1d-worksheet", TensorCorpus.conv1dWorksheet),
        ("conv2d-layer", TensorCorpus.convLayer),
    ]

    @Test(arguments: examples.indices) func generatedSwiftIsStable(index: Int) throws {
        let (name, source) = SwiftTensorSnapshotTests.examples[index]
        let code = try emit(try Gradient(source: source), source: source, options: EmitOptions(language: .swift))
        try Snapshot.assert(code.text, named: "\(name).swift.txt")
    }
}
