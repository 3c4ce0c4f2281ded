"""Hand-written vectorised NumPy forward+backward for the tensor benchmark's programs (what an
engineer writes: stable softmax-CE with the p - onehot(y) backward, matrix products through
BLAS), and, when given a file of symdiff's emitted NumPy, the emitted functions too.

Prints one `|`-separated line per program: name, hand-written ms, emitted ms (or n/a).
Times are per value-and-gradient call (every input's gradient, the batch X's included),
fastest of 7 rounds of enough calls to last about 0.2 s, after a warm-up. Inputs are made once.
Usage: python3 tensor_numpy.py [emitted.py]
"""
import importlib.util
import sys
import time

import numpy as np


def milliseconds(f):
    f()
    t0 = time.perf_counter()
    f()
    once = time.perf_counter() - t0
    repeats = max(1, int(0.2 / max(once, 1e-6)))
    best = float("inf")
    for _ in range(7):
        t0 = time.perf_counter()
        for _ in range(repeats):
            f()
        best = min(best, (time.perf_counter() - t0) / repeats)
    return best * 1e3


def ce_head(Z, y):
    """Loss and dL/dZ of the mean cross-entropy, stably."""
    N = Z.shape[0]
    m = Z.max(axis=1, keepdims=True)
    E = np.exp(Z - m)
    s = E.sum(axis=1, keepdims=True)
    loss = np.mean(m[:, 0] - Z[np.arange(N), y] + np.log(s[:, 0]))
    dZ = E / s
    dZ[np.arange(N), y] -= 1
    dZ /= N
    return loss, dZ


def softmax_ce(W, b, X, y):
    loss, dZ = ce_head(X @ W.T + b, y)
    return loss, dZ.T @ X, dZ.sum(axis=0), dZ @ W


def mlp(W1, b1, W2, b2, X, y):
    A = X @ W1.T + b1
    H = np.maximum(A, 0)
    loss, dZ = ce_head(H @ W2.T + b2, y)
    dH = dZ @ W2
    dA = dH * (A > 0)
    return loss, dA.T @ X, dA.sum(axis=0), dZ.T @ H, dZ.sum(axis=0), dA @ W1


def tanh_mlp(W1, b1, W2, b2, W3, b3, W4, b4, X, y):
    H1 = np.tanh(X @ W1.T + b1)
    H2 = np.tanh(H1 @ W2.T + b2)
    H3 = np.tanh(H2 @ W3.T + b3)
    loss, dZ = ce_head(H3 @ W4.T + b4, y)
    dA3 = (dZ @ W4) * (1 - H3 * H3)
    dA2 = (dA3 @ W3) * (1 - H2 * H2)
    dA1 = (dA2 @ W2) * (1 - H1 * H1)
    return (loss, dA1.T @ X, dA1.sum(axis=0), dA2.T @ H1, dA2.sum(axis=0), dA3.T @ H2, dA3.sum(axis=0),
            dZ.T @ H3, dZ.sum(axis=0), dA1 @ W1)


def main():
    rng = np.random.default_rng(42)
    batch = 64

    def layer(n_out, n_in):
        return rng.uniform(-1, 1, (n_out, n_in)) / np.sqrt(n_in), rng.uniform(-0.1, 0.1, n_out)

    y = rng.integers(0, 10, batch)
    X = rng.uniform(-1, 1, (batch, 784))
    W, b = layer(10, 784)
    W1, b1 = layer(500, 784)
    W2, b2 = layer(10, 500)
    T = [layer(256, 784), layer(128, 256), layer(64, 128), layer(10, 64)]
    cases = {
        "softmax_ce": (softmax_ce, (W, b, X, y)),
        "mlp": (mlp, (W1, b1, W2, b2, X, y)),
        "tanh_mlp": (tanh_mlp, tuple(a for pair in T for a in pair) + (X, y)),
    }
    emitted = None
    if len(sys.argv) > 1:
        spec = importlib.util.spec_from_file_location("emitted", sys.argv[1])
        emitted = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(emitted)
    for name, (f, args) in cases.items():
        hand = milliseconds(lambda: f(*args))
        other = "n/a"
        if emitted is not None and hasattr(emitted, name):
            g = getattr(emitted, name)
            for a, b_ in zip(g(*args), f(*args)):
                assert np.allclose(a, b_, rtol=1e-9, atol=1e-12), name
            other = "%.3f" % milliseconds(lambda: g(*args))
        print("%s|%.3f|%s" % (name, hand, other))


main()
