import Symbolic

/// `eval --random SEED`: every input drawn at a seeded random point, so that a user need not
/// write a 64x1x28x28 file to see a net's loss and gradients.
///
/// The point is the first one `check --seed SEED` visits (`TensorGradientCheck.RandomPoints`:
/// reals uniform in [-3, 3), a point where the value and every gradient are finite), so the
/// two commands can be held against each other. Named dimensions come from `--dim` (or the
/// values' default size, with a note, as `check` does); labels are drawn in 0..<K where the
/// program fixes K (`cross_entropy`, `onehot`, indexing) and are otherwise an error.
extension Pipeline {
    static func randomValues(_ seedText: String, _ arguments: ParsedArguments, _ input: ExpressionInput, _ io: IO) throws -> (gradient: Gradient, values: PointValues?) {
        guard let number = Int(seedText.trimmingWhitespace()) else {
            throw CLIError.usage("invalid value '\(seedText)' for '--random': expected a whole number (the seed)")
        }
        let given = try TensorPoint.read(arguments, io)
        let gradient = try self.gradient(arguments, input, io)
        // Values --at or --inputs give replace the drawn ones.
        var chosen: [String: Tensor] = [:]
        for (name, value) in try given.tensors() {
            guard gradient.staged.inputs.contains(name) else {
                throw CLIError.input("--at gives a value for '\(name)', which the program does not read")
            }
            chosen[name] = value
        }
        let check = TensorGradientCheck(gradient)
        var points: TensorGradientCheck.RandomPoints
        do {
            points = try TensorGradientCheck.RandomPoints(check, wanted: 1, seed: UInt64(truncatingIfNeeded: number),
                                                         dimensions: given.dimensions, upstream: given.upstream)
        } catch {
            throw CLIError.input(error.description)
        }
        for (i, name) in gradient.staged.inputs.enumerated() where gradient.isLabel(i) && chosen[name] == nil
            && check.labelClasses(i, bindings: points.bindings) == nil {
            throw CLIError.input("--random cannot draw the labels '\(name)': no use of them (cross_entropy, onehot, indexing) fixes "
                                 + "their number of classes; give them with --at \(name)=...")
        }
        if !points.defaulted.isEmpty {
            let names = points.defaulted.joined(separator: ", ")
            io.printError("note: \(points.defaulted.count == 1 ? "dimension \(names) is" : "dimensions \(names) are") not set; the random point uses "
                          + "\(TensorGradientCheck.RandomPoints.defaultDimension) (set it with --dim \(points.defaulted.map { "\($0)=SIZE" }.joined(separator: ",")))")
        }
        let drawn: TensorGradientCheck.Point?
        do { drawn = try points.next()?.point } catch {
            throw CLIError.input("at the random point: \(error)")
        }
        guard let point = drawn else {
            throw CLIError.input("could not find a point in [-3, 3] where the program and its gradient are finite; give one with --at")
        }
        let values = zip(gradient.staged.inputs, point.values).map { chosen[$0] ?? $1 }
        guard gradient.isTensorProgram else { return (gradient, .scalars(values.map { $0.scalars.first ?? .nan })) }
        return (gradient, .tensors(values: values, dimensions: points.bindings, upstream: given.upstream))
    }
}
