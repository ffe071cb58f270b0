/// A config of one copper line `ew-1` fed by `meter` and the cathode belt scale, whose last key is
/// `key: block` (at line 18 plus one per input, where the messages about the block point).
enum CopperLineYAML {
    struct Meter {
        var id: String
        var unit: Int
        var profile: String
    }

    static func text(meter: Meter, inputs: [String], key: String, block: String) -> String {
        """
        site: {id: test-site, time_zone: UTC}
        buses:
          - id: mcc
            tcp: {host: 127.0.0.1, port: 1502}
        devices:
          - id: \(meter.id)
            bus: mcc
            unit: \(meter.unit)
            profile: \(meter.profile)
          - id: scale
            bus: mcc
            unit: 7
            profile: cathode-scale
        lines:
          - id: ew-1
            product: {name: Cu cathode}
            inputs:
        \(inputs.map { "      - \($0)" }.joined(separator: "\n"))
            \(key): \(block)
        factors:
          grid: {id: g, kgco2e_per_kwh: 0.5, source: test}
        """
    }
}
