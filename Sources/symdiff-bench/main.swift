// symdiff-bench: the in-process half of scripts/bench (see Benchmarks/README.md).
//
//   symdiff-bench program FAMILY N            print the family's program text
//   symdiff-bench compile FAMILY N [--min-time S] [--max-reps K] [--check] [--skip-emit]
//       time text -> NumPy gradient code per phase (parse, ProgramGraph, StagedProgram,
//       Gradient, emit); one JSON object on stdout with the fastest repetition, op counts,
//       this process's peak RSS (VmHWM) and RSS before the first repetition, and per phase of
//       the first repetition its peak RSS and the RSS after it (peak_<phase>_kb, rss_after_<phase>_kb).
//   symdiff-bench emit --lang swift|numpy --name NAME [--vars a,b,...] (--family F --n N | SOURCE)
//       print generated code.
//   symdiff-bench hvp FAMILY N | hvp-tensor SOURCE | hessian SOURCE --at V,...
//       one gradient against one Hessian-vector product, and a full Hessian (HessianBench.swift).
#if canImport(Glibc)
import Glibc
#endif
import ExprParse
import Symbolic
import Codegen

func fail(_ message: String) -> Never {
    let text = "symdiff-bench: \(message)\n"
    _ = text.withCString { write(2, $0, strlen($0)) }
    exit(2)
}

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// A field of /proc/self/status in kB (VmHWM, VmRSS), or -1.
func procStatus(_ field: String) -> Int {
    guard let file = fopen("/proc/self/status", "r") else { return -1 }
    defer { fclose(file) }
    var line = [CChar](repeating: 0, count: 512)
    while fgets(&line, Int32(line.count), file) != nil {
        let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if text.hasPrefix(field + ":") {
            let digits = text.dropFirst(field.count + 1).filter { $0.isNumber }
            return Int(digits) ?? -1
        }
    }
    return -1
}

func option(_ args: [String], _ name: String) -> String? {
    guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
    return args[i + 1]
}

func family(_ name: String) -> Family {
    guard let f = Family(rawValue: name) else { fail("unknown family '\(name)' (chain, wide, mlp, mlpw)") }
    return f
}

func size(_ text: String) -> Int {
    guard let n = Int(text), n >= 1 else { fail("N must be a positive integer, not '\(text)'") }
    return n
}

func json(_ value: Double) -> String { value.isFinite ? "\(value)" : "null" }

/// Resets this process's peak RSS (VmHWM) to its current RSS, so that the next reading is the
/// peak of what ran in between (Linux 4.0+; elsewhere the readings stay cumulative).
func resetPeakMemory() {
    guard let file = fopen("/proc/self/clear_refs", "w") else { return }
    fputs("5", file)
    fclose(file)
}

struct PhaseTimes {
    var parse = 0.0, programGraph = 0.0, staged = 0.0, gradient = 0.0, emit = 0.0
    var total: Double { parse + programGraph + staged + gradient + emit }
    /// Per phase, the peak RSS while it ran and the RSS when it ended (kB): the memory profile.
    var memory: [(phase: String, peakKB: Int, endKB: Int)] = []

    mutating func measure<T>(_ phase: String, _ time: WritableKeyPath<PhaseTimes, Double>, profile: Bool,
                             _ body: () throws -> T) rethrows -> T {
        if profile { resetPeakMemory() }
        let start = now()
        let result = try body()
        self[keyPath: time] = now() - start
        if profile { memory.append((phase, procStatus("VmHWM"), procStatus("VmRSS"))) }
        return result
    }
}

/// One run of the pipeline from text to NumPy code, timed per phase; with `profile`, the peak
/// memory of each phase too (the program's syntax tree is freed after ProgramGraph, as in the CLI).
func compileOnce(_ text: String, variables: [String], emitting: Bool = true, profile: Bool = false) throws -> (PhaseTimes, Gradient, Int) {
    var t = PhaseTimes()
    var parsed: ParseResult? = t.measure("parse", \.parse, profile: profile) { Parser.parse(text) }
    if let error = parsed?.diagnostics.first(where: { $0.severity == .error }) { throw error }
    let source = parsed?.program ?? Program(nodes: [], statements: [])
    parsed = nil
    let program = try t.measure("programgraph", \.programGraph, profile: profile) {
        try ProgramGraph(source, variables: variables)
    }
    let staged = t.measure("staged", \.staged, profile: profile) { StagedProgram(program) }
    let gradient = t.measure("gradient", \.gradient, profile: profile) { Gradient(staged) }
    if !emitting { return (t, gradient, 0) }
    let bytes = try t.measure("emit", \.emit, profile: profile) {
        // Written out in chunks and counted, as the CLI writes it to standard output.
        var count = 0
        try emitStream(gradient, source: text, options: EmitOptions(language: .numpy)).write { count += $0.count }
        return count
    }
    return (t, gradient, bytes)
}

