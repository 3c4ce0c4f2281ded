/// The value, gradient and Hessian of a program at one point: the Hessian as a dense matrix
/// whose rows and columns are the differentiated inputs' elements, in `wrt` order, each input
/// row-major.
public struct HessianValues: Sendable {
    public let value: Double
    /// ∂f/∂x for each input differentiated, in `wrt` order.
    public let gradient: [Tensor]
    /// matrix[i][j] = ∂²f/∂x_i∂x_j over the flattened inputs.
    public let matrix: [[Double]]
    /// Kinks met while evaluating (a relu at 0, a tie in max): the second derivative there is
    /// the convention's.
    public let kinks: [Kink]
}

/// Why a Hessian cannot be evaluated at a point.
public enum HessianPointError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The values do not fit the program (shape, label, dimension).
    case point(PointError)
    /// The full matrix would be too large; a Hessian-vector product is what to ask for.
    case tooLarge(size: Int, limit: Int)
    /// A direction of the wrong shape for its input.
    case directionShape(name: String, expected: TensorShape, got: TensorShape)

    public var description: String {
        switch self {
        case .point(let error): return error.description
        case .tooLarge(let size, let limit):
            return "the Hessian would be \(size) x \(size) "
                + "(the inputs differentiated have \(size) elements; the full matrix is built "
                + "for at most \(limit)); give --direction for a Hessian-vector product, or --wrt fewer inputs"
        case .directionShape(let name, let expected, let got):
            return "the direction for '\(name)' has shape \(got), but '\(name)' has shape \(expected)"
        }
    }
}

extension Hessian {
    /// The full matrix is built for inputs of at most this many elements in total (16,384
    /// entries, one Hessian-vector product per column); beyond, `evaluate` refuses with the size
    /// instead of building a matrix nobody reads, and a product with a direction is the answer.
    public static let maxFullSize = 128

    /// The value, gradient and Hessian of a program without arrays at `point` (input order).
    public func evaluate(scalars point: [Double]) -> HessianValues {
        let first = gradient.evaluate(at: point)
        let matrix = rows.map { row in
            let values = row.evaluate(at: point)
            return wrt.map { values.gradient[$0] + 0 }
        }
        return HessianValues(value: first.value, gradient: wrt.map { Tensor(scalar: first.gradient[$0]) },
                             matrix: matrix, kinks: first.kinks)
    }

    /// The value, gradient and full Hessian of a program at a point of arrays: one
    /// Hessian-vector product per column (a basis direction). Programs without arrays are
    /// evaluated through their rows.
    public func evaluate(tensors point: [Tensor], dims: [String: Int] = [:]) throws(HessianPointError) -> HessianValues {
        if product == nil {
            return evaluate(scalars: point.map { $0.scalars.first ?? .nan })
        }
        let first: TensorEvaluation
        do { first = try gradient.evaluate(tensors: point, dims: dims) } catch { throw .point(error) }
        let sizes = wrt.map { first.gradient[$0]?.sizes ?? [] }
        let counts = sizes.map { $0.reduce(1, *) }
        let total = counts.reduce(0, +)
        guard total <= Hessian.maxFullSize else { throw .tooLarge(size: total, limit: Hessian.maxFullSize) }
        var columns: [[Double]] = []
        columns.reserveCapacity(total)
        for column in 0..<total {
            var offset = 0
            var directions: [Tensor] = []
            for (count, shape) in zip(counts, sizes) {
                var scalars = [Double](repeating: 0, count: count)
                if column >= offset && column < offset + count { scalars[column - offset] = 1 }
                directions.append(Tensor(unchecked: shape, scalars))
                offset += count
            }
            let blocks = try productValues(at: point, directions: directions, dims: dims)
            columns.append(blocks.flatMap(\.scalars))
        }
        // + 0 turns the -0 of a product with a zero direction into 0, which reads as it is meant.
        let matrix = (0..<total).map { i in (0..<total).map { j in columns[j][i] + 0 } }
        return HessianValues(value: first.value.scalars.first ?? .nan,
                             gradient: wrt.map { first.gradient[$0] ?? Tensor(scalar: .nan) },
                             matrix: matrix, kinks: first.kinks)
    }

    /// H v at `point`: one block per differentiated input, of its shape. `directions` has one
    /// array per entry of `wrt`.
    public func productValues(at point: [Tensor], directions: [Tensor], dims: [String: Int] = [:]) throws(HessianPointError) -> [Tensor] {
        guard let product else {
            // No arrays: H v from the rows.
            let values = evaluate(scalars: point.map { $0.scalars.first ?? .nan })
            let v = directions.map { $0.scalars.first ?? 0 }
            return values.matrix.map { row in Tensor(scalar: zip(row, v).reduce(0) { $0 + $1.0 * $1.1 }) }
        }
        for (index, direction) in zip(wrt, directions) {
            let input = gradient.staged.inputNodes[index]
            let expected = (try? graph.shapes[input.int].bound(
                (try? gradient.bindDimensions(point, given: dims)) ?? dims).requireSizes()) ?? direction.sizes
            if expected != direction.sizes {
                throw .directionShape(name: gradient.staged.inputs[index], expected: TensorShape(expected), got: direction.shape)
            }
        }
        let evaluation: TensorEvaluation
        do { evaluation = try product.evaluate(tensors: point + directions, dims: dims) } catch { throw .point(error) }
        return wrt.map { evaluation.gradient[$0] ?? Tensor(scalar: .nan) }
    }
}
