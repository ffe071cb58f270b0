import Foundation

/// The duration notation of plantgate.yaml: `250ms`, `2s`, `1.5s`, `1m`, `1h` (whole milliseconds); a
/// space before the unit (`1 s`) means the same.
public enum DurationText {
    /// Parses a duration; nil when the text is not a number followed by ms, s, m or h, or when it is
    /// negative, not whole milliseconds, or longer than a year.
    public static func parse(_ text: String) -> Duration? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let units: [(String, Double)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)]
        for (suffix, millisPerUnit) in units where trimmed.hasSuffix(suffix) {
            let number = trimmed.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)
            guard let value = Double(number), value.isFinite, value >= 0 else { return nil }
            let millis = value * millisPerUnit
            guard millis <= 366 * 86_400_000, millis == millis.rounded() else { return nil }
            return .milliseconds(Int64(millis))
        }
        return nil
    }

    /// Writes a duration in the largest unit that states it exactly (`1m`, not `60000ms`).
    public static func format(_ duration: Duration) -> String {
        let millis = milliseconds(duration)
        if millis != 0, millis % 3_600_000 == 0 { return "\(millis / 3_600_000)h" }
        if millis != 0, millis % 60_000 == 0 { return "\(millis / 60_000)m" }
        if millis != 0, millis % 1000 == 0 { return "\(millis / 1000)s" }
        return "\(millis)ms"
    }

    /// Whole milliseconds of a duration.
    public static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }

    /// A duration in seconds as a floating-point number.
    public static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
