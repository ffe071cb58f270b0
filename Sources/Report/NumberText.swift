import Foundation

/// Numbers as the report writes them: for people (a few significant digits) and for PACT (plain decimals).
public enum NumberText {
    /// `x` for reading: grouped thousands, and about four significant digits.
    public static func display(_ x: Double?) -> String {
        guard let x, x.isFinite else { return "—" }
        if x == x.rounded(), abs(x) < 1e15 { return grouped(String(Int64(x))) }
        let magnitude = abs(x)
        let places = magnitude >= 1000 ? 0 : magnitude >= 100 ? 1 : magnitude >= 1 ? 2 : magnitude == 0 ? 0 : 4
        let text = String(format: "%.\(places)f", x)
        return grouped(text)
    }

    /// A share 0…1 as a percentage with one decimal.
    public static func percent(_ share: Double?) -> String {
        guard let share, share.isFinite else { return "—" }
        return String(format: "%.1f %%", share * 100)
    }

    /// A PACT Decimal: plain digits, no exponent, at most `places` decimals, trailing zeros removed.
    public static func decimal(_ x: Double, places: Int = 6) -> String {
        var text = String(format: "%.\(places)f", x)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }

    private static func grouped(_ text: String) -> String {
        let negative = text.hasPrefix("-")
        let body = negative ? String(text.dropFirst()) : text
        let parts = body.split(separator: ".", maxSplits: 1)
        var integer = String(parts[0])
        var groups: [String] = []
        while integer.count > 3 {
            groups.insert(String(integer.suffix(3)), at: 0)
            integer.removeLast(3)
        }
        groups.insert(integer, at: 0)
        let joined = groups.joined(separator: ",") + (parts.count > 1 ? "." + parts[1] : "")
        return (negative ? "-" : "") + joined
    }
}
