import Codegen
import Symbolic

extension HessianCommand {
    static func run(_ arguments: ParsedArguments, _ input: ExpressionInput, _ io: IO) throws {
        let (gradient, values) = try Pipeline.gradientAndValues(arguments, input, io)
        let wrt = try Pipeline.reported(arguments, gradient)
        let hessian: Hessian
        do { hessian = try Hessian(gradient, wrt: wrt) } catch { throw CLIError.input(error.description) }
        let format = try arguments.choice("--format", among: ["text", "json", "latex"]) ?? "text"
        if arguments.flag("--staged") {
            if values != nil { throw CLIError.usage("--staged prints the program; leave out --at/--inputs, or --staged") }
            return printStaged(hessian, io)
        }
        let point: [Tensor]
        var dimensions: [String: Int] = [:]
        switch values {
        case .none:
            if arguments.value("--direction") != nil {
                throw CLIError.usage("--direction needs a point: give --at (or --inputs) too")
            }
            return try printClosedForms(hessian, format: format, io)
        case .scalars(let scalars): point = scalars.map { Tensor(scalar: $0) }
        case .tensors(let tensors, let dims, _):
            point = tensors
            dimensions = dims
        }
        if format == "latex" { throw CLIError.usage("--format latex is for closed forms; leave out --at/--inputs") }
        if let text = arguments.value("--direction") {
            let directions = try readDirections(text, hessian, point, dimensions, io)
            return try printProduct(hessian, point, dimensions, directions, json: format == "json", io)
        }
        try printMatrix(hessian, point, dimensions, json: format == "json", io)
    }

    /// The names of the rows and columns.
    private static func names(_ hessian: Hessian) -> [String] {
        hessian.wrt.map { hessian.gradient.staged.inputs[$0] }
    }

    // MARK: - Closed forms

    private static func printClosedForms(_ hessian: Hessian, format: String, _ io: IO) throws {
        let graph = hessian.graph
        let f = Pipeline.functionName(hessian.gradient)
        let names = names(hessian)
        if names.isEmpty {
            io.printError("note: the expression has no inputs, so there is nothing to differentiate")
        }
        let n = names.count
        var simplifier = Simplifier(graph)
        var entries: [[NodeID]] = []
        if hessian.product == nil {
            entries = (0..<n).map { i in (0..<n).map { j in simplifier.simplify(hessian.entry(i, j)) } }
        } else if n > Hessian.maxFullSize {
            return printProductForms(hessian, format: format, reason: "\(n) inputs make \(n * n) entries (past \(Hessian.maxFullSize) inputs)", io)
        } else {
            var blocks: [[NodeID]] = []
            for k in 0..<n {
                var row: [NodeID] = []
                for j in 0..<n {
                    guard let block = hessian.block(k, j) else { break }
                    row.append(block)
                }
                guard row.count == n else { break }
                blocks.append(row)
            }
            if blocks.count == n {
                entries = blocks
            } else {
                // Inputs whose own block is writable: --wrt with only them may print blocks.
                let writable = (0..<n).filter { hessian.block($0, $0) != nil }.map { names[$0] }
                let hint = writable.isEmpty || writable.count == n ? "" : " (--wrt \(writable.joined(separator: ",")) may print blocks)"
                return printProductForms(hessian, format: format,
                                         reason: "the Hessian's blocks are not all matrix products symdiff can write\(hint)", io)
            }
        }
        if simplifier.stopReason != .done {
            io.printError("warning: the second derivatives were \(simplifier.stopReason.explanation)")
        }
        var textLabels: [String] = []
        var latexLabels: [String] = []
        for i in 0..<n {
            for j in 0..<n {
                textLabels.append(HessianText.entryName(output: f, row: names[i], column: names[j]) + " = ")
                latexLabels.append(HessianText.latexLine(output: f, row: names[i], column: names[j], body: ""))
            }
        }
        printForms(hessian, entries.flatMap { $0 }, format: format, text: textLabels, latex: latexLabels, io) { texts in
            let rows = (0..<n).map { i in "[" + texts[(i * n)..<(i * n + n)].map(jsonString).joined(separator: ", ") + "]" }
            return "\"hessian\": [" + rows.joined(separator: ", ") + "]"
        }
    }

