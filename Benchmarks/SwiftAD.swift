// The run-speed benchmark's reference: the same functions written by hand for Swift's
// differentiable programming (`import _Differentiation`), as a Swift programmer would write
// them (squares and cubes as products, sigmoid as 1/(1+e^-x)). scripts/bench compiles this file
// with symdiff's emitted Swift and a generated harness into one `-O -wmo` program.
// Each `ad_<case>` is timed twice: called directly (forward only) and through
// `valueWithGradient(at:of:)`.
import _Differentiation
import Foundation

@differentiable(reverse)
func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }

/// (x + y)z
@differentiable(reverse)
func ad_ws1(_ x: Double, _ y: Double, _ z: Double) -> Double { (x + y) * z }

/// (x^2 + 2y)z^3
@differentiable(reverse)
func ad_ws2(_ x: Double, _ y: Double, _ z: Double) -> Double { (x * x + 2 * y) * (z * z * z) }

/// (ln(x) + sin(y))^2 + 4x
@differentiable(reverse)
func ad_ws3(_ x: Double, _ y: Double) -> Double {
    let s = log(x) + sin(y)
    return s * s + 4 * x
}

/// sigmoid(x)
@differentiable(reverse)
func ad_ws4(_ x: Double) -> Double { sigmoid(x) }

/// ln(x)*sigmoid(sqrt(y))/sigmoid((x+y)^2)
@differentiable(reverse)
func ad_ws5(_ x: Double, _ y: Double) -> Double {
    let s = x + y
    return log(x) * sigmoid(sqrt(y)) / sigmoid(s * s)
}

/// sin(theta*x1 + x2) + theta*x2^2
@differentiable(reverse)
func ad_ws6(_ x1: Double, _ x2: Double, _ theta: Double) -> Double { sin(theta * x1 + x2) + theta * x2 * x2 }

/// x = 3a + 2b; y = 4a - b; z = 3x^2 - 2x y + y^2
@differentiable(reverse)
func ad_ws7(_ a: Double, _ b: Double) -> Double {
    let x = 3 * a + 2 * b
    let y = 4 * a - b
    return 3 * x * x - 2 * x * y + y * y
}

/// The chain family: a1 = sin(x)*x + y; a(k+1) = sin(ak)*ak + y; `steps` deep, as a loop.
@differentiable(reverse, wrt: (x, y))
func ad_chain(_ x: Double, _ y: Double, steps: Int) -> Double {
    var a = sin(x) * x + y
    for _ in 1..<steps { a = sin(a) * a + y }
    return a
}
