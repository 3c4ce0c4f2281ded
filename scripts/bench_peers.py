"""The peers' half of scripts/bench: build a family natively in SymPy, SymEngine or CasADi SX,
differentiate it, and generate code, timing each step. One JSON object on stdout.

    python bench_peers.py TOOL FAMILY N [--min-time S] [--max-reps K] [--check]

TOOL: sympy | symengine | casadi. The families are specified in Benchmarks/README.md and
mirror Sources/symdiff-bench/Families.swift exactly (same inputs, same order, same constants).

What is timed (total_s), per tool:
  sympy      build + diff per variable + cse + NumPyPrinter text of every line
  symengine  build + diff per variable + cse
  casadi     build (SX) + gradient + Function + C code generation (CodeGenerator.dump)
"""
import json
import sys
import threading
import time

MLP_INPUTS = 16


def mlpw_width(n):
    """H = D for mlpw: isqrt(N) - 1, at least 1."""
    d = 1
    while (d + 2) * (d + 2) <= n:
        d += 1
    return d


def mlpw_constant(i):
    """c_i for mlpw: (negative, magnitude), 0.100 ... 0.999, negative for every third i."""
    return i % 3 == 0, ((i * 7919) % 900 + 100) / 1000


def variables(family, n):
    if family == "chain":
        return ["x", "y"]
    if family == "wide":
        return [f"x{i}" for i in range(1, n + 1)]
    if family == "mlpw":
        d = mlpw_width(n)
        names = []
        for j in range(1, d + 1):
            names.extend(f"w{j}_{i}" for i in range(1, d + 1))
            names.append(f"b{j}")
        names.extend(f"v{j}" for j in range(1, d + 1))
        names.append("c")
        return names
    h = max(1, n // (MLP_INPUTS + 2))
    names = []
    for k in range(1, h + 1):
        names.append(f"b{k}")
        names.extend(f"w{k}_{j}" for j in range(1, MLP_INPUTS + 1))
    names.extend(f"v{k}" for k in range(1, h + 1))
    names.append("c")
    return names


def point_value(i):
    return 0.1 + 0.8 * ((i * 7919) % 1000) / 1000


def mlp_input(j):
    return ((j % 9) + 1) / 10


def build(family, n, syms, sin, exp, tanh, const, add_all):
    """The family's output from input symbols `syms` (in `variables` order) and the tool's ops.
    `add_all(list)` sums terms left to right as the symdiff program does (or n-ary, where the
    tool has it: SymPy's and SymEngine's Add)."""
    if family == "chain":
        x, y = syms
        a = sin(x) * x + y
        for _ in range(1, n):
            a = sin(a) * a + y
        return a
    if family == "wide":
        terms = []
        for i in range(n):
            xi, xn = syms[i], syms[(i + 1) % n]
            terms.append(sin(xi * xn) + xi ** 2 * exp(-xi))
        return add_all(terms)
    if family == "mlpw":
        # As the program text reads: c_1*w_1 then `+ c_i*w_i` or `- |c_i|*w_i` left to right,
        # then `+ b`; the output sum left to right, then `+ c`.
        d = mlpw_width(n)
        per = d + 1
        hidden = []
        for j in range(d):
            ws, b = syms[j * per:j * per + d], syms[j * per + d]
            negative, magnitude = mlpw_constant(1)
            acc = const(-magnitude if negative else magnitude) * ws[0]
            for i in range(2, d + 1):
                negative, magnitude = mlpw_constant(i)
                acc = acc - const(magnitude) * ws[i - 1] if negative else acc + const(magnitude) * ws[i - 1]
            hidden.append(tanh(acc + b))
        vs, c = syms[d * per:d * per + d], syms[-1]
        o = vs[0] * hidden[0]
        for v, hk in zip(vs[1:], hidden[1:]):
            o = o + v * hk
        return (o + c - const(0.5)) ** 2
    h = max(1, n // (MLP_INPUTS + 2))
    per = MLP_INPUTS + 1
    hidden = []
    for k in range(h):
        b = syms[k * per]
        ws = syms[k * per + 1:(k + 1) * per]
        hidden.append(tanh(add_all([b] + [const(mlp_input(j + 1)) * w for j, w in enumerate(ws)])))
    vs = syms[h * per:h * per + h]
    c = syms[-1]
    o = add_all([c] + [v * hk for v, hk in zip(vs, hidden)])
    return (o - const(0.5)) ** 2


def run_sympy(family, n, check):
    import sympy
    from sympy.printing.numpy import NumPyPrinter
    names = variables(family, n)
    t = {}
    s = time.perf_counter()
    syms = sympy.symbols(names) if len(names) > 1 else [sympy.Symbol(names[0])]
    f = build(family, n, list(syms), sympy.sin, sympy.exp, sympy.tanh, sympy.Float,
              lambda ts: sympy.Add(*ts))
    t["build_s"] = time.perf_counter() - s
    s = time.perf_counter()
    grads = [sympy.diff(f, v) for v in syms]
    t["diff_s"] = time.perf_counter() - s
    s = time.perf_counter()
    repl, reduced = sympy.cse([f] + grads)
    t["cse_s"] = time.perf_counter() - s
    s = time.perf_counter()
    printer = NumPyPrinter()
    lines = [f"{sym} = {printer.doprint(e)}" for sym, e in repl]
    lines += [f"r{i} = {printer.doprint(e)}" for i, e in enumerate(reduced)]
    text = "\n".join(lines)
    t["codegen_s"] = time.perf_counter() - s
    t["emitted_bytes"] = len(text)
    t["total_s"] = t["build_s"] + t["diff_s"] + t["cse_s"] + t["codegen_s"]
    return t


def run_symengine(family, n, check):
    import symengine
    names = variables(family, n)
    t = {}
    s = time.perf_counter()
    syms = [symengine.Symbol(v) for v in names]
    f = build(family, n, syms, symengine.sin, symengine.exp, symengine.tanh, symengine.RealDouble,
              lambda ts: symengine.Add(*ts))
    t["build_s"] = time.perf_counter() - s
    s = time.perf_counter()
    grads = [f.diff(v) for v in syms]
    t["diff_s"] = time.perf_counter() - s
    s = time.perf_counter()
    repl, reduced = symengine.cse([f] + grads)
    t["cse_s"] = time.perf_counter() - s
    t["cse_lines"] = len(repl)
    t["total_s"] = t["build_s"] + t["diff_s"] + t["cse_s"]
    return t


def casadi_ops(fn):
    """Arithmetic instructions and function calls of a CasADi Function: every instruction except
    inputs, outputs, constants and parameters counts 1 (as symdiff counts every +,-,*,/,neg,^ and
    call as 1 op)."""
    import casadi as ca
    free = {ca.OP_INPUT, ca.OP_OUTPUT, ca.OP_CONST, ca.OP_PARAMETER}
    return sum(1 for k in range(fn.n_instructions()) if fn.instruction_id(k) not in free)


def run_casadi(family, n, check):
    import casadi as ca
    names = variables(family, n)
    t = {}
    s = time.perf_counter()
    X = ca.SX.sym("x", len(names))
    syms = ca.vertsplit(X)

    def add_all(ts):
        acc = ts[0]
        for term in ts[1:]:
            acc = acc + term
        return acc

    f = build(family, n, syms, ca.sin, ca.exp, ca.tanh, float, add_all)
    t["build_s"] = time.perf_counter() - s
    s = time.perf_counter()
    g = ca.gradient(f, X)
    t["diff_s"] = time.perf_counter() - s
    s = time.perf_counter()
    F = ca.Function("f", [X], [f, g])
    cg = ca.CodeGenerator("f.c")
    cg.add(F)
    text = cg.dump()
    t["codegen_s"] = time.perf_counter() - s
    t["emitted_bytes"] = len(text)
    t["total_s"] = t["build_s"] + t["diff_s"] + t["codegen_s"]
    t["_F"] = F
    t["_f"] = f
    t["_X"] = X
    return t


RUNNERS = {"sympy": run_sympy, "symengine": run_symengine, "casadi": run_casadi}


def clear_caches(tool):
    if tool == "sympy":
        from sympy.core.cache import clear_cache
        clear_cache()


def main():
    args = sys.argv[1:]
    tool, family, n = args[0], args[1], int(args[2])
    min_time = float(args[args.index("--min-time") + 1]) if "--min-time" in args else 0.5
    max_reps = int(args[args.index("--max-reps") + 1]) if "--max-reps" in args else 10
    check = "--check" in args
    runner = RUNNERS[tool]
    runner(family, 3, False)  # import the tool and warm it up on a tiny instance
    best, reps, elapsed, last = None, 0, 0.0, None
    while reps < max_reps and (reps == 0 or elapsed < min_time):
        clear_caches(tool)
        last = None
        last = runner(family, n, check)
        reps += 1
        elapsed += last["total_s"]
        if best is None or last["total_s"] < best["total_s"]:
            best = last
    out = {k: v for k, v in best.items() if not k.startswith("_")}
    out.update(tool=tool, family=family, n=n, reps=reps)
    if tool == "casadi":
        import casadi as ca
        F = best["_F"]
        out["forward_ops"] = casadi_ops(ca.Function("fwd", [best["_X"]], [best["_f"]]))
        out["total_ops"] = casadi_ops(F)
        if check:
            point = [point_value(i) for i in range(len(variables(family, n)))]
            value, grad = F(ca.DM(point))
            out["value"] = float(value)
            out["gradient_sum"] = float(ca.sum1(grad))
    print(json.dumps(out))


if __name__ == "__main__":
    # Deep expressions (chain) recurse in SymPy and SymEngine's Python layer: give them room.
    sys.setrecursionlimit(1_000_000)
    threading.stack_size(1 << 29)
    worker = threading.Thread(target=main)
    worker.start()
    worker.join()
