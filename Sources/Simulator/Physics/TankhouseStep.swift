import Foundation

/// A step in a tankhouse's energy efficiency: from `atEpoch` (Unix time) on, its cell voltage is `factor`
/// times what it was (0.95: 5 % less DC energy per tonne of cathode, as after new anodes or a spacer
/// campaign), so a baseline's CUSUM has a known change to follow. `plantgate sim --tankhouse-step`.
public struct TankhouseStep: Sendable, Hashable {
    public var atEpoch: Double
    public var factor: Double

    public init(atEpoch: Double, factor: Double) {
        self.atEpoch = atEpoch
        self.factor = factor
    }

    /// `TIME=FACTOR`, TIME in RFC 3339 (`2026-04-16T00:00:00+05:00=0.95`), FACTOR in (0, 2]; nil otherwise.
    public static func parse(_ text: String) -> TankhouseStep? {
        guard let split = text.lastIndex(of: "="), let factor = Double(text[text.index(after: split)...]),
              factor.isFinite, factor > 0, factor <= 2 else { return nil }
        let formatter = ISO8601DateFormatter()
        guard let date = formatter.date(from: String(text[..<split])) else { return nil }
        return TankhouseStep(atEpoch: date.timeIntervalSince1970, factor: factor)
    }
}
