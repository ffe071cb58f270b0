import Foundation

/// A meter model's register map as data: the tags a device gets with `profile: NAME`.
public struct MeterProfile: Sendable, Hashable {
    public var name: String
    public var summary: String
    /// Complete tags (register, type, order, unit set), in register order.
    public var tags: [TagConfig]

    public init(name: String, summary: String, tags: [TagConfig]) {
        self.name = name
        self.summary = summary
        self.tags = tags
    }

    /// The built-in profile with this name.
    public static func named(_ name: String) -> MeterProfile? { builtIn.first { $0.name == name } }

    /// A listing of every profile and its tags, as `plantgate profiles` prints it.
    public static func listing() -> String {
        builtIn.map { profile in
            let rows = profile.tags.map { tag in
                let kind = tag.kind == .counter ? " counter" : ""
                return "  \(tag.name.padding(toLength: 22, withPad: " ", startingAt: 0)) \(tag.register?.description ?? "?") "
                    + "\(tag.type?.rawValue ?? "?")\(tag.sumOf.map { "×\($0)" } ?? "") \(tag.order?.rawValue ?? "ABCD") \(tag.unit ?? "")\(kind)"
            }
            return (["\(profile.name): \(profile.summary)"] + rows).joined(separator: "\n")
        }.joined(separator: "\n\n")
    }
}
