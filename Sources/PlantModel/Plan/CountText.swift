/// A count with its noun in the right number: `1 line`, `2 lines`, `1 bus`, `3 buses`.
public enum CountText {
    public static func of(_ count: Int, _ singular: String, plural: String? = nil) -> String {
        if count == 1 { return "1 \(singular)" }
        let many = plural ?? (singular.hasSuffix("s") ? singular + "es" : singular + "s")
        return "\(count) \(many)"
    }
}
