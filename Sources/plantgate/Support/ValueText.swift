import Foundation

/// How numbers, ages and durations read in tables: short, and the same in every command.
enum ValueText {
    /// A measured value: up to 6 significant digits, exponent only for very large or tiny values.
    static func value(_ value: Double?) -> String {
        guard let value else { return "-" }
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude >= 1e12 || magnitude < 1e-4 { return String(format: "%.6g", value) }
        if value == value.rounded(), magnitude < 1e15 { return String(format: "%.0f", value) }
        var text = String(format: "%.6g", value)
        if text.contains("e") { text = String(format: "%.4f", value) }
        return text
    }

    /// Milliseconds with one decimal: `1.3 ms`.
    static func milliseconds(_ ms: Double?) -> String {
        guard let ms else { return "-" }
        return String(format: ms < 10 ? "%.1f ms" : "%.0f ms", ms)
    }

    /// A span of time the way people say it: `45s`, `12m 3s`, `3h 12m`, `2d 4h`.
    static func span(_ seconds: Double?) -> String {
        guard let seconds, seconds.isFinite else { return "-" }
        let total = Int(max(0, seconds).rounded())
        let days = total / 86_400, hours = total % 86_400 / 3600, minutes = total % 3600 / 60, secs = total % 60
        if days > 0 { return "\(days)d \(hours)h" }
        if hours > 0 { return "\(hours)h \(minutes)m" }
        if minutes > 0 { return "\(minutes)m \(secs)s" }
        if seconds < 10, seconds != seconds.rounded() { return String(format: "%.1fs", max(0, seconds)) }
        return "\(secs)s"
    }

    /// A share 0…1 as a percentage: `12%`.
    static func percent(_ share: Double) -> String { String(format: "%.0f%%", share * 100) }
}
