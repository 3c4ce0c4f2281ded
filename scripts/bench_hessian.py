"""Driver of scripts/bench_hessian: what second derivatives cost in symdiff.

    scripts/bench_hessian [--write] [--quick]

Part 1, a Hessian-vector product against one gradient: `symdiff-bench hvp FAMILY N` builds the
gradient and the program s = sum(df/dx * v) with its backward pass (reverse over reverse),
and times, with symdiff's evaluator (the staged program interpreted in Double, in process),
the fastest single evaluation of each: gradient = forward + backward pass; H v = the forward
pass of s (which includes the first backward pass) + its backward pass. `ops` are staged
equations + backward contributions of each program; build times are one run each (parse,
stage and the first pass; then the second pass), the first row's including warm-up. The MLP row is a tensor program run by the
tensor evaluator (`symdiff-bench hvp-tensor`), differentiated with respect to every weight.

Part 2, a full Hessian of small programs, three ways:
- symdiff, in process (`symdiff-bench hessian`): build = parse, stage, both reverse passes and
  simplify + print every entry; eval = value, gradient and every entry at one point by the
  evaluator. Also the CLI: one `symdiff hessian EXPR` process (start-up included) and one
  `symdiff hessian EXPR --at ...` process.
- SymPy: hessian = `sympy.hessian(f, vars)` on an already-built expression (no simplify);
  + simplify = the same with every entry simplified; eval = one call of the lambdified matrix
  (NumPy backend; lambdify itself is not counted).
- JAX: first call = `jax.jit(jax.hessian(f))` traced, compiled and run once; eval = one later
  call (block_until_ready), float64 CPU.
Every time is the fastest of several runs; entries are compared with symdiff's to 1e-9.
"""
import argparse
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BEGIN = "<!-- bench_hessian begin -->"
END = "<!-- bench_hessian end -->"

MLP = ("X: (32, 64); W1: (64, 32); b1: (32,); W2: (32, 10); b2: (10,); y: int (32,); "
       "cross_entropy(tanh(X @ W1 + b1) @ W2 + b2, y)")

# name, symdiff source, sympy/jax body over the variables, variables, point
SMALL = [
    ("worksheet", "ln(x)*sigmoid(sqrt(y))/sigmoid((x+y)^2)",
     "log(x)*sigmoid(sqrt(y))/sigmoid((x+y)**2)", ["x", "y"], [2.0, 1.5]),
    ("wide-6", None, None, None, None),
]


def run(args):
    out = subprocess.run(args, capture_output=True, text=True, check=True)
    return out.stdout


def bench_json(bench, *args):
    return json.loads(run([bench, *args]))


def fastest(fn, repeats=7, min_time=0.2):
    best = float("inf")
    for _ in range(repeats):
        count = 0
        start = time.perf_counter()
        while True:
            fn()
            count += 1
            elapsed = time.perf_counter() - start
            if elapsed >= min_time / repeats or count >= 1000:
                break
        best = min(best, elapsed / count)
    return best


def wide_program(n):
    """The wide family of Sources/symdiff-bench/Families.swift at size n, in symdiff and Python."""
    def term(i, power):
        nxt = 1 if i == n else i + 1
        return f"sin(x{i}*x{nxt}) + x{i}{power}2*exp(-x{i})"
    symdiff = " + ".join(term(i, "^") for i in range(1, n + 1))
    python = " + ".join(term(i, "**") for i in range(1, n + 1))
    names = [f"x{i}" for i in range(1, n + 1)]
    point = [0.1 + 0.8 * ((i * 7919) % 1000) / 1000 for i in range(n)]
    return symdiff, python, names, point


def fmt(seconds):
    if seconds is None:
        return "n/a"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.1f} µs"


def part1(bench, quick):
    sizes = {"chain": [64, 256] if quick else [64, 256, 1024],
             "wide": [64, 256] if quick else [64, 256, 1024],
             "mlp": [128, 512] if quick else [128, 512, 2048]}
    min_time = "0.2" if quick else "0.5"
    rows = []
    for family, ns in sizes.items():
        for n in ns:
            r = bench_json(bench, "hvp", family, str(n), "--min-time", min_time)
            rows.append((f"{family} N={n}", r["inputs"], r["gradient_ops"], r["hvp_ops"],
                         r["gradient_eval_s"], r["hvp_eval_s"], r["gradient_build_s"], r["hvp_build_s"]))
    r = bench_json(bench, "hvp-tensor", MLP, "--min-time", min_time)
    rows.append(("MLP 64-32-10 tanh, softmax-CE, batch 32", f"{r['elements']} (5 arrays)", r["gradient_ops"], r["hvp_ops"],
                 r["gradient_eval_s"], r["hvp_eval_s"], r["gradient_build_s"], r["hvp_build_s"]))
    lines = ["| program | inputs | gradient ops | H v ops | gradient eval | H v eval | H v / gradient | build: gradient, + H v |",
             "|---|---|---|---|---|---|---|---|"]
    for name, inputs, gops, hops, gt, ht, gb, hb in rows:
        lines.append(f"| {name} | {inputs} | {gops} | {hops} ({hops / gops:.2f}x) | {fmt(gt)} | {fmt(ht)} | "
                     f"**{ht / gt:.2f}x** | {fmt(gb)}, {fmt(hb)} |")
    return lines


