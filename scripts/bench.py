"""Driver of scripts/bench: runs every measurement in its own subprocess with a timeout and
prints one Markdown report (see Benchmarks/README.md for what is measured and how).

    scripts/bench [--quick] [--write] [--only compile,cli,cost,swift,numpy] [--timeout S]
                  [--families chain,wide,mlp,mlpw] [--peers sympy,symengine,casadi] [--max-ops K]
                  [--numpy-ops-max K]
"""
import datetime
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, ".build", "release", "symdiff-bench")
WORK = os.path.join(ROOT, ".build", "bench-work")
PEERS = ["sympy", "symengine", "casadi"]
FAMILIES = ["chain", "wide", "mlp", "mlpw"]
MLP_INPUTS = 16

# The worksheet functions of shared/WORKSHEETS.md used for run speed: id, source, inputs.
WORKSHEETS = [
    ("ws1", "(x + y)z", ["x", "y", "z"]),
    ("ws2", "(x^2 + 2y)z^3", ["x", "y", "z"]),
    ("ws3", "(ln(x) + sin(y))^2 + 4x", ["x", "y"]),
    ("ws4", "sigmoid(x)", ["x"]),
    ("ws5", "ln(x)*sigmoid(sqrt(y))/sigmoid((x+y)^2)", ["x", "y"]),
    ("ws6", "sin(theta*x1 + x2) + theta*x2^2", ["x1", "x2", "theta"]),
    ("ws7", "x = 3a + 2b; y = 4a - b; z = 3x^2 - 2x y + y^2", ["a", "b"]),
]
CHAIN_RUN_SIZES = [10, 16, 64, 100, 1000]

# Sizes named by the targets (about 1e5 forward ops) and SymPy's comparison point.
# mlpw N=32768 is issue 11's network: H = D = 180, every weight an input.
TARGET_N = {"chain": 32768, "wide": 16384, "mlp": 65536, "mlpw": 32768}
SYMPY_TARGET = ("wide", 512)

# Through the CLI: the target sizes times these (about 1e5 to 1e6 forward ops), each run this often.
SYMDIFF = os.path.join(ROOT, ".build", "release", "symdiff")
CLI_SCALES = [1, 2, 4, 8]
CLI_REPS = int(os.environ.get("BENCH_CLI_REPS", "5"))


def log(message):
    print(message, file=sys.stderr, flush=True)


