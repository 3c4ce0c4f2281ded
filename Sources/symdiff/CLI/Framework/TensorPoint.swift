import Symbolic

/// The values a program is evaluated at, as `eval` and `check` read them: each input's value
/// from `--at` or `--inputs`, the named dimensions `--dim` binds, and the upstream gradient
/// `--upstream` gives for an array output.
///
/// Arrays are read and checked rectangular when the arguments are read. A scalar `--at` value
/// (`pi/2`) stays text until `scalars()`/`tensors()` evaluate it, because evaluating it is the
/// expression evaluator's job and its messages (`--at x` diagnostics) are those `--at` has
/// always given. `TensorPoint.read(_:_:)` builds one from the parsed arguments.
struct TensorPoint: Sendable, Equatable {
    /// One input's value as given.
    enum Value: Sendable, Equatable {
        /// An array from a literal, an `.npy` file or JSON; a number from JSON or a 0-d `.npy`
        /// file is an array of shape `()`.
        case array(Tensor)
        /// A scalar `--at` value as typed: one constant expression such as `2` or `pi/2`.
        case expression(String)
    }

    /// Where a value came from, for messages that say where to look.
    enum Origin: Sendable, Equatable {
        /// `--at NAME=VALUE` (a literal, `@FILE`, or an expression).
        case at
        /// A member of the JSON object in `--inputs PATH`.
        case inputs(path: String)

        /// The option as a user would find it: `--at` or `--inputs 'values.json'`.
        var option: String {
            switch self {
            case .at: "--at"
            case .inputs(let path): "--inputs '\(path)'"
            }
        }

        /// The option alone: `--at` or `--inputs`.
        var optionName: String {
            switch self {
            case .at: "--at"
            case .inputs: "--inputs"
            }
        }
    }

    /// One input's value and where it came from.
    struct Entry: Sendable, Equatable {
        var name: String
        var value: Value
        var origin: Origin
    }

    /// The values in the order given: `--at`'s in its order, then `--inputs`' sorted by name
    /// (JSON objects are unordered; the program's declarations fix the order that matters).
    var entries: [Entry] = []
    /// Sizes of named dimensions from `--dim N=5,B=2`.
    var dimensions: [String: Int] = [:]
    /// The upstream gradient of an array output from `--upstream`, making a gradient a
    /// vector-Jacobian product.
    var upstream: Tensor?
    /// Whether `--at` or `--inputs` was given at all (an empty JSON object counts: a program
    /// without inputs needs no values).
    var givesValues = false
    /// The `--inputs` file, when one was given.
    var inputsPath: String?

    /// The input names that have values, in order.
    var names: [String] { entries.map(\.name) }

    /// The value given for `name`, if any.
    func entry(named name: String) -> Entry? {
        entries.first { $0.name == name }
    }

    /// Every value as a tensor, in order; scalar `--at` texts are evaluated exactly as `--at`
    /// always evaluates them (`Pipeline.constant`) and become arrays of shape `()`.
    func tensors() throws -> [(name: String, value: Tensor)] {
        try entries.map { entry in
            switch entry.value {
            case .array(let tensor): (entry.name, tensor)
            case .expression(let text): (entry.name, Tensor(scalar: try Pipeline.constant(text, name: entry.name)))
            }
        }
    }
}
