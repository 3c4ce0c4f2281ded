import ExprParse
import Foundation
import Symbolic
import Testing

/// Every op of the table evaluates, differentiates correctly, and prints so that it parses back.
@Suite struct OpTableTests {
    /// A point inside each function's domain and away from its kinks.
    static func point(_ f: Function) -> [Double] {
        switch f {
        case .asin, .acos: return [0.3, 0.7]
        case .max, .min, .pow, .xlogy: return [1.3, 0.4]
        default: return [0.7, 0.4]
        }
    }

    /// stop_gradient's derivative is 0 by definition, not the limit of its difference quotient.
    @Test(arguments: Function.allCases.filter { $0 != .stopGradient }) func functionPartialsMatchFiniteDifferences(_ f: Function) throws {
        let source = f.arity == 2 ? "\(f.name)(x, y)" : "\(f.name)(x)"
        let g = try gradient(source, variables: ["x", "y"])
        let point = Self.point(f)
        let result = g.evaluate(at: point)
        #expect(result.value.isFinite)
        #expect(close(result.value, f.evaluate(point[0], point[1])))
        for i in 0..<2 {
            var plus = point, minus = point
            plus[i] += 1e-6
            minus[i] -= 1e-6
            let fd = (g.value(at: plus) - g.value(at: minus)) / 2e-6
            #expect(close(result.gradient[i], fd, 1e-7), "d\(f.name)/d\(["x", "y"][i]): \(result.gradient[i]) vs \(fd)")
        }
    }

    @Test(arguments: Function.allCases) func closedFormPrintsAsValidInput(_ f: Function) throws {
        let source = f.arity == 2 ? "\(f.name)(x, y)" : "\(f.name)(x)"
        let g = try gradient(source, variables: ["x", "y"])
        for text in g.closedFormText() {
            #expect(!Parser.parse(text).hasErrors, "\(text) does not parse")
        }
    }

    @Test(arguments: Op.representatives) func tableIsComplete(_ op: Op) {
        #expect(!op.name.isEmpty)
        if let arity = op.arity { #expect(arity >= 0 && arity <= 2) }
    }

    @Test func kinksFollowTheDocumentedConventions() throws {
        #expect(try gradient("relu(x)").evaluate(at: [0]).gradient == [0])
        #expect(try gradient("abs(x)").evaluate(at: [0]).gradient == [0])
        #expect(try gradient("max(x, y)").evaluate(at: [1, 1]).gradient == [1, 0])
        #expect(try gradient("min(x, y)").evaluate(at: [1, 1]).gradient == [1, 0])
        #expect(Function.sign.evaluate(0) == 0 && Function.step.evaluate(0) == 0)
        let kinks = try gradient("relu(x) + abs(y) + max(x, y)").evaluate(at: [0, 0]).kinks
        #expect(kinks.map(\.convention) == ["relu'(0) = 0", "abs'(0) = 0", "max tie: the gradient goes to the first argument"])
    }

    @Test func domainErrorsFollowIEEEAndAreLocated() throws {
        let g = try gradient("a = x - 2; b = ln(a); c = b*x; c + 1")
        let result = g.evaluate(at: [1])
        #expect(result.value.isNaN)
        #expect(result.firstNonFinite.map { g.staged.equations[$0].name } == "b")
        #expect(try gradient("1/x").evaluate(at: [0]).value == .infinity)
    }

    @Test func evaluatesManyPointsInOneCall() throws {
        let g = try gradient("(x + y)z")
        let results = g.evaluate(points: [[1, 3, 2], [0, 0, 1], [2, 2, 2]])
        #expect(results.map(\.value) == [8, 0, 8])
        #expect(results.map(\.gradient) == [[2, 2, 4], [1, 1, 0], [2, 2, 4]])
    }

    /// stop_gradient(x) is x with derivative 0: the shift of a stable log-sum-exp.
    @Test func stopGradientIsTheIdentityWithoutDerivative() throws {
        let g = try gradient("stop_gradient(x)*y + x", variables: ["x", "y"])
        let result = g.evaluate(at: [1.5, 2])
        #expect(result.value == 4.5)
        #expect(result.gradient == [1, 1.5])
    }
}
