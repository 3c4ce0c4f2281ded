"""Driver of scripts/bench-tensor: symdiff's emitted NumPy for tensor programs against the same
forward and backward pass written by hand (Benchmarks/numpy_tensor_handwritten.py) and against
JAX (jax.jit(jax.value_and_grad(f)), CPU, float64), on the same float64 arrays.

    scripts/bench-tensor [--symdiff PATH] [--batch 64] [--seconds 0.2] [--repeats 7] [--write]

Each time is the fastest over --repeats runs of the wall time of one call, each run timing as
many back-to-back calls as fill --seconds: the call from Python with the inputs already float64
arrays, the forward and the backward pass, and every gradient returned (dX included, in all
three). JAX is timed after a warm-up call (compilation excluded) and waits for its results
(block_until_ready). Prints the Markdown section of BENCHMARKS.md; --write puts it there.
"""
import argparse
import importlib.util
import os
import platform
import subprocess
import sys
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, ".build", "bench-work")

# name, description, symdiff program, hand-written function, (input, shape) list with "N" the
# batch and "int" labels.
PROGRAMS = [
    ("mlp", "MLP 784-500-10, relu, softmax-CE",
     "X: (N, 784); W1: (784, 500); b1: (500,); W2: (500, 10); b2: (10,); y: int (N,); "
     "cross_entropy(relu(X @ W1 + b1) @ W2 + b2, y)",
     [("X", ("N", 784)), ("W1", (784, 500)), ("b1", (500,)), ("W2", (500, 10)), ("b2", (10,)), ("y", "int")]),
    ("tanh3", "3-layer tanh MLP 256-256-256-10, softmax-CE",
     "X: (N, 256); W1: (256, 256); b1: (256,); W2: (256, 256); b2: (256,); W3: (256, 10); b3: (10,); "
     "y: int (N,); cross_entropy(tanh(tanh(tanh(X @ W1 + b1) @ W2 + b2) @ W3 + b3), y)",
     [("X", ("N", 256)), ("W1", (256, 256)), ("b1", (256,)), ("W2", (256, 256)), ("b2", (256,)),
      ("W3", (256, 10)), ("b3", (10,)), ("y", "int")]),
    ("softmax_ce", "softmax-CE layer alone, 10 classes",
     "Z: (N, 10); y: int (N,); cross_entropy(Z, y)",
     [("Z", ("N", 10)), ("y", "int")]),
]

CLASSES = 10
# The first line of this benchmark's section of BENCHMARKS.md (scripts/bench keeps it).
MARKER = "<!-- scripts/bench-tensor writes from here on -->"
# The first line of scripts/bench-lenet's section, which comes after this one.
LENET_MARKER = "<!-- scripts/bench-lenet writes from here -->"


def load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def emitted(symdiff, name, source):
    """The function symdiff emits for `source`, named `name`."""
    os.makedirs(WORK, exist_ok=True)
    path = os.path.join(WORK, "tensor_%s.py" % name)
    code = subprocess.run([symdiff, "emit", source, "--lang", "numpy", "--name", name],
                          check=True, capture_output=True, text=True).stdout
    with open(path, "w") as f:
        f.write(code)
    return getattr(load(path, "tensor_" + name), name)


def inputs(spec, batch, seed):
    rng = np.random.default_rng(seed)
    values = []
    for _, shape in spec:
        if shape == "int":
            values.append(rng.integers(0, CLASSES, size=batch).astype(np.intp))
        else:
            sizes = tuple(batch if d == "N" else d for d in shape)
            fan_in = sizes[0] if len(sizes) == 2 and shape[0] != "N" else 1
            values.append(rng.standard_normal(sizes) / np.sqrt(fan_in))
    return values


def calls_for(fn, args, budget):
    """How many back-to-back calls of `fn` take about `budget` seconds (after one warm-up call)."""
    fn(*args)
    calls = 1
    while True:
        start = time.perf_counter()
        for _ in range(calls):
            fn(*args)
        elapsed = time.perf_counter() - start
        if elapsed >= budget / 4 or calls >= 1 << 20:
            break
        calls *= 2
    return max(1, int(calls * budget / max(elapsed, 1e-9)))


def seconds_per_call(functions, args, budget, repeats, between=None):
    """Seconds per call of each function, the fastest of its runs (load from other processes only
    ever adds time), the runs interleaved (A B C A B C ...) so that a change in the machine's
    load hits every column alike; `between()`, when given, runs after each round (another
    process's round of the same measurement)."""
    counts = [calls_for(fn, a, budget) for fn, a in zip(functions, args)]
    runs = [[] for _ in functions]
    for _ in range(repeats):
        for i, (fn, a) in enumerate(zip(functions, args)):
            start = time.perf_counter()
            for _ in range(counts[i]):
                fn(*a)
            runs[i].append((time.perf_counter() - start) / counts[i])
        if between is not None:
            between()
    return [min(r) for r in runs]


