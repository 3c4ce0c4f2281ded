import Foundation

/// Numeric comparison shared by the properties.
enum Numbers {
    /// `|a - b| <= tolerance * max(1, |b|)`; NaN matches NaN, infinities match themselves.
    static func close(_ a: Double, _ b: Double, _ tolerance: Double) -> Bool {
        if a.isNaN && b.isNaN { return true }
        if a == b { return true }
        return Swift.abs(a - b) <= tolerance * Swift.max(1, Swift.abs(b))
    }

    /// `Double`'s `description` for generated source: `1.0`, `-0.25`, `1e-300`.
    static func literal(_ d: Double) -> String { "\(d)" }
}
