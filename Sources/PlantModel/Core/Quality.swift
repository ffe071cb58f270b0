/// Data quality of a value (docs/mqtt.md describes what each means to a consumer).
///
/// Ordered from best to worst so that `max` of two qualities is the worst-of propagation rule.
public enum Quality: UInt8, Sendable, Comparable, CaseIterable, Codable {
    /// A fresh reading within its bounds.
    case good = 0
    /// Stale (older than 3 poll intervals), estimated, or from a window with gaps.
    case uncertain = 1
    /// No reading, a device error, NaN or out of range.
    case bad = 2

    public static func < (lhs: Quality, rhs: Quality) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The name used on the wire (`"q"` in every payload).
    public var name: String {
        switch self {
        case .good: "good"
        case .uncertain: "uncertain"
        case .bad: "bad"
        }
    }
}
