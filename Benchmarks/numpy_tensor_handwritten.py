"""The tensor benchmark's reference: forward and backward passes written by hand in vectorised
NumPy, the way an engineer writes them (stable log-sum-exp, p - onehot(y) over N done in place,
relu' as a comparison), with the same signatures and results as symdiff's emitted functions:
(value, d<input>, ...) for every real input in declaration order, labels last and not
differentiated. Shapes are in scripts/bench_tensor.py.
"""
import numpy as np


def _softmax_ce(z, y):
    """Mean cross-entropy of logits z (N, K) with labels y (N,), and its gradient."""
    n = z.shape[0]
    rows = np.arange(n)
    m = np.max(z, axis=1, keepdims=True)
    e = np.exp(z - m)
    s = np.sum(e, axis=1, keepdims=True)
    loss = np.mean(np.log(s[:, 0]) + m[:, 0] - z[rows, y])
    dz = e / s
    dz[rows, y] -= 1.0
    dz /= n
    return loss, dz


def mlp(X, W1, b1, W2, b2, y):
    """cross_entropy(relu(X @ W1 + b1) @ W2 + b2, y)."""
    h = X @ W1 + b1
    a = np.maximum(h, 0.0)
    z = a @ W2 + b2
    loss, dz = _softmax_ce(z, y)
    dW2 = a.T @ dz
    db2 = np.sum(dz, axis=0)
    dh = (dz @ W2.T) * (h > 0)
    dW1 = X.T @ dh
    db1 = np.sum(dh, axis=0)
    dX = dh @ W1.T
    return loss, dX, dW1, db1, dW2, db2


def tanh3(X, W1, b1, W2, b2, W3, b3, y):
    """cross_entropy(tanh(tanh(tanh(X @ W1 + b1) @ W2 + b2) @ W3 + b3), y)."""
    h1 = np.tanh(X @ W1 + b1)
    h2 = np.tanh(h1 @ W2 + b2)
    h3 = np.tanh(h2 @ W3 + b3)
    loss, dh3 = _softmax_ce(h3, y)
    dz3 = dh3 * (1 - h3 * h3)
    dW3 = h2.T @ dz3
    db3 = np.sum(dz3, axis=0)
    dz2 = (dz3 @ W3.T) * (1 - h2 * h2)
    dW2 = h1.T @ dz2
    db2 = np.sum(dz2, axis=0)
    dz1 = (dz2 @ W2.T) * (1 - h1 * h1)
    dW1 = X.T @ dz1
    db1 = np.sum(dz1, axis=0)
    dX = dz1 @ W1.T
    return loss, dX, dW1, db1, dW2, db2, dW3, db3


def softmax_ce(Z, y):
    """cross_entropy(Z, y)."""
    return _softmax_ce(Z, y)