def jax_function(name):
    """jit(value_and_grad) of the program in jax.numpy, differentiating every real input."""
    try:
        import jax
        jax.config.update("jax_enable_x64", True)
        jax.config.update("jax_platforms", "cpu")
        import jax.numpy as jnp
    except Exception as error:  # noqa: BLE001 - any failure means "not available here"
        return None, "n/a (%s)" % type(error).__name__

    def ce(z, y):
        return jnp.mean(jax.nn.logsumexp(z, axis=1) - z[jnp.arange(z.shape[0]), y])

    if name == "mlp":
        def f(X, W1, b1, W2, b2, y):
            return ce(jnp.maximum(X @ W1 + b1, 0.0) @ W2 + b2, y)
        real = (0, 1, 2, 3, 4)
    elif name == "tanh3":
        def f(X, W1, b1, W2, b2, W3, b3, y):
            return ce(jnp.tanh(jnp.tanh(jnp.tanh(X @ W1 + b1) @ W2 + b2) @ W3 + b3), y)
        real = (0, 1, 2, 3, 4, 5, 6)
    else:
        def f(Z, y):
            return ce(Z, y)
        real = (0,)
    g = jax.jit(jax.value_and_grad(f, argnums=real))

    def call(*args):
        value, grads = g(*args)
        return jax.block_until_ready((value, grads))
    return call, "jax %s" % jax.__version__


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--symdiff", default=os.path.join(ROOT, ".build", "release", "symdiff"))
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=0.1)
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--write", action="store_true", help="replace the tensor section of BENCHMARKS.md")
    options = parser.parse_args()
    hand = load(os.path.join(ROOT, "Benchmarks", "numpy_tensor_handwritten.py"), "numpy_tensor_handwritten")

    rows = []
    jax_note = None
    for index, (name, description, source, spec) in enumerate(PROGRAMS):
        args = inputs(spec, options.batch, seed=index + 1)
        ours = emitted(options.symdiff, name, source)
        reference = getattr(hand, name)
        # Same results before timing: the value and every gradient, each of its input's shape.
        got, want = ours(*args), reference(*args)
        assert len(got) == len(want), name
        for a, b in zip(got, want):
            assert np.shape(a) == np.shape(b), name
            assert np.allclose(a, b, rtol=1e-10, atol=1e-12), name
        jax_call, jax_note = jax_function(name)
        functions = [ours, reference]
        if jax_call is not None:
            value = jax_call(*args)
            assert np.allclose(float(value[0]), float(want[0]), rtol=1e-10), name
            functions.append(jax_call)
        times = seconds_per_call(functions, [args] * len(functions), options.seconds, options.repeats)
        t_ours, t_hand = times[0], times[1]
        t_jax = times[2] if jax_call is not None else None
        rows.append((description, t_ours, t_hand, t_jax))

    def us(t):
        return "%.1f" % (t * 1e6)

    lines = [
        MARKER,
        "## 5. Tensor programs: emitted NumPy against hand-written NumPy and JAX",
        "",
        "`scripts/bench-tensor` (issue 13; `--write` replaces this section). Microseconds per call, batch %d, float64,"
        " fastest of %d interleaved runs of %.2f s each; %s, NumPy %s, Python %s, %d cores, one BLAS and one XLA thread"
        " (`OPENBLAS_NUM_THREADS=1`, `XLA_FLAGS`; on this shared 2-core machine threaded BLAS was up to 20x slower);"
        " load average %.1f at the end of the run. Under such load single runs scatter: repeated runs gave ratios from"
        " 0.95 to 1.3 on the MLPs, while an in-process A/B of 9 x 3000 calls of the softmax-CE layer gave 1.00-1.05."
        % (options.batch, options.repeats, options.seconds, platform.machine(), np.__version__, platform.python_version(),
           os.cpu_count(), os.getloadavg()[0]),
        "JAX: %s." % jax_note,
        "",
        "Each time is one call from Python with the inputs already float64 arrays (labels intp): the forward pass, the"
        " backward pass and every gradient returned, dX included, in all three columns. emitted = `symdiff emit --lang"
        " numpy` as is; hand-written = Benchmarks/numpy_tensor_handwritten.py (the same passes as an engineer writes"
        " them: `+ b` broadcast implicitly, `p[rows, y] -= 1` in place); both agree to 1e-10 before timing. JAX ="
        " `jax.jit(jax.value_and_grad(f, argnums=reals))` on CPU in float64 after a warm-up call (compilation"
        " excluded), waiting for the results.",
        "",
        "| program | emitted NumPy (µs) | hand-written NumPy (µs) | emitted / hand | JAX jit (µs) | emitted / JAX |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for description, t_ours, t_hand, t_jax in rows:
        jax_cells = ("%s | %.2f" % (us(t_jax), t_ours / t_jax)) if t_jax else "n/a | n/a"
        lines.append("| %s | %s | %s | %.2f | %s |" % (description, us(t_ours), us(t_hand), t_ours / t_hand, jax_cells))
    worst = max(t_ours / t_hand for _, t_ours, t_hand, _ in rows)
    lines += [
        "",
        "Target emitted <= 1.1x hand-written: worst %.2f, %s. What limits each: the two MLPs are their matrix products"
        " (the same BLAS calls in both NumPy columns, so the ratio is 1 up to the machine's noise, a few percent here);"
        " the extra element-wise work of the emitted code is one `np.broadcast_to` view per bias and `np.heaviside`"
        " for relu'. The softmax-CE layer alone is about fifteen NumPy calls on 64 x 10 arrays, so call overhead is"
        " the time: the emitted backward builds `np.eye(10)[y]` where the hand-written one subtracts in place."
        " JAX runs one compiled XLA computation: on the MLPs its time is its single-threaded CPU GEMM against"
        " OpenBLAS's, on the small softmax-CE layer its per-call dispatch against NumPy's fifteen calls."
        % (worst, "met" if worst <= 1.1 else "not met in this run"),
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if options.write:
        path = os.path.join(ROOT, "BENCHMARKS.md")
        with open(path) as f:
            old = f.read()
        head = old[:old.index(MARKER)].rstrip("\n") + "\n\n" if MARKER in old else old.rstrip("\n") + "\n\n"
        # scripts/bench-lenet's section follows this one and is kept.
        tail = "\n" + old[old.index(LENET_MARKER):] if LENET_MARKER in old else ""
        with open(path, "w") as f:
            f.write(head + text + tail)
        print("bench-tensor: wrote BENCHMARKS.md", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
