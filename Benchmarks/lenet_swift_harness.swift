// Harness of scripts/bench-lenet: times symdiff's emitted Swift for the LeNet homework net (the
// function `lenet`, emitted into the same program and compiled with `swiftc -O -wmo`).
//
//   lenet BATCH DIR SECONDS
//
// reads DIR/inputs.bin (x, Wc, bc, W1, b1, W2, b2, t as float64, row-major, in that order, the
// shapes of TENSORS.md section 1 with batch BATCH), calls `lenet` once, writes the value and the
// seven gradients to DIR/outputs.bin (float64, the same order) and, when SECONDS > 0, prints the
// seconds per call of one round of back-to-back calls lasting about SECONDS (after that first
// call, a warm-up). The inputs are read and converted once, outside the timing; each call
// allocates its outputs and every stage's buffer inside it, as a caller's would.
import Foundation

let arguments = CommandLine.arguments
guard arguments.count == 4, let batch = Int(arguments[1]), let seconds = Double(arguments[3]) else {
    FileHandle.standardError.write("usage: lenet BATCH DIR SECONDS\n".data(using: .utf8) ?? Data())
    exit(2)
}
let directory = URL(fileURLWithPath: arguments[2])
let counts = [batch * 28 * 28, 20 * 25, 20, 500 * 2880, 500, 10 * 500, 10, batch]
let data = try Data(contentsOf: directory.appendingPathComponent("inputs.bin"))
let all: [Double] = data.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
precondition(all.count == counts.reduce(0, +), "inputs.bin holds \(all.count) numbers, expected \(counts.reduce(0, +))")
var arrays: [[Double]] = []
var at = 0
for n in counts {
    arrays.append(Array(all[at..<at + n]))
    at += n
}
let labels = arrays[7].map { Int($0) }

func call() -> (value: Double, dx: [Double], dWc: [Double], dbc: [Double], dW1: [Double], db1: [Double], dW2: [Double], db2: [Double]) {
    lenet(batch, arrays[0], arrays[1], arrays[2], arrays[3], arrays[4], arrays[5], arrays[6], labels)
}

let first = call()
var results = [first.value]
for gradient in [first.dx, first.dWc, first.dbc, first.dW1, first.db1, first.dW2, first.db2] { results += gradient }
try results.withUnsafeBytes { Data($0) }.write(to: directory.appendingPathComponent("outputs.bin"))

if seconds > 0 {
    var sink = 0.0
    var calls = 1
    var elapsed = 0.0
    // Double the calls until a round lasts a quarter of the budget, then one round of the budget.
    while true {
        let t0 = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<calls { sink += call().value }
        elapsed = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        if elapsed >= seconds / 4 { break }
        calls *= 2
    }
    let round = max(1, Int(Double(calls) * seconds / max(elapsed, 1e-9)))
    let t0 = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<round { sink += call().value }
    let perCall = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9 / Double(round)
    print(perCall, sink == 42.4242 ? "" : "")
}