    /// Closed forms with their labels, as trees, or with shared subexpressions named once when
    /// the trees would pass `GradCommand.maxTreeCharacters` (a deep program's second derivatives
    /// repeat its shared parts exponentially often), as `grad` does. `json` gets the forms' texts
    /// and returns the object's fields after any "shared".
    private static func printForms(_ hessian: Hessian, _ forms: [NodeID], format: String, text: [String], latex: [String],
                                   _ io: IO, json: ([String]) -> String) {
        let graph = hessian.graph
        let treeSize = Printer(graph, InputLanguage()).treeSizes(forms).reduce(0) { total, size in
            let (sum, overflow) = total.addingReportingOverflow(size)
            return overflow ? Int.max : sum
        }
        guard treeSize > GradCommand.maxTreeCharacters else {
            switch format {
            case "json": io.print("{" + json(forms.map { Printer(graph, InputLanguage()).render($0) }) + "}")
            case "latex":
                let printer = Printer(graph, LaTeXDialect())
                for (label, form) in zip(latex, forms) { io.print(label + printer.render(form)) }
            default:
                let printer = Printer(graph, InputLanguage())
                for (label, form) in zip(text, forms) { io.print(label + printer.render(form)) }
            }
            return
        }
        let staged = hessian.gradient.staged
        var reserved = Set(staged.inputs + staged.equations.map(\.name) + [staged.outputName] + hessian.directionNames)
        reserved.insert(Pipeline.functionName(hessian.gradient))
        let shared = format == "latex"
            ? Printer(graph, LaTeXDialect()).renderShared(forms, reserved: reserved, spelling: LaTeXDialect.identifier)
            : Printer(graph, InputLanguage()).renderShared(forms, reserved: reserved)
        let size = treeSize >= Int.max / 4 ? "over 10^18" : "about \(NumberText.grouped(treeSize))"
        let count = shared.definitions.count
        let heading = "closed forms too large to print as trees (\(size) characters): \(NumberText.grouped(count)) shared "
            + "subexpression\(count == 1 ? "" : "s") named once (like SymPy's cse)"
        var block = ""
        func line(_ text: String) {
            block += text + "\n"
            if block.utf8.count >= 1 << 16 {
                io.writeOutput(block)
                block = ""
            }
        }
        switch format {
        case "json":
            line("{\"shared\": {" + shared.definitions.map { "\(jsonString($0.name)): \(jsonString($0.text))" }.joined(separator: ", ")
                 + "}, " + json(shared.roots) + "}")
        case "latex":
            line("% " + heading)
            for definition in shared.definitions { line("\(LaTeXDialect.identifier(definition.name)) = \(definition.text)") }
            for (label, root) in zip(latex, shared.roots) { line(label + root) }
        default:
            line("# " + heading)
            for definition in shared.definitions { line("\(definition.name) = \(definition.text)") }
            for (label, root) in zip(text, shared.roots) { line(label + root) }
        }
        if !block.isEmpty { io.writeOutput(block) }
    }

    /// The Hessian-vector product in closed form, for array inputs whose blocks are not
    /// matrix products the language can write.
    private static func printProductForms(_ hessian: Hessian, format: String, reason: String, _ io: IO) {
        let graph = hessian.graph
        let names = names(hessian)
        let shown = hessian.directionNames.count <= 6 ? hessian.directionNames : hessian.directionNames.prefix(3) + ["..."]
        let directions = shown.joined(separator: ", ")
        io.printError("note: \(reason); printing the Hessian-vector product H v over the direction\(hessian.directionNames.count == 1 ? "" : "s") \(directions)")
        var simplifier = Simplifier(graph)
        let forms = hessian.wrt.indices.map { simplifier.simplify(hessian.productBlock($0) ?? graph.integer(0)) }
        let latex = names.map { "\\left(H v\\right)_{\(LaTeXDialect.identifier($0))} = " }
        printForms(hessian, forms, format: format, text: names.map { "Hv[\($0)] = " }, latex: latex, io) { texts in
            "\"directions\": [" + hessian.directionNames.map(jsonString).joined(separator: ", ") + "], \"hvp\": {"
                + zip(names, texts).map { "\(jsonString($0)): \(jsonString($1))" }.joined(separator: ", ") + "}"
        }
    }

    // MARK: - Staged

    private static func printStaged(_ hessian: Hessian, _ io: IO) {
        let dialect = InputLanguage(spaced: true)
        let names = names(hessian)
        if let product = hessian.product {
            let directions = hessian.directionNames.joined(separator: ", ")
            let s = product.staged.outputName
            let f = Pipeline.functionName(hessian.gradient)
            io.print("# forward pass of \(s) = sum(d\(f)/dx * v) over the direction\(hessian.directionNames.count == 1 ? "" : "s") \(directions): \(f), its backward pass, and the products")
            let forward = product.staged.forwardLines(dialect)
            if !forward.isEmpty { io.print(forward.listingWithShapes) }
            io.print("# second backward pass (d<name> is d\(s)/d<name>; for an input, the Hessian-vector product H v)")
            let backward = product.backwardLines(dialect)
            if !backward.isEmpty { io.print(backward.listingWithShapes) }
            return
        }
        let f = Pipeline.functionName(hessian.gradient)
        for (name, row) in zip(names, hessian.rows) {
            let output = row.staged.outputName
            io.print("# row \(name): \(output) = d\(f)/d\(name), staged")
            let forward = row.staged.forwardLines(dialect)
            if !forward.isEmpty { io.print(forward.listing) }
            io.print("# second backward pass (d<name> is d\(output)/d<name>)")
            let backward = row.backwardLines(dialect)
            if !backward.isEmpty { io.print(backward.listing) }
        }
    }

    // MARK: - Values