def part2(symdiff, bench, quick):
    try:
        import sympy
    except ImportError:
        sympy = None
    try:
        import jax
        jax.config.update("jax_enable_x64", True)
        import jax.numpy as jnp
    except ImportError:
        jax = None
    import numpy as np
    cases = []
    for name, source, python, names, point in SMALL:
        if name == "wide-6":
            source, python, names, point = wide_program(6)
        cases.append((name, source, python, names, point))
    if not quick:
        source, python, names, point = wide_program(12)
        cases.append(("wide-12", source, python, names, point))
    lines = ["| program | inputs | symdiff build | symdiff eval | symdiff CLI: closed form, at a point | "
             "SymPy hessian | + simplify | SymPy eval | JAX first call | JAX eval | agree |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for name, source, python, names, point in cases:
        at = ",".join(repr(v) for v in point)
        r = bench_json(bench, "hessian", source, "--at", at, "--min-time", "0.3")
        symdiff_matrix = np.array(r["matrix"])
        cli = fastest(lambda: run([symdiff, "hessian", source]), repeats=5, min_time=0.5)
        assignment = ",".join(f"{n}={v!r}" for n, v in zip(names, point))
        cli_at = fastest(lambda: run([symdiff, "hessian", source, "--at", assignment]), repeats=5, min_time=0.5)
        sym_h = sym_s = sym_e = None
        agree = []
        if sympy is not None:
            symbols = sympy.symbols(names)
            env = dict(zip(names, symbols))
            env.update({"sigmoid": lambda a: 1 / (1 + sympy.exp(-a)), "log": sympy.log, "sqrt": sympy.sqrt,
                        "sin": sympy.sin, "exp": sympy.exp})
            f = eval(python, {}, env)
            sym_h = fastest(lambda: sympy.hessian(f, symbols), repeats=3, min_time=0.3)
            start = time.perf_counter()
            H = sympy.hessian(f, symbols)
            H.applyfunc(sympy.simplify)
            sym_s = time.perf_counter() - start
            fn = sympy.lambdify(symbols, H, "numpy")
            sym_e = fastest(lambda: fn(*point))
            agree.append(np.allclose(np.array(fn(*point), dtype=float), symdiff_matrix, rtol=1e-9, atol=1e-12))
        jax_first = jax_e = None
        if jax is not None:
            jenv = {"sigmoid": jax.nn.sigmoid, "log": jnp.log, "sqrt": jnp.sqrt, "sin": jnp.sin, "exp": jnp.exp}

            def f(v):
                return eval(python, {}, {**jenv, **{n: v[i] for i, n in enumerate(names)}})
            x = jnp.array(point, dtype=jnp.float64)
            start = time.perf_counter()
            h = jax.jit(jax.hessian(f))
            h(x).block_until_ready()
            jax_first = time.perf_counter() - start
            jax_e = fastest(lambda: h(x).block_until_ready())
            agree.append(np.allclose(np.array(h(x)), symdiff_matrix, rtol=1e-9, atol=1e-12))
        lines.append(f"| {name} | {len(names)} | {fmt(r['build_s'])} | {fmt(r['eval_s'])} | {fmt(cli)}, {fmt(cli_at)} | "
                     f"{fmt(sym_h)} | {fmt(sym_s)} | {fmt(sym_e)} | {fmt(jax_first)} | {fmt(jax_e)} | "
                     f"{'yes' if agree and all(agree) else ('n/a' if not agree else 'NO')} |")
    return lines


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--symdiff", required=True)
    parser.add_argument("--bench", required=True)
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    versions = []
    for pkg in ["sympy", "jax"]:
        try:
            versions.append(f"{pkg} {__import__(pkg).__version__}")
        except ImportError:
            versions.append(f"{pkg} n/a")
    section = [BEGIN, "## 9. Second derivatives: Hessian-vector products and full Hessians (issue 16)", "",
               f"`scripts/bench_hessian{' --quick' if args.quick else ''}` ({', '.join(versions)}, Python {sys.version.split()[0]}, "
               "one thread; see the script's docstring for what each time includes).", "",
               "A Hessian-vector product H v is one more reverse pass over the first (reverse over reverse): "
               "its cost against one gradient, both run by symdiff's evaluator (fastest single evaluation; "
               "ops = staged equations + backward contributions, whole-array ops for the MLP):", ""]
    section += part1(args.bench, args.quick)
    section += ["", "A full Hessian of small scalar programs against SymPy and JAX "
                "(symdiff build = parse + stage + both passes + simplify and print every entry):", ""]
    section += part2(args.symdiff, args.bench, args.quick)
    section.append(END)
    text = "\n".join(section) + "\n"
    print(text)
    if args.write:
        path = os.path.join(ROOT, "BENCHMARKS.md")
        with open(path) as handle:
            content = handle.read()
        if BEGIN in content and END in content:
            content = content[:content.index(BEGIN)] + text.rstrip("\n") + content[content.index(END) + len(END):]
        else:
            content = content.rstrip("\n") + "\n\n" + text
        with open(path, "w") as handle:
            handle.write(content)


if __name__ == "__main__":
    main()
