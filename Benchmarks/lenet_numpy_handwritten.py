"""The LeNet benchmark's reference (issue 14): the homework net's forward and backward pass written
by hand in vectorised NumPy, the way an engineer writes it, with the signature and results of
symdiff's emitted function for the program of TENSORS.md section 1:

    x: (B, 1, 28, 28); Wc: (20, 1, 5, 5); bc: (20,)
    W1: (500, 2880); b1: (500,); W2: (10, 500); b2: (10,); t: int (B,)
    c = conv2d(x, Wc, bc)               # (B, 20, 24, 24)
    p = maxpool2d(c, 2, stride=2)       # (B, 20, 12, 12)
    h = relu(flatten(p) @ W1.T + b1)    # (B, 500)
    cross_entropy(h @ W2.T + b2, t)

lenet(x, Wc, bc, W1, b1, W2, b2, t) returns (loss, dx, dWc, dbc, dW1, db1, dW2, db2), each
gradient of its input's shape; every size is read from the arrays, so the same function runs at
the small sizes of the finite-difference check (scripts/bench_lenet.py --check).

Conventions (TENSORS.md section 2): conv2d is a cross-correlation (no flip), NCHW inputs, OIHW
filters; max-pooling sends each window's gradient to its first maximum in row-major order.
No Python loop runs over pixels or the batch: the convolution loops over the F x F filter
offsets, each a strided slice of the whole batch, and does its arithmetic in matrix products;
the pooling loops over the k x k window offsets.
"""
import numpy as np


def im2col(x, f, ho, wo):
    """(N, C*F*F, Ho*Wo): row (c, i, j) holds x[:, c, i + r, j + s] for every output (r, s),
    built by one strided slice per filter offset (stride 1, no padding)."""
    n, c = x.shape[0], x.shape[1]
    cols = np.stack([x[:, :, i:i + ho, j:j + wo] for i in range(f) for j in range(f)], axis=2)
    return cols.reshape(n, c * f * f, ho * wo)


def softmax_ce(z, t):
    """Mean cross-entropy of logits z (N, K) with labels t (N,), and dL/dz, stably."""
    n = z.shape[0]
    rows = np.arange(n)
    m = np.max(z, axis=1, keepdims=True)
    e = np.exp(z - m)
    s = np.sum(e, axis=1, keepdims=True)
    loss = np.mean(np.log(s[:, 0]) + m[:, 0] - z[rows, t])
    dz = e / s
    dz[rows, t] -= 1.0
    dz /= n
    return loss, dz


def lenet(x, Wc, bc, W1, b1, W2, b2, t):
    n, ch, hi, wi = x.shape
    k, _, f, _ = Wc.shape
    ho, wo = hi - f + 1, wi - f + 1
    hp, wp = ho // 2, wo // 2
    # conv: one matrix product per image over the stacked filter offsets
    cols = im2col(x, f, ho, wo)                                       # (N, C*F*F, Ho*Wo)
    wmat = Wc.reshape(k, ch * f * f)
    c = (wmat @ cols).reshape(n, k, ho, wo) + bc[:, None, None]
    # 2x2 max-pool, stride 2: the four window offsets stacked, the first maximum remembered
    windows = np.stack([c[:, :, i:i + 2 * hp:2, j:j + 2 * wp:2] for i in range(2) for j in range(2)])
    first = np.argmax(windows, axis=0)                                # (N, K, Hp, Wp), 0..3
    p = np.max(windows, axis=0)
    flat = p.reshape(n, k * hp * wp)
    a = flat @ W1.T + b1
    h = np.maximum(a, 0.0)
    z = h @ W2.T + b2
    loss, dz = softmax_ce(z, t)
    # backward
    dW2 = dz.T @ h
    db2 = np.sum(dz, axis=0)
    da = (dz @ W2) * (a > 0)
    dW1 = da.T @ flat
    db1 = np.sum(da, axis=0)
    dp = (da @ W1).reshape(n, k, hp, wp)
    # each window's gradient to its first maximum
    dc = np.zeros_like(c)
    for o in range(4):
        i, j = divmod(o, 2)
        dc[:, :, i:i + 2 * hp:2, j:j + 2 * wp:2] += np.where(first == o, dp, 0.0)
    dcm = dc.reshape(n, k, ho * wo)
    dbc = np.sum(dcm, axis=(0, 2))
    dWc = np.tensordot(dcm, cols, axes=([0, 2], [0, 2])).reshape(Wc.shape)
    dcols = (wmat.T @ dcm).reshape(n, ch, f, f, ho, wo)
    dx = np.zeros_like(x)
    for i in range(f):
        for j in range(f):
            dx[:, :, i:i + ho, j:j + wo] += dcols[:, :, i, j]
    return loss, dx, dWc, dbc, dW1, db1, dW2, db2
