/// Convolution and pooling programs both tensor emitters are run on (issue 14): every op of
/// the family in the worksheet and layer forms, strides 1-3, paddings 0-2, overlapping and
/// padded pooling windows, named batch and filter counts, the backward ops spelled by a user,
/// array outputs with an upstream (the 1-D backward worksheet), and a small LeNet (the
/// homework net's structure at batch 2, 8x8 images, 3 filters 3x3, fc 27-5-4).
extension TensorCorpus {
    /// The homework LeNet's structure at a size the tests run quickly.
    static let smallLeNet = "x: (B, 1, 8, 8); Wc: (3, 1, 3, 3); bc: (3,); W1: (5, 27); b1: (5,); W2: (4, 5); b2: (4,); t: int (B,); "
        + "c = conv2d(x, Wc, bc); p = maxpool2d(c, 2, stride=2); h = relu(flatten(p) @ W1.T + b1); cross_entropy(h @ W2.T + b2, t)"

    /// The 1-D convolution of the worksheet, whose backward pass is a snapshot.
    static let conv1dWorksheet = "x: (4,); w: (3,); conv1d(x, w)"
    /// A small conv layer with stride and padding, whose emitted code is a snapshot.
    static let convLayer = "x: (N, 2, 5, 5); w: (3, 2, 3, 3); b: (3,); sum(tanh(conv2d(x, w, b, stride=2, pad=1)))"

    static let convolution: [TensorCase] = [
        // The worksheet forms: a matrix with a matrix, a vector with a vector.
        TensorCase(source: "I: (4, 4); F: (2, 2); sum(conv2d(I, F, pad=1, stride=2)^2)"),
        TensorCase(source: "I: (6, 6); F1: (3, 3); F2: (3, 3); sum(maxpool2d(relu(conv2d(I, F1)), 2)) + sum(maxpool2d(relu(conv2d(I, F2)), 2)^2)"),
        TensorCase(source: conv1dWorksheet),
        TensorCase(source: "x: (6,); w: (3,); sum(conv1d(x, w, pad=1)^2) + sum(sin(conv1d(x, w, stride=3)))"),
        TensorCase(source: "x: (7,); w: (2,); sum(exp(conv1d(x, w, stride=3, pad=2)))"),
        // The layer forms: strides 1-3, paddings 0-2, biases, channels, named batch and filter counts.
        TensorCase(source: convLayer, dims: ["N": 2]),
        TensorCase(source: "x: (N, 2, 7); w: (K, 2, 3); b: (K,); sum(tanh(conv1d(x, w, b, stride=2, pad=1)))", dims: ["N": 2, "K": 3]),
        TensorCase(source: "x: (1, 1, 7, 7); w: (2, 1, 3, 3); sum(sin(conv2d(x, w, stride=3, pad=1))) + sum(conv2d(x, w, stride=2, pad=2)^2)"),
        TensorCase(source: "x: (2, 3, 6, 5); w: (2, 3, 2, 3); sum(conv2d(x, w, stride=1, pad=2)^2)"),
        TensorCase(source: "x: (2, 1, 5); w: (2, 1, 5); b: (2,); conv1d(x, w, b, pad=2)"),
        // Pooling: overlapping and padded windows, 1-D and 2-D, every leading axis a batch axis.
        TensorCase(source: "X: (5, 5); sum(maxpool2d(X, 3, stride=1)^2) + sum(maxpool2d(X, 2, stride=3))"),
        TensorCase(source: "x: (2, 3, 7, 7); sum(maxpool2d(x, 3, stride=2, pad=1)^2)"),
        TensorCase(source: "x: (2, 7); sum(maxpool1d(x, 3, stride=2, pad=1)^2) + sum(maxpool1d(x, 2, stride=1))"),
        TensorCase(source: "x: (1, 2, 5, 5); sum(avgpool2d(x, 3, stride=2, pad=1)^2) + sum(avgpool2d(x, 2, stride=1)^2)"),
        TensorCase(source: "x: (3, 6); sum(avgpool1d(x, 2)^2) + sum(avgpool1d(x, 3, stride=1, pad=1)^2)"),
        TensorCase(source: "x: (N, 2, 4, 4); maxpool2d(x, 2)", dims: ["N": 2]),
        // The backward ops as a user spells them (their own gradients are the forward ops).
        TensorCase(source: "g: (1, 2, 3); w: (2, 3, 2); sum(conv1d_input_grad(g, w, stride=2)^2)"),
        TensorCase(source: "x: (2, 1, 5, 5); g: (2, 3, 3, 3); sum(conv2d_filter_grad(x, g, stride=2, pad=1)^2) + sum(conv2d_bias_grad(g)^2)"),
        TensorCase(source: "g: (2, 2, 3, 3); w: (2, 3, 2, 2); sum(sin(conv2d_input_grad(g, w, pad=1)))"),
        TensorCase(source: "g: (2, 3, 3); sum(avgpool2d_grad(g, 3, stride=2, pad=1)^2)"),
        TensorCase(source: "x: (2, 5); u: (2, 5); sum(maxpool1d_pick(x, u, 3, stride=2, pad=1)^2)"),
        TensorCase(source: "x: (1, 2, 4, 4); u: (1, 2, 4, 4); g: (1, 2, 2, 2); sum(sin(maxpool2d_pick(x, u, 2))) + sum(maxpool2d_grad(x, g, 2)^2)"),
        // A conv layer, pooling and a classifier: the homework net's structure, small.
        TensorCase(source: smallLeNet, dims: ["B": 2], classes: 4),
    ]
}