    private static func reportKinks(_ kinks: [Kink], _ hessian: Hessian, _ io: IO) {
        let forward = hessian.gradient.staged.forwardLines(InputLanguage(spaced: true))
        for kink in kinks {
            let line = forward.first { $0.equation == kink.equation }.map { "\($0.name) = \($0.expression)" } ?? kink.equation
            io.printError("warning: '\(line)' is exactly at a kink or tie; using the convention \(kink.convention)")
        }
    }

    private static func printMatrix(_ hessian: Hessian, _ point: [Tensor], _ dimensions: [String: Int], json: Bool, _ io: IO) throws {
        let result: HessianValues
        do { result = try hessian.evaluate(tensors: point, dims: dimensions) } catch { throw CLIError.input(error.description) }
        reportKinks(result.kinks, hessian, io)
        if !result.value.isFinite || result.gradient.contains(where: { $0.scalars.contains { !$0.isFinite } }) {
            io.printError("warning: the value or the gradient is nan or infinite at this point (outside the domain?)")
        }
        if result.matrix.contains(where: { $0.contains { !$0.isFinite } }) {
            io.printError("warning: the Hessian has a nan or infinite entry at this point")
        }
        let n = result.matrix.count
        let matrix = try Tensor(shape: [n, n], scalars: result.matrix.flatMap { $0 })
        let f = Pipeline.functionName(hessian.gradient)
        let names = names(hessian)
        if json {
            let gradient = zip(names, result.gradient).map { "\(jsonString($0)): \($1.jsonText)" }.joined(separator: ", ")
            io.print("{\"value\": \(Tensor(scalar: result.value).jsonText), \"gradient\": {\(gradient)}, \"hessian\": \(n == 0 ? "[]" : matrix.jsonText)}")
            return
        }
        io.print("\(f) = \(NumberText.format(result.value))")
        for (name, g) in zip(names, result.gradient) { io.print(EvalCommand.labelled("d\(f)/d\(name) = ", g)) }
        io.print(EvalCommand.labelled("H = ", matrix))
    }

    private static func printProduct(_ hessian: Hessian, _ point: [Tensor], _ dimensions: [String: Int],
                                     _ directions: [Tensor], json: Bool, _ io: IO) throws {
        let blocks: [Tensor]
        let first: TensorEvaluation
        do {
            blocks = try hessian.productValues(at: point, directions: directions, dims: dimensions)
            first = try hessian.gradient.evaluate(tensors: point, dims: dimensions)
        } catch let error as HessianPointError {
            throw CLIError.input(error.description)
        } catch let error as PointError {
            throw CLIError.input(error.description)
        }
        reportKinks(first.kinks, hessian, io)
        let f = Pipeline.functionName(hessian.gradient)
        let names = names(hessian)
        let gradient = hessian.wrt.map { first.gradient[$0] ?? Tensor(scalar: .nan) }
        if json {
            let g = zip(names, gradient).map { "\(jsonString($0)): \($1.jsonText)" }.joined(separator: ", ")
            let hv = zip(names, blocks).map { "\(jsonString($0)): \($1.jsonText)" }.joined(separator: ", ")
            io.print("{\"value\": \(first.value.jsonText), \"gradient\": {\(g)}, \"hvp\": {\(hv)}}")
            return
        }
        io.print(EvalCommand.labelled("\(f) = ", first.value))
        for (name, g) in zip(names, gradient) { io.print(EvalCommand.labelled("d\(f)/d\(name) = ", g)) }
        for (name, b) in zip(names, blocks) { io.print(EvalCommand.labelled("Hv[\(name)] = ", b)) }
    }

    /// `--direction x=[1,0],y=2`: one array per differentiated input, zeros for those it leaves out.
    private static func readDirections(_ text: String, _ hessian: Hessian, _ point: [Tensor],
                                       _ dimensions: [String: Int], _ io: IO) throws -> [Tensor] {
        let names = names(hessian)
        var given: [String: Tensor] = [:]
        for (name, valueText) in try TensorPoint.atAssignments(text) {
            guard names.contains(name) else {
                throw CLIError.input("--direction gives '\(name)', which is not differentiated (the rows and columns: \(names.joined(separator: ", ")))")
            }
            guard given[name] == nil else { throw CLIError.input("--direction gives '\(name)' twice; give it once") }
            switch try TensorPoint.atValue(valueText, for: name, io, option: "--direction") {
            case .array(let tensor): given[name] = tensor
            case .expression(let expression): given[name] = Tensor(scalar: try Pipeline.constant(expression, name: name))
            }
        }
        let bindings = (try? hessian.gradient.bindDimensions(point, given: dimensions)) ?? dimensions
        return try zip(hessian.wrt, names).map { index, name in
            if let value = given[name] { return value }
            let shape = hessian.graph.shapes[hessian.gradient.staged.inputNodes[index].int].bound(bindings)
            guard let sizes = try? shape.requireSizes() else { throw CLIError.input("the size of '\(name)' is unknown; give --dim") }
            return try Tensor.filled(0, shape: sizes)
        }
    }
}
