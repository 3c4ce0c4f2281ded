"""The NumPy run-speed benchmark's reference: the worksheet functions' value and gradient as a
TA writes the staged solution by hand (forward equations, then the backward pass with the
chain rule), element-wise on float64 arrays. Same signatures and results as symdiff's emitted
NumPy: (value, d/d<input>, ...) in the order of the inputs.
"""
import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def ws1(x, y, z):  # (x + y)z
    a = x + y
    f = a * z
    da = z
    dz = a
    return f, da, da, dz


def ws2(x, y, z):  # (x^2 + 2y)z^3
    a = x ** 2
    b = 2 * y
    c = a + b
    d = z ** 3
    f = c * d
    dc = d
    dd = c
    dz = dd * 3 * z ** 2
    dx = dc * 2 * x
    dy = dc * 2
    return f, dx, dy, dz


def ws3(x, y):  # (ln(x) + sin(y))^2 + 4x
    a = np.log(x)
    b = np.sin(y)
    c = a + b
    d = c ** 2
    f = d + 4 * x
    dc = 2 * c
    dx = dc / x + 4
    dy = dc * np.cos(y)
    return f, dx, dy


def ws4(x):  # sigmoid(x), staged as the worksheet's hint: a = -x, b = e^a, c = 1 + b, d = 1/c
    d = sigmoid(x)
    dx = d * (1 - d)
    return d, dx


def ws5(x, y):  # ln(x)*sigmoid(sqrt(y))/sigmoid((x+y)^2)
    a = np.log(x)
    b = np.sqrt(y)
    c = sigmoid(b)
    d = a * c
    e = x + y
    g = e ** 2
    h = sigmoid(g)
    f = d / h
    dd = 1 / h
    dh = -d / h ** 2
    dg = dh * h * (1 - h)
    de = dg * 2 * e
    da = dd * c
    dc = dd * a
    db = dc * c * (1 - c)
    dx = da / x + de
    dy = db / (2 * b) + de
    return f, dx, dy


def ws6(x1, x2, theta):  # sin(theta*x1 + x2) + theta*x2^2
    a = theta * x1
    b = a + x2
    c = np.sin(b)
    d = x2 ** 2
    e = theta * d
    f = c + e
    db = np.cos(b)
    dx1 = db * theta
    dx2 = db + 2 * theta * x2
    dtheta = db * x1 + d
    return f, dx1, dx2, dtheta


def ws7(a, b):  # x = 3a + 2b; y = 4a - b; z = 3x^2 - 2x y + y^2
    x = 3 * a + 2 * b
    y = 4 * a - b
    z = 3 * x ** 2 - 2 * x * y + y ** 2
    dx = 6 * x - 2 * y
    dy = -2 * x + 2 * y
    da = 3 * dx + 4 * dy
    db = 2 * dx - dy
    return z, da, db
