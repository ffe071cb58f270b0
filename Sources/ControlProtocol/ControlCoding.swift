import Foundation

extension ControlProtocol {
    /// Property names whose wire name is not their plain snake_case (the health topic's names), and those
    /// whose snake_case would not read back (`groupID` → `group_id` → `groupId`): every one is listed here.
    static let wireNames = [
        "lastGoodPoll": "last_poll",
        "groupID": "group_id", "edgeNodeID": "edge_node_id", "primaryHostID": "primary_host_id",
        "keyID": "key_id", "oldKeyID": "old_key_id",
    ]

    /// The daemon's answers: snake_case keys, the names the health and stats topics use, in sorted
    /// order so that `plantgate status --json` diffs cleanly from one run to the next. A field added
    /// later gets its snake_case name without further ado.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .custom { path in
            let name = path.last?.stringValue ?? ""
            return WireKey(wireNames[name] ?? snakeCase(name))
        }
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// Reads answers in snake_case (and, a key without `_` being kept as it is, most of version 1's
    /// camelCase: all but `lastGoodPoll`, now `last_poll` as on the health topic).
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        let propertyNames = Dictionary(uniqueKeysWithValues: wireNames.map { ($1, $0) })
        decoder.keyDecodingStrategy = .custom { path in
            let name = path.last?.stringValue ?? ""
            return WireKey(propertyNames[name] ?? camelCase(name))
        }
        return decoder
    }

    /// `latencyP50Ms` → `latency_p50_ms`: an underscore before each capital that follows a small letter or digit.
    static func snakeCase(_ name: String) -> String {
        var out = ""
        var previous: Character?
        for character in name {
            if character.isUppercase, let previous, previous.isLowercase || previous.isNumber { out.append("_") }
            out += character.lowercased()
            previous = character
        }
        return out
    }

    /// `latency_p50_ms` → `latencyP50Ms`.
    static func camelCase(_ name: String) -> String {
        let parts = name.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count > 1 else { return name }
        return String(parts[0]) + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}

/// A JSON key produced by the control protocol's key strategies.
private struct WireKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