func compile(_ args: [String]) {
    guard args.count >= 2 else { fail("usage: compile FAMILY N [--min-time S] [--max-reps K] [--check] [--skip-emit]") }
    let fam = family(args[0]), n = size(args[1])
    let minTime = option(args, "--min-time").flatMap(Double.init) ?? 0.5
    let maxReps = option(args, "--max-reps").flatMap(Int.init) ?? 20
    let rssBefore = procStatus("VmRSS")
    let generateStart = now()
    let variables = fam.variables(n)
    let text = fam.program(n)
    let generateTime = now() - generateStart
    var best: PhaseTimes?
    var first: PhaseTimes?
    var reps = 0
    var elapsed = 0.0
    var last: (Gradient, Int)?
    do {
        while reps < maxReps && (reps == 0 || elapsed < minTime) {
            last = nil  // free the previous repetition's graph before building the next
            let (times, gradient, bytes) = try compileOnce(text, variables: variables, emitting: !args.contains("--skip-emit"),
                                                           profile: reps == 0)
            reps += 1
            elapsed += times.total
            if best == nil || times.total < best!.total { best = times }
            if first == nil { first = times }
            last = (gradient, bytes)
        }
    } catch {
        fail("compile \(fam.rawValue) \(n): \(error)")
    }
    // The peak since the last reset (the first repetition's emit), or of an earlier phase.
    let peak = max(procStatus("VmHWM"), first?.memory.map(\.peakKB).max() ?? 0)
    guard let best, let first, let (gradient, bytes) = last else { fail("no repetition ran") }
    let countStart = now()
    let ops = gradient.opCounts()
    let countTime = now() - countStart
    var fields: [String] = [
        "\"family\": \"\(fam.rawValue)\"", "\"n\": \(n)", "\"reps\": \(reps)",
        "\"text_bytes\": \(text.utf8.count)", "\"generate_s\": \(json(generateTime))",
        "\"parse_s\": \(json(best.parse))", "\"programgraph_s\": \(json(best.programGraph))",
        "\"staged_s\": \(json(best.staged))", "\"gradient_s\": \(json(best.gradient))",
        "\"emit_s\": \(json(best.emit))", "\"total_s\": \(json(best.total))",
        "\"forward_ops\": \(ops.forward)", "\"backward_ops\": \(ops.backward)",
        "\"opcount_s\": \(json(countTime))", "\"graph_nodes\": \(gradient.graph.count)",
        "\"equations\": \(gradient.staged.equations.count)", "\"contributions\": \(gradient.contributions.count)",
        "\"emitted_bytes\": \(bytes)", "\"rss_before_kb\": \(rssBefore)", "\"vmhwm_kb\": \(peak)",
    ]
    // Of the first repetition only: later ones reuse memory the first one freed.
    fields += first.memory.map { "\"peak_\($0.phase)_kb\": \($0.peakKB), \"rss_after_\($0.phase)_kb\": \($0.endKB)" }
    if args.contains("--check") {
        let point = variables.indices.map(Family.pointValue)
        let result = gradient.evaluate(at: point)
        fields.append("\"value\": \(json(result.value))")
        fields.append("\"gradient_sum\": \(json(result.gradient.reduce(0, +)))")
        fields.append("\"gradient_abs_sum\": \(json(result.gradient.reduce(0) { $0 + Swift.abs($1) }))")
    }
    print("{" + fields.joined(separator: ", ") + "}")
}

func emitCommand(_ args: [String]) {
    let language: Language
    switch option(args, "--lang") {
    case "swift": language = .swift
    case "numpy": language = .numpy
    default: fail("emit needs --lang swift|numpy")
    }
    let name = option(args, "--name") ?? "f"
    var variables = option(args, "--vars").map { $0.split(separator: ",").map(String.init) }
    let text: String
    if let f = option(args, "--family") {
        let fam = family(f), n = size(option(args, "--n") ?? "10")
        text = fam.program(n)
        variables = variables ?? fam.variables(n)
    } else {
        let valued: Set<String> = ["--lang", "--name", "--vars"]
        var rest: [String] = []
        var i = 0
        while i < args.count {
            if valued.contains(args[i]) { i += 2; continue }
            rest.append(args[i]); i += 1
        }
        guard rest.count == 1 else { fail("emit needs one SOURCE argument or --family F --n N") }
        text = rest[0]
    }
    do {
        let g = try Gradient(source: text, variables: variables)
        let code = try emit(g, source: text, options: EmitOptions(language: language, functionName: name))
        print(code.text, terminator: "")
    } catch {
        fail("emit: \(error)")
    }
}

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "program":
    guard arguments.count == 3 else { fail("usage: program FAMILY N") }
    print(family(arguments[1]).program(size(arguments[2])), terminator: "")
case "compile":
    compile(Array(arguments.dropFirst()))
case "emit":
    emitCommand(Array(arguments.dropFirst()))
case "hvp":
    hvpCommand(Array(arguments.dropFirst()))
case "hvp-tensor":
    hvpTensorCommand(Array(arguments.dropFirst()))
case "hessian":
    hessianCommand(Array(arguments.dropFirst()))
default:
    fail("usage: symdiff-bench program|compile|emit|hvp|hvp-tensor|hessian ... (see Benchmarks/README.md)")
}
