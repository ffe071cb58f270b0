/// A scan's findings counted as devices: one per unit id, with every serial setting it answered at
/// and the fastest of them (the setting to configure), instead of one row per (unit, setting) pair.
struct ScanDevices {
    struct Device: Encodable {
        var unit: Int
        /// The settings (or TCP endpoint) it answered at, in the order tried.
        var answeredAt: [String]
        /// The setting that answered fastest.
        var fastest: String
        var fastestMs: Double
        /// The answer at the fastest setting.
        var text: String
        var answer: String

        enum CodingKeys: String, CodingKey {
            case unit, fastest, text, answer
            case answeredAt = "answered_at"
            case fastestMs = "fastest_ms"
        }
    }

    var devices: [Device]

    init(_ findings: [BusScan.Finding]) {
        let units = Dictionary(grouping: findings, by: \.unit)
        devices = units.keys.sorted().compactMap { unit in
            guard let answers = units[unit], let fastest = answers.min(by: { $0.latencyMs < $1.latencyMs }) else { return nil }
            return Device(unit: unit, answeredAt: answers.map(\.link), fastest: fastest.link, fastestMs: fastest.latencyMs,
                          text: fastest.text, answer: fastest.answer)
        }
    }
}