def run(cmd, timeout, cwd=ROOT):
    """(status, stdout, stderr, seconds): status is 'ok', 'timeout' or 'error'. The child runs in
    its own session so that a timeout kills everything it started."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        out, err = proc.communicate()
        return "timeout", out, err, time.perf_counter() - start
    status = "ok" if proc.returncode == 0 else "error"
    return status, out, err, time.perf_counter() - start


def last_json(text):
    for line in reversed(text.strip().splitlines()):
        try:
            return json.loads(line)
        except ValueError:
            continue
    return None


def estimated_forward_ops(family, n):
    if family == "chain":
        return 3 * n
    if family == "wide":
        return 8 * n - 1
    if family == "mlpw":
        d = mlpw_width(n)
        return d * (2 * d + 1) + 2 * d + 2
    h = max(1, n // (MLP_INPUTS + 2))
    return h * (2 * MLP_INPUTS + 3) + 2


def mlpw_width(n):
    """H = D of the mlpw family: isqrt(N) - 1, at least 1 (as Families.swift)."""
    d = 1
    while (d + 2) * (d + 2) <= n:
        d += 1
    return d


# Calls that do no arithmetic: the input conversion and the views the partials are returned as.
NUMPY_FREE_CALLS = {"asarray", "broadcast_to", "broadcast", "shape"}


def numpy_op_counts(text):
    """(forward, backward) ops of an emitted NumPy function as it runs, counted from its syntax
    tree: every arithmetic operator (+ - * / ** and unary minus), comparison and np.* call is 1
    op, except an expression of constants alone (CPython folds `2 / 3` and `-0.5` when it
    compiles the function; `np.asarray(3, dtype=np.float64)` touches no array) and the
    calls in NUMPY_FREE_CALLS. Statements after the `# backward pass` comment are backward."""
    import ast
    lines = text.splitlines()
    start = next((i + 1 for i, line in enumerate(lines) if line.strip() == "# backward pass"), len(lines) + 1)
    fn = next(node for node in ast.parse(text).body if isinstance(node, ast.FunctionDef))

    def constant(node):
        return all(name.id == "np" for name in ast.walk(node) if isinstance(name, ast.Name))

    forward = backward = 0
    for statement in fn.body:
        ops = 0
        for node in ast.walk(statement):
            if isinstance(node, (ast.BinOp, ast.UnaryOp)) and not constant(node):
                ops += 1
            elif isinstance(node, ast.Compare) and not constant(node):
                ops += len(node.ops)
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and not constant(node)
                  and node.func.attr not in NUMPY_FREE_CALLS):
                ops += 1
        if statement.lineno > start:
            backward += ops
        else:
            forward += ops
    return forward, backward


def count_emitted_ops(family, n, data, cfg):
    """Adds the emitted NumPy's op counts to symdiff's compile result `data` (sizes up to
    cfg["numpy_ops_max"] forward ops: parsing the emitted text in Python takes memory)."""
    if data.get("forward_ops", 0) > cfg["numpy_ops_max"]:
        return
    cmd = [BENCH, "emit", "--lang", "numpy", "--name", "f", "--family", family, "--n", str(n)]
    status, out, err, _ = run(cmd, cfg["timeout"] + 60)
    if status != "ok":
        log(f"  {family:5} N={n:<8} numpy op count: {status} {err.strip()[-160:]}")
        return
    data["numpy_forward_ops"], data["numpy_backward_ops"] = numpy_op_counts(out)


# ---------------------------------------------------------------------------------------------
# Environment


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=30).stdout.strip()
    except Exception:
        return ""


def machine():
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            kb = int(f.readline().split()[1])
            mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    versions = {}
    for pkg in ["numpy", "sympy", "symengine", "casadi"]:
        status, out, _, _ = run([sys.executable, "-c", f"import {pkg}; print({pkg}.__version__)"], 60)
        versions[pkg] = out.strip() if status == "ok" else None
    return {
        "date": datetime.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "nproc": sh("nproc"),
        "cpu": cpu,
        "memory": mem,
        "swift": sh("swift --version 2>&1 | head -1"),
        "python": platform.python_version(),
        "versions": versions,
        "load": sh("cat /proc/loadavg"),
    }


# ---------------------------------------------------------------------------------------------
# 1 and 2: compile speed and gradient cost


def sweep_sizes(quick):
    if quick:
        return [2 ** k for k in range(7, 12)]
    return [2 ** k for k in range(7, 21)]


def compile_sweep(cfg, available):
    """results[family][n][tool] = dict with total_s etc., or {'status': 'timeout'|'error'|'n/a'}."""
    results = {f: {} for f in FAMILIES}
    limit = cfg["timeout"]
    for family in cfg["families"]:
        stopped = {}
        for n in sweep_sizes(cfg["quick"]):
            if estimated_forward_ops(family, n) > cfg["max_ops"]:
                break
            row = results[family].setdefault(n, {})
            for tool in ["symdiff"] + PEERS:
                if tool != "symdiff" and tool not in cfg["peers"]:
                    row[tool] = {"status": "n/a", "why": "not run (--peers)"}
                    continue
                if tool != "symdiff" and not available.get(tool):
                    row[tool] = {"status": "n/a", "why": "not installed"}
                    continue
                if tool in stopped:
                    row[tool] = {"status": "skipped", "why": stopped[tool]}
                    continue
                check = n <= 4096 and tool in ("symdiff", "casadi")
                if tool == "symdiff":
                    cmd = [BENCH, "compile", family, str(n), "--min-time", str(cfg["min_time"])]
                else:
                    cmd = [sys.executable, os.path.join(ROOT, "scripts", "bench_peers.py"), tool, family, str(n),
                           "--min-time", str(cfg["min_time"]), "--max-reps", "5"]
                if check:
                    cmd.append("--check")
                cmd = ["nice", "-n", "5"] + cmd if cfg["nice"] else cmd
                # Slack for process start, imports and the warm-up run, beyond the tool's own limit.
                status, out, err, wall = run(cmd, limit + 15)
                data = last_json(out) if status == "ok" else None
                if status == "ok" and data is None:
                    status = "error"
                if status == "ok" and data["total_s"] > limit:
                    status = "timeout"
                if status != "ok":
                    why = err.strip().splitlines()[-1][:160] if err.strip() else ""
                    row[tool] = {"status": status, "why": why, "wall_s": wall}
                    stopped[tool] = f"{status} at N={n}"
                    log(f"  {family:5} N={n:<8} {tool:9} {status} {why}")
                    continue
                data["status"] = "ok"
                data["wall_s"] = wall
                row[tool] = data
                if tool == "symdiff":
                    count_emitted_ops(family, n, data, cfg)
                log(f"  {family:5} N={n:<8} {tool:9} {data['total_s']:.4g} s")
            if all(tool in stopped or not available.get(tool, True) for tool in ["symdiff"] + PEERS):
                break
    return results


# ---------------------------------------------------------------------------------------------
# 1b: compile speed and memory through the CLI, against CasADi in the same run


# GNU time reports the command's own peak RSS. The child's ru_maxrss that wait4 gives is not it:
# Linux carries the high-water mark of the process that forked it over exec, so once this Python
# process has grown (parsing emitted code for op counts takes GBs), every child would report that.
GNU_TIME = "/usr/bin/time" if os.path.exists("/usr/bin/time") else None
MAXRSS_TAG = "bench-maxrss-kb "


def run_measured(cmd, timeout, stdout=os.devnull):
    """One run of `cmd` with stdout to a file: (status, wall seconds, peak RSS in kB of that process,
    last line of stderr). Wall time runs from fork to exit, as a user timing the command sees it."""
    if GNU_TIME:
        cmd = [GNU_TIME, "-f", MAXRSS_TAG + "%M"] + list(cmd)
    with open(stdout, "wb") as out, open(os.path.join(WORK, "stderr.txt"), "w+b") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=err, start_new_session=True)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid == proc.pid:
                break
            if time.perf_counter() > deadline:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                os.wait4(proc.pid, 0)
                proc.returncode = -9
                return "timeout", time.perf_counter() - start, 0, ""
            time.sleep(0.002)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        lines = err.read().decode("utf-8", "replace").strip().splitlines()
    maxrss = usage.ru_maxrss
    if GNU_TIME:
        tagged = [line for line in lines if line.startswith(MAXRSS_TAG)]
        lines = [line for line in lines if not line.startswith(MAXRSS_TAG) and not line.startswith("Command exited")]
        maxrss = int(tagged[-1][len(MAXRSS_TAG):]) if tagged else 0
    return ("ok" if proc.returncode == 0 else "error"), wall, maxrss, (lines[-1][:160] if lines else "")


def median(values):
    v = sorted(values)
    return (v[len(v) // 2] + v[(len(v) - 1) // 2]) / 2 if v else float("nan")


def cli_sizes(cfg, family):
    base = TARGET_N[family]
    return [base // 16, base // 8] if cfg["quick"] else [base * k for k in CLI_SCALES]


def cli_sweep(cfg, available):
    """results[family][n] = {forward_ops, symdiff: {walls, rss_kb}, casadi: {build, gradient_codegen, total}}.

    symdiff: `symdiff emit -f FILE --lang numpy > /dev/null`, the release binary, process start to exit.
    CasADi (at the target size only): one `bench_peers.py casadi` process per repetition, alternating
    with symdiff's runs so that both see the same load; its own timers split the build (Python building
    the SX expression) from gradient + Function + C code generation."""
    work = os.path.join(WORK, "cli")
    os.makedirs(work, exist_ok=True)
    reps = 3 if cfg["quick"] else CLI_REPS
    limit = cfg["timeout"] + 15
    results = {"baseline_rss_kb": None, "families": {}}
    # The process's own footprint (runtime, libraries), for memory per op above it.
    base = [run_measured([SYMDIFF, "emit", "x*y", "--lang", "numpy"], 30) for _ in range(3)]
    if all(b[0] == "ok" for b in base):
        results["baseline_rss_kb"] = min(b[2] for b in base)
    for family in cfg["families"]:
        if family not in TARGET_N:
            continue
        rows = results["families"].setdefault(family, {})
        for n in cli_sizes(cfg, family):
            path = os.path.join(work, f"{family}-{n}.sd")
            status, _, _, why = run_measured([BENCH, "program", family, str(n)], 120, stdout=path)
            if status != "ok":
                rows[n] = {"status": status, "why": why}
                break
            counted = run([BENCH, "compile", family, str(n), "--skip-emit", "--max-reps", "1"], limit)
            data = last_json(counted[1]) if counted[0] == "ok" else None
            row = {"forward_ops": data["forward_ops"] if data else estimated_forward_ops(family, n),
                   "text_bytes": os.path.getsize(path), "symdiff": {"walls": [], "rss_kb": []}}
            with_casadi = n == TARGET_N[family] or (cfg["quick"] and n == cli_sizes(cfg, family)[0])
            if with_casadi and data:
                # Op counts of what each side's code runs, counted the same way (section 2's rule).
                count_emitted_ops(family, n, data, cfg)
                if "numpy_forward_ops" in data:
                    row["numpy_ops"] = [data["numpy_forward_ops"], data["numpy_forward_ops"] + data["numpy_backward_ops"]]
            if with_casadi and available.get("casadi"):
                row["casadi"] = {"build": [], "gradient_codegen": [], "total": []}
            for _ in range(reps):
                status, wall, rss, why = run_measured([SYMDIFF, "emit", "-f", path, "--lang", "numpy"], limit)
                if status != "ok":
                    row["symdiff"].update(status=status, why=why)
                    break
                row["symdiff"]["walls"].append(wall)
                row["symdiff"]["rss_kb"].append(rss)
                if "casadi" in row and "status" not in row["casadi"]:
                    cmd = [sys.executable, os.path.join(ROOT, "scripts", "bench_peers.py"), "casadi", family, str(n),
                           "--min-time", "0", "--max-reps", "1"]
                    c_status, out, err, _ = run(cmd, limit)
                    c = last_json(out) if c_status == "ok" else None
                    if c is None:
                        row["casadi"] = {"status": c_status if c_status != "ok" else "error",
                                         "why": err.strip().splitlines()[-1][:160] if err.strip() else ""}
                        continue
                    row["casadi"]["build"].append(c["build_s"])
                    row["casadi"]["gradient_codegen"].append(c["diff_s"] + c["codegen_s"])
                    row["casadi"]["total"].append(c["total_s"])
                    row["casadi"]["ops"] = [c.get("forward_ops"), c.get("total_ops")]
            rows[n] = row
            sd = row["symdiff"]
            if sd["walls"]:
                cas = row.get("casadi", {})
                extra = (f"; CasADi gradient+codegen median {median(cas['gradient_codegen']):.3f} s, with build "
                         f"{median(cas['total']):.3f} s" if cas.get("gradient_codegen") else "")
                log(f"  cli {family:5} N={n:<8} symdiff median {median(sd['walls']):.3f} s, peak RSS "
                    f"{max(sd['rss_kb']) / 1024:.0f} MB{extra}")
            if "status" in sd:
                log(f"  cli {family:5} N={n:<8} symdiff {sd['status']} {sd.get('why', '')}")
                break
    return results


def report_cli(L, targets, cli, cfg):
    """Section 1b and its targets: compile speed against CasADi, memory per op, and growth."""
    L.append("## 1b. Compile speed and memory through the CLI")
    L.append("")
    L.append(f"symdiff: `symdiff emit -f FILE --lang numpy > /dev/null`, the release binary, timed from process start "
             f"to exit (reading and parsing the file, staging, differentiating, emitting, writing the Python); "
             f"peak RSS is the process's maximum resident set (GNU time's `%M`). CasADi (at the target sizes): SX "
             f"`gradient` + `Function` + `CodeGenerator.dump()` (C code), timed in its Python process after a warm-up; "
             f"'build' is Python building the SX expression, which symdiff's time has no counterpart of (its parse "
             f"is inside its time). Each side runs {CLI_REPS if not cfg['quick'] else 3} times, alternating, in the same "
             f"run; times are medians (min in parentheses). Op counts (at the target sizes) are counted the same way on both "
             f"sides, as section 2 says: the emitted NumPy function's operators and np.* calls as it runs, and CasADi's SX "
             f"instructions other than inputs, outputs and constants, for the value alone (fwd) and value and gradient (fwd+bwd).")
    L.append("")
    base = cli.get("baseline_rss_kb")
    L.append("| family | N | forward ops | symdiff | peak RSS | bytes/op | bytes/op above `emit x*y`"
             " | CasADi gradient+codegen | CasADi build | symdiff / CasADi (build excluded) | symdiff / CasADi (build included)"
             " | ops fwd / fwd+bwd: symdiff's NumPy | CasADi |")
    L.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    growth, memory = [], []
    for family, rows in cli.get("families", {}).items():
        prev = None
        for n in sorted(rows, key=int):
            row = rows[n]
            sd = row.get("symdiff", {})
            if not sd.get("walls"):
                L.append(f"| {family} | {n} | {row.get('forward_ops', '')} | {sd.get('status', row.get('status', ''))} | | | | | | | | | |")
                continue
            ops = row["forward_ops"]
            t, rss = median(sd["walls"]), max(sd["rss_kb"])
            per_op = rss * 1024 / ops
            above = f"{(rss - base) * 1024 / ops:.0f}" if base else ""
            memory.append((family, n, ops, per_op))
            cas = row.get("casadi", {})
            cas_cells = ["", "", "", ""]
            if cas.get("gradient_codegen"):
                g, b, tot = median(cas["gradient_codegen"]), median(cas["build"]), median(cas["total"])
                cas_cells = [f"{g:.3f} s ({min(cas['gradient_codegen']):.3f})", f"{b:.3f} s", f"{t / g:.2f}", f"{t / tot:.2f}"]
                targets.append((f"compile {family} N={n} ({ops} forward ops) through the CLI <= 1.0x CasADi's gradient + codegen "
                                f"(build excluded)",
                                f"symdiff {t:.3f} s vs CasADi {g:.3f} s: {t / g:.2f}x (with CasADi's build, {tot:.3f} s: "
                                f"{t / tot:.2f}x)", t / g <= 1.0))
            elif "casadi" in row:
                cas_cells[0] = cas.get("status", "")
            op_cells = [" / ".join(str(k) for k in row["numpy_ops"]) if row.get("numpy_ops") else "",
                        " / ".join(str(k) for k in cas["ops"]) if cas.get("ops") and None not in cas["ops"] else ""]
            if row.get("numpy_ops") and cas.get("ops") and None not in cas["ops"]:
                targets.append((f"gradient op counts {family} N={n}: symdiff's emitted NumPy <= CasADi (forward and fwd+bwd)",
                                f"symdiff {op_cells[0]}, CasADi {op_cells[1]}",
                                row["numpy_ops"][0] <= cas["ops"][0] and row["numpy_ops"][1] <= cas["ops"][1]))
            L.append(f"| {family} | {n} | {ops} | {t:.3f} s ({min(sd['walls']):.3f}) | {rss / 1024:.0f} MB | {per_op:.0f} | "
                     f"{above} | " + " | ".join(cas_cells + op_cells) + " |")
            if prev is not None and int(n) == 2 * int(prev[0]):
                growth.append((family, int(n), t / prev[1], rss / prev[2]))
            prev = (n, t, rss)
    L.append("")
    if growth:
        L.append("Growth between consecutive sizes (medians): " + "; ".join(
            f"{f} N={n}: time {q:.2f}, peak RSS {m:.2f}" for f, n, q, m in growth) + ".")
        L.append("")
        worst = max(growth, key=lambda g: g[2])
        targets.append(("time linear through the CLI: t(2N)/t(N) <= 2.2 (medians, ~1e5 to 1e6 forward ops)",
                        f"worst {worst[2]:.2f} ({worst[0]} N={worst[1]}); peak RSS worst "
                        f"{max(g[3] for g in growth):.2f}", all(g[2] <= 2.2 for g in growth)))
    in_range = [m for m in memory if 0.9e5 <= m[2] <= 1.1e6]
    if in_range:
        worst = max(in_range, key=lambda m: m[3])
        targets.append(("peak RSS <= 500 bytes per forward op at 1e5-1e6 ops (whole CLI process)",
                        f"worst {worst[3]:.0f} B/op ({worst[0]} N={worst[1]}, {worst[2]} ops); best "
                        f"{min(m[3] for m in in_range):.0f}", all(m[3] <= 500 for m in in_range)))


# ---------------------------------------------------------------------------------------------
# 3: run speed of emitted Swift


def emit(lang, name, source=None, variables=None, family=None, n=None):
    cmd = [BENCH, "emit", "--lang", lang, "--name", name]
    if variables:
        cmd += ["--vars", ",".join(variables)]
    if family:
        cmd += ["--family", family, "--n", str(n)]
    else:
        cmd.append(source)
    status, out, err, _ = run(cmd, 120)
    if status != "ok":
        raise RuntimeError(f"symdiff-bench emit {name}: {status} {err.strip()}")
    return out


def swift_cases():
    cases = []
    for cid, source, variables in WORKSHEETS:
        cases.append({"id": cid, "label": source, "vars": variables, "source": source,
                      "ad": f"ad_{cid}", "ad_call": None})
    for n in CHAIN_RUN_SIZES:
        cases.append({"id": f"chain{n}", "label": f"chain N={n}", "vars": ["x", "y"], "family": "chain", "n": n,
                      "ad": None, "ad_call": f"{{ x, y in ad_chain(x, y, steps: {n}) }}"})
    return cases


def swift_harness(cases, points):
    """main.swift: for every case, @inline(never) loops over `points` inputs for the emitted
    function, valueWithGradient on the hand-written one, and the hand-written one alone; every
    result is summed into a checksum that is printed, so nothing is dead code."""
    out = ["import _Differentiation", "#if canImport(Glibc)", "import Glibc", "#endif", "",
           "func now() -> Double { var t = timespec(); clock_gettime(CLOCK_MONOTONIC, &t); "
           "return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9 }",
           f"let points = {points}",
           "var seed: UInt64 = UInt64(CommandLine.arguments.count) &* 0x9E3779B97F4A7C15",
           "func random01() -> Double { seed = seed &* 6364136223846793005 &+ 1442695040888963407; "
           "return Double(seed >> 11) / Double(1 << 53) }",
           "// Inputs in (0.1, 0.9): inside every function's domain.",
           "let inputs: [Double] = (0..<(points * 3)).map { _ in 0.1 + 0.8 * random01() }",
           "var sink = 0.0",
           "/// Nanoseconds per call: the fastest of 7 rounds, each long enough to be timed (>= 20 ms).",
           "func measure(_ body: (Int) -> Double) -> Double {",
           "    var rounds = 1",
           "    while true { let t0 = now(); sink += body(rounds); let dt = now() - t0; if dt > 0.02 { break }; rounds *= 2 }",
           "    var best = Double.infinity",
           "    for _ in 0..<7 { let t0 = now(); sink += body(rounds); best = min(best, (now() - t0) / Double(rounds * points)) }",
           "    return best * 1e9",
           "}", ""]
    for c in cases:
        k = len(c["vars"])
        args = ", ".join(f"p[i * {k} + {j}]" for j in range(k))
        arity = k + 1
        sd_sum = " + ".join(f"r.{j}" for j in range(arity))
        ad_ref = c["ad"] if c["ad"] else c["ad_call"]
        if k == 1:
            vwg_sum = "r.value + r.gradient"
        else:
            vwg_sum = "r.value + " + " + ".join(f"r.gradient.{j}" for j in range(k))
        fw_call = f"{c['ad']}({args})" if c["ad"] else f"ad_chain({args}, steps: {c['n']})"
        cid = c["id"]
        out += [
            f"@inline(never) func run_sd_{cid}(_ rounds: Int) -> Double {{",
            "    var acc = 0.0",
            "    inputs.withUnsafeBufferPointer { p in",
            f"        for _ in 0..<rounds {{ for i in 0..<points {{ let r = sd_{cid}({args}); acc += {sd_sum} }} }}",
            "    }",
            "    return acc", "}",
            f"@inline(never) func run_vwg_{cid}(_ rounds: Int) -> Double {{",
            "    var acc = 0.0",
            "    inputs.withUnsafeBufferPointer { p in",
            f"        for _ in 0..<rounds {{ for i in 0..<points {{ let r = valueWithGradient(at: {args}, of: {ad_ref}); acc += {vwg_sum} }} }}",
            "    }",
            "    return acc", "}",
            f"@inline(never) func run_fw_{cid}(_ rounds: Int) -> Double {{",
            "    var acc = 0.0",
            "    inputs.withUnsafeBufferPointer { p in",
            f"        for _ in 0..<rounds {{ for i in 0..<points {{ acc += {fw_call} }} }}",
            "    }",
            "    return acc", "}",
            f"func check_{cid}() -> Double {{",
            "    var worst = 0.0",
            "    inputs.withUnsafeBufferPointer { p in",
            "        for i in 0..<64 {",
            f"            let a = sd_{cid}({args}); let b = valueWithGradient(at: {args}, of: {ad_ref})",
            f"            let x: [Double] = [{', '.join(f'a.{j}' for j in range(arity))}]",
            "            let y: [Double] = [b.value, " + (
                "b.gradient]" if k == 1 else ", ".join(f"b.gradient.{j}" for j in range(k)) + "]"),
            "            for (u, v) in zip(x, y) { worst = max(worst, abs(u - v) / max(1e-300, abs(v), 1)) }",
            "        }",
            "    }",
            "    return worst", "}", ""]
    out.append("for name in CommandLine.arguments.dropFirst() {")
    out.append("    switch name {")
    for c in cases:
        cid = c["id"]
        out.append(f'    case "{cid}":')
        out.append(f"        let sd = measure(run_sd_{cid}); let vwg = measure(run_vwg_{cid}); let fw = measure(run_fw_{cid})")
        out.append(f'        print("{{\\"case\\": \\"{cid}\\", \\"symdiff_ns\\": \\(sd), \\"vwg_ns\\": \\(vwg), '
                   f'\\"forward_ns\\": \\(fw), \\"max_rel_diff\\": \\(check_{cid}())}}")')
    out.append('    default: print("unknown case \\(name)")')
    out.append("    }")
    out.append("}")
    out.append('print("{\\"checksum\\": \\(sink)}")')
    return "\n".join(out) + "\n"


def swift_run(cfg):
    """One program per function (the emitted function, the hand-written references and a harness
    for that case alone), as a user would compile it: one program holding every function lets
    the optimizer treat them together, which an outside harness found flatters neither side
    reliably (0.79x at chain N=16 against 0.18x here before)."""
    cases = swift_cases()
    if cfg["quick"]:
        cases = [c for c in cases if c.get("n", 0) <= 100]
    work = os.path.join(WORK, "swiftrun")
    os.makedirs(work, exist_ok=True)
    shutil.copy(os.path.join(ROOT, "Benchmarks", "SwiftAD.swift"), os.path.join(work, "SwiftAD.swift"))
    results = {"compile_s": 0.0, "cases": {}, "method": "one swiftc -O -wmo program per function"}
    for c in cases:
        if "family" in c:
            code = emit("swift", f"sd_{c['id']}", family="chain", n=c["n"])
        else:
            code = emit("swift", f"sd_{c['id']}", source=c["source"], variables=c["vars"])
        case_dir = os.path.join(work, c["id"])
        os.makedirs(case_dir, exist_ok=True)
        with open(os.path.join(case_dir, "Emitted.swift"), "w") as f:
            f.write(code)
        shutil.copy(os.path.join(work, "SwiftAD.swift"), os.path.join(case_dir, "SwiftAD.swift"))
        with open(os.path.join(case_dir, "main.swift"), "w") as f:
            f.write(swift_harness([c], 1024))
        log(f"  compiling the Swift run-speed program for {c['id']} (swiftc -O -wmo)")
        status, _, err, secs = run(["nice", "swiftc", "-O", "-wmo", "Emitted.swift", "SwiftAD.swift", "main.swift",
                                    "-o", "runbench"], 900, cwd=case_dir)
        results["compile_s"] += secs
        if status != "ok":
            results["cases"][c["id"]] = {"status": f"swiftc {status}", "why": err.strip()[-200:]}
            continue
        status, out, err, _ = run([os.path.join(case_dir, "runbench"), c["id"]], 300, cwd=case_dir)
        data = last_json(out.split("\n{\"checksum\"")[0]) if status == "ok" else None
        results["cases"][c["id"]] = data or {"status": status, "why": err.strip()[-200:]}
        if data:
            log(f"  swift {c['id']:9} symdiff {data['symdiff_ns']:.1f} ns, valueWithGradient {data['vwg_ns']:.1f} ns, "
                f"forward {data['forward_ns']:.1f} ns")
    results["labels"] = {c["id"]: c["label"] for c in cases}
    return results


# ---------------------------------------------------------------------------------------------
# 4: run speed of emitted NumPy

NUMPY_TIMER = r'''
import importlib.util, json, sys, time
import numpy as np
sys.path.insert(0, sys.argv[1])
import emitted
spec = importlib.util.spec_from_file_location("hand", sys.argv[2])
hand = importlib.util.module_from_spec(spec); spec.loader.exec_module(hand)
cid, k, size = sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
rng = np.random.default_rng(7)
args = [rng.uniform(0.1, 0.9, size) for _ in range(k)]
f_sd, f_hand = getattr(emitted, cid), getattr(hand, cid)
a, b = f_sd(*args), f_hand(*args)
agree = all(np.allclose(u, v, rtol=1e-12, atol=1e-12) for u, v in zip(a, b)) and len(a) == len(b)
best = {"symdiff": float("inf"), "hand": float("inf")}
for _ in range(7):
    for name, fn in (("symdiff", f_sd), ("hand", f_hand)):
        t0 = time.perf_counter(); fn(*args); best[name] = min(best[name], time.perf_counter() - t0)
print(json.dumps({"case": cid, "symdiff_ms": best["symdiff"] * 1e3, "hand_ms": best["hand"] * 1e3, "agree": agree}))
'''


def numpy_run(cfg):
    work = os.path.join(WORK, "numpyrun")
    os.makedirs(work, exist_ok=True)
    parts = []
    for cid, source, variables in WORKSHEETS:
        code = emit("numpy", cid, source=source, variables=variables)
        parts.append(code.replace("import numpy as np\n", ""))
    with open(os.path.join(work, "emitted.py"), "w") as f:
        f.write("import numpy as np\n\n" + "\n".join(parts))
    with open(os.path.join(work, "timer.py"), "w") as f:
        f.write(NUMPY_TIMER)
    size = 10 ** 5 if cfg["quick"] else 10 ** 6
    results = {"size": size, "cases": {}, "labels": {c[0]: c[1] for c in WORKSHEETS}}
    for cid, source, variables in WORKSHEETS:
        status, out, err, _ = run([sys.executable, "timer.py", work,
                                   os.path.join(ROOT, "Benchmarks", "numpy_handwritten.py"), cid,
                                   str(len(variables)), str(size)], 300, cwd=work)
        data = last_json(out) if status == "ok" else None
        results["cases"][cid] = data or {"status": status, "why": err.strip()[-200:]}
        if data:
            log(f"  numpy {cid}: symdiff {data['symdiff_ms']:.2f} ms, hand {data['hand_ms']:.2f} ms, agree {data['agree']}")
    return results


# ---------------------------------------------------------------------------------------------
# Report


def fmt_s(entry):
    if entry is None:
        return ""
    status = entry.get("status")
    if status == "ok":
        t = entry["total_s"]
        return f"{t * 1e3:.3g} ms" if t < 1 else f"{t:.3g} s"
    if status == "timeout":
        return f"timeout (>{CFG['timeout']:.0f} s)"
    if status == "skipped":
        return "—"
    if status == "n/a":
        return "n/a (" + entry.get("why", "") + ")"
    return "error"


def ok(entry):
    return entry is not None and entry.get("status") == "ok"


def ratio(a, b):
    return a / b if b else float("nan")


def report(env, compile_results, swift_results, numpy_results, cfg, cli_results=None):
    L = []
    L.append("# symdiff benchmarks")
    L.append("")
    L.append(f"Generated by `{cfg['command']}` on {env['date']}. All figures come from this one run on this machine.")
    L.append("")
    L.append(f"- Machine: {env['nproc']} cores ({env['cpu']}), {env['memory']} memory; load average at start: {env['load']}")
    L.append(f"- {env['swift']}; Python {env['python']}; " + ", ".join(
        f"{k} {v if v else 'not available'}" for k, v in env["versions"].items()))
    L.append("- Method: Benchmarks/README.md. Every measurement runs in its own process with a timeout of "
             f"{cfg['timeout']:.0f} s; times are the fastest of repeated runs (repeated until {cfg['min_time']} s "
             "had passed) for small sizes, a single run for large ones.")
    L.append("")
    targets = []

    if compile_results is not None:
        L.append("## 1. Compile speed: text to gradient code")
        L.append("")
        L.append("symdiff: parse + ProgramGraph + StagedProgram + Gradient + emit NumPy, in-process in the release-built "
                 "`symdiff-bench` (program text generated beforehand, not timed). SymPy: build + `diff` per variable + "
                 "`cse` + `NumPyPrinter`. SymEngine: build + `diff` per variable + `cse`. CasADi: build SX + "
                 "`gradient` + `Function` + C code generation. growth = t(N)/t(N/2). Memory: symdiff's peak RSS "
                 "(VmHWM) of its own process, and (peak - RSS at start) / forward ops.")
        L.append("")
        for family in cfg["families"]:
            rows = compile_results.get(family, {})
            if not rows:
                continue
            L.append(f"### {family}")
            L.append("")
            L.append("| N | forward ops | symdiff | growth | peak RSS | bytes/op | SymPy | SymEngine | CasADi SX (incl. build) "
                     "| CasADi (incl. build) / symdiff |")
            L.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
            prev = None
            for n in sorted(rows):
                r = rows[n]
                sd = r.get("symdiff")
                growth = ""
                if ok(sd) and prev is not None and ok(prev):
                    growth = f"{sd['total_s'] / prev['total_s']:.2f}"
                fops = sd["forward_ops"] if ok(sd) else estimated_forward_ops(family, n)
                rss = bpo = ""
                if ok(sd):
                    rss = f"{sd['vmhwm_kb'] / 1024:.0f} MB"
                    bpo = f"{(sd['vmhwm_kb'] - sd['rss_before_kb']) * 1024 / max(1, sd['forward_ops']):.0f}"
                cas = r.get("casadi")
                vs = f"{cas['total_s'] / sd['total_s']:.2f}x" if ok(cas) and ok(sd) else ""
                L.append(f"| {n} | {fops} | {fmt_s(sd)} | {growth} | {rss} | {bpo} | {fmt_s(r.get('sympy'))} | "
                         f"{fmt_s(r.get('symengine'))} | {fmt_s(cas)} | {vs} |")
                prev = sd
            L.append("")
            L.append(f"symdiff by phase ({family}); share of the total:")
            L.append("")
            L.append("| N | parse | ProgramGraph | StagedProgram | Gradient | emit NumPy | total | emitted bytes |")
            L.append("|---:|---:|---:|---:|---:|---:|---:|---:|")
            for n in sorted(rows):
                sd = rows[n].get("symdiff")
                if not ok(sd):
                    continue
                tot = sd["total_s"]
                cells = [f"{sd[k] * 1e3:.3g} ms ({100 * sd[k] / tot:.0f}%)"
                         for k in ["parse_s", "programgraph_s", "staged_s", "gradient_s", "emit_s"]]
                L.append(f"| {n} | " + " | ".join(cells) + f" | {tot * 1e3:.4g} ms | {sd['emitted_bytes']} |")
            L.append("")
        # Consistency between symdiff and CasADi
        checks = []
        for family in cfg["families"]:
            for n, r in sorted(compile_results.get(family, {}).items()):
                sd, cas = r.get("symdiff"), r.get("casadi")
                if ok(sd) and ok(cas) and "value" in sd and "value" in cas:
                    rel = max(abs(sd["value"] - cas["value"]) / max(1, abs(cas["value"])),
                              abs(sd["gradient_sum"] - cas["gradient_sum"]) / max(1, abs(cas["gradient_sum"])))
                    checks.append(rel)
        if checks:
            L.append(f"Same functions: at {len(checks)} (family, N) pairs with N <= 4096, symdiff's value and gradient sum "
                     f"(Gradient.evaluate) and CasADi's agree to a relative {max(checks):.1e} at most.")
            L.append("")

        L.append("## 2. Gradient cost: op counts")
        L.append("")
        L.append("Counted the same way on both sides, as the code runs: every arithmetic operation (+ - * /, negation, "
                 "power/square) and every function call on values is 1 op; inputs, constants, constant expressions, "
                 "copies and outputs are free. symdiff: the emitted NumPy function's syntax tree "
                 "(`numpy_op_counts` in scripts/bench.py: operators, comparisons and np.* calls, not an expression of "
                 "constants alone, which CPython folds, nor np.asarray / np.broadcast_to / np.broadcast / np.shape, "
                 "which do no arithmetic), for sizes up to "
                 f"{cfg.get('numpy_ops_max', 3e5):.0e} forward ops, and `Gradient.opCounts()` (the same rule on the staged "
                 "program, an n-ary sum of k terms k - 1 ops), which must agree. CasADi: instructions of the SX "
                 "`Function` computing the value alone (forward) and the value and gradient together (fwd+bwd), minus "
                 "OP_INPUT/OP_OUTPUT/OP_CONST/OP_PARAMETER; each remaining instruction is one operation or call "
                 "(`sq` and `twice` count 1, as `x**2` and `2 * x` do).")
        L.append("")
        L.append("| family | N | symdiff forward | symdiff fwd+bwd | emitted NumPy forward | emitted NumPy fwd+bwd | "
                 "CasADi forward | CasADi fwd+bwd | symdiff - CasADi (fwd+bwd) |")
        L.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for family in cfg["families"]:
            for n, r in sorted(compile_results.get(family, {}).items()):
                sd, cas = r.get("symdiff"), r.get("casadi")
                if not ok(sd):
                    continue
                total = sd["forward_ops"] + sd["backward_ops"]
                nf = nt = ""
                if "numpy_forward_ops" in sd:
                    nf, nt = sd["numpy_forward_ops"], sd["numpy_forward_ops"] + sd["numpy_backward_ops"]
                cf = ct = diff = ""
                if ok(cas):
                    cf, ct = cas["forward_ops"], cas["total_ops"]
                    diff = f"{(nt if nt != '' else total) - ct:+d}"
                L.append(f"| {family} | {n} | {sd['forward_ops']} | {total} | {nf} | {nt} | {cf} | {ct} | {diff} |")
        L.append("")
        counted = [(family, n, sd) for family in cfg["families"] for n, r in sorted(compile_results.get(family, {}).items())
                   if ok(sd := r.get("symdiff")) and "numpy_forward_ops" in sd]
        differ = [f"{family} N={n}" for family, n, sd in counted
                  if (sd["numpy_forward_ops"], sd["numpy_backward_ops"]) != (sd["forward_ops"], sd["backward_ops"])]
        if counted:
            L.append(f"`Gradient.opCounts()` and the emitted NumPy's ops agree at {len(counted) - len(differ)} of "
                     f"{len(counted)} (family, N)" + (f"; they differ at {', '.join(differ)}." if differ else "."))
            L.append("")

        # Targets from sections 1 and 2
        def first_failure(family, tool):
            for n in sorted(compile_results.get(family, {})):
                e = compile_results[family][n].get(tool)
                if e is not None and e.get("status") in ("timeout", "error"):
                    return n, e["status"]
            return None

        for family, n in TARGET_N.items():
            if family not in cfg["families"]:
                continue
            r = compile_results.get(family, {}).get(n, {})
            sd, cas = r.get("symdiff"), r.get("casadi")
            name = (f"compile {family} N={n} (~1e5 forward ops) in-process no slower than CasADi SX including its build "
                    f"(the CLI comparison, build excluded, is in 1b)")
            cas_text = f"CasADi {cas['total_s']:.3g} s" if ok(cas) else f"CasADi {cas.get('status') if cas else 'not run'}"
            if ok(sd) and ok(cas):
                q = sd["total_s"] / cas["total_s"]
                targets.append((name, f"symdiff {sd['total_s']:.3g} s vs {cas_text}: symdiff/CasADi = {q:.2f}", q <= 1))
            elif ok(sd):
                targets.append((name, f"symdiff {sd['total_s']:.3g} s; {cas_text}", None))
            else:
                fail = first_failure(family, "symdiff")
                why = (f"symdiff {fail[1]} already at N={fail[0]} (> {cfg['timeout']:.0f} s)" if fail
                       else "symdiff not measured at this N")
                targets.append((name, f"{why}; {cas_text}", False if fail else None))
        fam, n = SYMPY_TARGET
        if fam in cfg["families"]:
            r = compile_results.get(fam, {}).get(n, {})
            sd, sp = r.get("symdiff"), r.get("sympy")
            name = f"compile {fam} N={n} >= 500x faster than SymPy"
            if ok(sd) and ok(sp):
                q = sp["total_s"] / sd["total_s"]
                core = sd["total_s"] - sd["emit_s"]
                targets.append((name, f"SymPy {sp['total_s']:.3g} s / symdiff {sd['total_s']:.3g} s = {q:.0f}x "
                                      f"(symdiff without emit: {core * 1e3:.3g} ms, {sp['total_s'] / core:.0f}x)", q >= 500))
            elif ok(sd) and sp and sp.get("status") in ("timeout", "skipped"):
                q = cfg["timeout"] / sd["total_s"]
                targets.append((name, f"SymPy {sp['status']} (> {cfg['timeout']:.0f} s), so >= {q:.0f}x", True if q >= 500 else None))
            else:
                targets.append((name, "not measured", None))
        growth_parts, growth_met = [], True
        for family in cfg["families"]:
            rows = compile_results.get(family, {})
            qs, prev = [], None
            for n in sorted(rows):
                sd = rows[n].get("symdiff")
                if ok(sd) and ok(prev) and sd["forward_ops"] <= 1.05e6 and prev["total_s"] >= 0.01:
                    qs.append((sd["total_s"] / prev["total_s"], n))
                prev = sd
            fail = first_failure(family, "symdiff")
            part = f"{family}: " + (f"max {max(qs)[0]:.2f} (N={max(qs)[1]}), median {sorted(q for q, _ in qs)[len(qs) // 2]:.2f}"
                                    if qs else "no pairs")
            if qs and max(qs)[0] > 2.2:
                growth_met = False
            if fail and estimated_forward_ops(family, fail[0]) <= 1.05e6:
                part += f"; {fail[1]} at N={fail[0]} ({estimated_forward_ops(family, fail[0])} ops)"
                growth_met = False
            growth_parts.append(part)
        if growth_parts:
            targets.append(("growth t(2N)/t(N) <= 2.2 up to 1e6 forward ops (pairs with t(N) >= 10 ms)",
                            "; ".join(growth_parts), growth_met))
        op_parts, op_met, compared = [], True, 0
        for family in cfg["families"]:
            extras = []
            for n, r in compile_results.get(family, {}).items():
                sd, cas = r.get("symdiff"), r.get("casadi")
                if ok(sd) and ok(cas):
                    compared += 1
                    # What runs when it was counted; symdiff's own count otherwise.
                    if "numpy_forward_ops" in sd:
                        forward, total = sd["numpy_forward_ops"], sd["numpy_forward_ops"] + sd["numpy_backward_ops"]
                    else:
                        forward, total = sd["forward_ops"], sd["forward_ops"] + sd["backward_ops"]
                    extras.append((forward - cas["forward_ops"], total - cas["total_ops"], n))
            if extras:
                worst_forward, worst_total = max(extras), max(extras, key=lambda e: e[1])
                op_met = op_met and worst_forward[0] <= 0 and worst_total[1] <= 0
                op_parts.append(f"{family}: symdiff - CasADi at most forward {worst_forward[0]:+d} (N={worst_forward[2]}), "
                                f"fwd+bwd {worst_total[1]:+d} (N={worst_total[2]})")
        if compared:
            targets.append(("forward and fwd+bwd op counts <= CasADi's on every family and N", "; ".join(op_parts), op_met))

    if cli_results is not None:
        report_cli(L, targets, cli_results, cfg)

    if swift_results is not None:
        L.append("## 3. Run speed of emitted Swift")
        L.append("")
        if "error" in swift_results:
            L.append(f"n/a: {swift_results['error']}")
        else:
            L.append("Nanoseconds per call, over 1024 random points in (0.1, 0.9), fastest of 7 rounds; one `swiftc -O -wmo` program per function "
                     "holds symdiff's emitted Swift for it, the hand-written `@differentiable(reverse)` functions "
                     "(Benchmarks/SwiftAD.swift; the chain as a loop) and the harness, and every result feeds a printed "
                     "checksum. valueWithGradient = `valueWithGradient(at:of:)` on the hand-written function; forward = "
                     "the hand-written function alone. max rel diff: symdiff vs valueWithGradient, 64 points.")
            L.append("")
            L.append("| function | symdiff value+grad | valueWithGradient | forward only | symdiff / vWG | symdiff / forward | max rel diff |")
            L.append("|---|---:|---:|---:|---:|---:|---:|")
            worst_vwg = worst_fw = 0
            for cid, d in swift_results["cases"].items():
                label = swift_results["labels"][cid]
                if "symdiff_ns" not in d:
                    L.append(f"| `{label}` | {d.get('status')} | | | | | |")
                    continue
                a, b = d["symdiff_ns"] / d["vwg_ns"], d["symdiff_ns"] / d["forward_ns"]
                worst_vwg, worst_fw = max(worst_vwg, a), max(worst_fw, b)
                L.append(f"| `{label}` | {d['symdiff_ns']:.1f} ns | {d['vwg_ns']:.1f} ns | {d['forward_ns']:.1f} ns | "
                         f"{a:.2f} | {b:.2f} | {d['max_rel_diff']:.1e} |")
            L.append("")
            if swift_results["cases"]:
                ws = [(d["symdiff_ns"] / d["vwg_ns"], cid) for cid, d in swift_results["cases"].items() if "symdiff_ns" in d]
                fw = [(d["symdiff_ns"] / d["forward_ns"], cid) for cid, d in swift_results["cases"].items() if "symdiff_ns" in d]
                chains = [(q, cid) for q, cid in ws if cid.startswith("chain")]
                chain_fw = [(q, cid) for q, cid in fw if cid.startswith("chain")]
                layer = [(q, cid) for q, cid in ws if cid == "ws5"]
                if chains:
                    targets.append(("emitted Swift <= 1.0x valueWithGradient, every chain size",
                                    f"{sum(q <= 1 for q, _ in chains)} of {len(chains)}; worst {max(chains)[0]:.2f} ({max(chains)[1]})",
                                    all(q <= 1 for q, _ in chains)))
                    targets.append(("emitted Swift value+gradient <= 2x forward only, chain",
                                    f"{sum(q <= 2 for q, _ in chain_fw)} of {len(chain_fw)}; worst {max(chain_fw)[0]:.2f} ({max(chain_fw)[1]})",
                                    all(q <= 2 for q, _ in chain_fw)))
                if layer:
                    targets.append(("emitted Swift <= 0.5x valueWithGradient, complex layer",
                                    f"{layer[0][0]:.2f}", layer[0][0] <= 0.5))
                targets.append(("emitted Swift <= 1.0x valueWithGradient, every function",
                                f"{sum(q <= 1 for q, _ in ws)} of {len(ws)} functions; worst {max(ws)[0]:.2f} ({max(ws)[1]})",
                                all(q <= 1 for q, _ in ws)))

    if numpy_results is not None:
        L.append("## 4. Run speed of emitted NumPy")
        L.append("")
        L.append(f"Milliseconds per value+gradient call on {numpy_results['size']:,}-element float64 arrays, fastest of 7; "
                 "hand-written = the staged solution a TA writes (Benchmarks/numpy_handwritten.py). agree: every output "
                 "within 1e-12.")
        L.append("")
        L.append("| function | symdiff | hand-written | symdiff / hand | agree |")
        L.append("|---|---:|---:|---:|---|")
        qs = []
        for cid, d in numpy_results["cases"].items():
            label = numpy_results["labels"][cid]
            if "symdiff_ms" not in d:
                L.append(f"| `{label}` | {d.get('status')} | | | |")
                continue
            q = d["symdiff_ms"] / d["hand_ms"]
            qs.append((q, cid))
            L.append(f"| `{label}` | {d['symdiff_ms']:.2f} | {d['hand_ms']:.2f} | {q:.2f} | {'yes' if d['agree'] else 'NO'} |")
        L.append("")
        if qs:
            targets.append(("emitted NumPy <= 1.1x hand-written",
                            f"{sum(q <= 1.1 for q, _ in qs)} of {len(qs)} functions; worst {max(qs)[0]:.2f} ({max(qs)[1]})",
                            all(q <= 1.1 for q, _ in qs)))

    if targets:
        L.append("## Targets")
        L.append("")
        L.append("| target | measured | met |")
        L.append("|---|---|---|")
        for name, measured, met in targets:
            L.append(f"| {name} | {measured} | {'yes' if met else ('no' if met is False else 'n/a')} |")
        L.append("")
    return "\n".join(L)


CFG = {}


# BENCHMARKS.md from this line on is scripts/bench-tensor's section, kept when this report is written.
TENSOR_MARKER = "<!-- scripts/bench-tensor writes from here on -->"


def write_report(text):
    """BENCHMARKS.md: this report, then the tensor section scripts/bench-tensor wrote, if any."""
    path = os.path.join(ROOT, "BENCHMARKS.md")
    tail = ""
    if os.path.exists(path):
        with open(path) as f:
            old = f.read()
        if TENSOR_MARKER in old:
            tail = "\n" + old[old.index(TENSOR_MARKER):]
    with open(path, "w") as f:
        f.write(text + "\n" + tail)


def main():
    args = sys.argv[1:]
    quick = "--quick" in args
    sections = {"compile", "cli", "swift", "numpy"}
    if "--only" in args:
        sections = set(args[args.index("--only") + 1].split(","))
    families = FAMILIES
    if "--families" in args:
        families = args[args.index("--families") + 1].split(",")
    timeout = float(args[args.index("--timeout") + 1]) if "--timeout" in args else (5.0 if quick else 60.0)
    CFG.update(quick=quick, timeout=timeout, min_time=0.1 if quick else 0.3, families=families,
               max_ops=float(args[args.index("--max-ops") + 1]) if "--max-ops" in args else (2.2e6),
               peers=args[args.index("--peers") + 1].split(",") if "--peers" in args else PEERS,
               numpy_ops_max=float(args[args.index("--numpy-ops-max") + 1]) if "--numpy-ops-max" in args else 3e5,
               nice="--no-nice" not in args,
               command="scripts/bench " + " ".join(args))
    if "--report-only" in args:
        with open(os.path.join(WORK, "raw.json")) as f:
            raw = json.load(f)
        CFG.update(raw.get("cfg", {}))
        comp = raw["compile"] and {fam: {int(n): v for n, v in rows.items()} for fam, rows in raw["compile"].items()}
        text = report(raw["env"], comp, raw["swift"], raw["numpy"], CFG, raw.get("cli"))
        print(text)
        if "--write" in args:
            write_report(text)
        return
    log("bench: environment")
    env = machine()
    available = {p: env["versions"].get(p) is not None for p in PEERS}
    compile_results = swift_results = numpy_results = cli_results = None
    if "compile" in sections:
        log("bench: 1-2. compile speed and op counts")
        compile_results = compile_sweep(CFG, available)
    if "cli" in sections:
        log("bench: 1b. compile speed and memory through the CLI, against CasADi")
        cli_results = cli_sweep(CFG, available)
    if "swift" in sections:
        log("bench: 3. run speed of emitted Swift")
        try:
            swift_results = swift_run(CFG)
        except Exception as e:  # a failure here must not lose the rest of the report
            swift_results = {"error": str(e)}
    if "numpy" in sections:
        log("bench: 4. run speed of emitted NumPy")
        if env["versions"].get("numpy"):
            try:
                numpy_results = numpy_run(CFG)
            except Exception as e:
                numpy_results = {"size": 0, "cases": {}, "labels": {}, "error": str(e)}
        else:
            numpy_results = {"size": 0, "cases": {}, "labels": {}}
    text = report(env, compile_results, swift_results, numpy_results, CFG, cli_results)
    os.makedirs(WORK, exist_ok=True)
    with open(os.path.join(WORK, "raw.json"), "w") as f:
        json.dump({"env": env, "cfg": CFG, "compile": compile_results, "swift": swift_results, "numpy": numpy_results,
                   "cli": cli_results}, f, indent=1, default=str)
    print(text)
    if "--write" in args:
        write_report(text)
        log("bench: wrote BENCHMARKS.md")


if __name__ == "__main__":
    main()
