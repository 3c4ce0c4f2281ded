/// A map from node ids to values, stored densely by id.
///
/// Passes over a graph look up per-node facts (names, adjoints) millions of times; a
/// `Dictionary` pays for hashing on every one of them, an array index does not. The API is the
/// subset of `Dictionary` that callers use, so the two read alike.
///
/// Everything is `@inlinable`: called from another module, an unspecialised generic setter
/// looked up type metadata and copied `nil`s one value-witness call at a time, which was a
/// tenth of `symdiff emit`'s time on a 10^5-op chain.
public struct NodeMap<Value> {
    @usableFromInline var storage: [Value?] = []
    @usableFromInline var stored = 0

    @inlinable public init() {}

    /// A map holding `pairs`, the last value winning for a repeated id.
    @inlinable public init(_ pairs: some Sequence<(NodeID, Value)>) {
        for (id, value) in pairs { self[id] = value }
    }

    /// The number of ids that have a value.
    @inlinable public var count: Int { stored }

    @inlinable public subscript(id: NodeID) -> Value? {
        get { id.int >= 0 && id.int < storage.count ? storage[id.int] : nil }
        set {
            guard id.int >= 0 else { return }
            if id.int >= storage.count {
                guard newValue != nil else { return }
                storage.append(contentsOf: repeatElement(nil, count: id.int - storage.count + 1))
            }
            switch (storage[id.int] == nil, newValue == nil) {
            case (true, false): stored += 1
            case (false, true): stored -= 1
            default: break
            }
            storage[id.int] = newValue
        }
    }

    @inlinable public var isEmpty: Bool { stored == 0 }

    /// Removes and returns the value for `id`.
    @inlinable @discardableResult
    public mutating func removeValue(forKey id: NodeID) -> Value? {
        let old = self[id]
        self[id] = nil
        return old
    }

    /// The ids that have a value, ascending.
    @inlinable public var keys: [NodeID] { storage.indices.compactMap { storage[$0] == nil ? nil : NodeID($0) } }

    @inlinable public func mapValues<T>(_ transform: (Value) throws -> T) rethrows -> NodeMap<T> {
        var result = NodeMap<T>()
        result.storage = try storage.map { try $0.map(transform) }
        result.stored = stored
        return result
    }

    /// This map with `other`'s entries added; `combine` decides for ids in both.
    @inlinable public func merging(_ other: NodeMap<Value>, uniquingKeysWith combine: (Value, Value) throws -> Value) rethrows -> NodeMap<Value> {
        var result = self
        for id in other.keys {
            guard let theirs = other[id] else { continue }
            result[id] = try result[id].map { try combine($0, theirs) } ?? theirs
        }
        return result
    }

    @inlinable public func merging(_ other: [NodeID: Value], uniquingKeysWith combine: (Value, Value) throws -> Value) rethrows -> NodeMap<Value> {
        var result = self
        for (id, theirs) in other { result[id] = try result[id].map { try combine($0, theirs) } ?? theirs }
        return result
    }
}

extension NodeMap: Sendable where Value: Sendable {}

extension Printer {
    /// `render` with names from a `NodeMap`.
    public func render(_ root: NodeID, names: NodeMap<String>, literalRoot: Bool = false) -> String {
        printed(root, names: { names[$0] }, literalRoot: literalRoot).text
    }

    /// `printed` with names from a `NodeMap`.
    public func printed(_ root: NodeID, names: NodeMap<String>, literalRoot: Bool = false) -> Printed {
        printed(root, names: { names[$0] }, literalRoot: literalRoot)
    }
}
