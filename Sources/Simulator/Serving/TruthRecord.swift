import Foundation
import PlantModel

/// One line of the ground-truth file: what every meter truly counted at a simulated instant.
///
/// `{"sim_time": "...Z", "wall_time": "...Z", "t": 12.0, "meters": {"pm-main": {"counters": {"import_wh": ...},
/// "rates": {"power_kw": ...}, "display": {"energy_import": ...}, "jumps": {...}}}, "water": {...},
/// "requests": {"mcc": {"3": 120}}, "writes_refused": 0}`
public enum TruthRecord {
    /// The record at `t` as a dictionary (JSON types only).
    public static func record(plant: PlantScenario, at t: Double, wall: Date, requests: [String: [UInt8: Int]]) -> [String: Any] {
        var meters: [String: Any] = [:]
        // Each truth is an integral of up to a minute of rates: computed once per meter, used three times.
        let truths = plant.meters.map { $0.truth(at: t) }
        for (meter, truth) in zip(plant.meters, truths) {
            let display = meter.display(at: t, truth: truth)
            let jumps = meter.jumps(at: t)
            var counters: [String: Double] = [:], shown: [String: Double] = [:], jumped: [String: Double] = [:]
            for (index, channel) in meter.counters.enumerated() {
                counters[channel.truthKey] = truth[index]
                shown[channel.tag] = display[index]
                jumped[channel.tag] = jumps[index]
            }
            var rates: [String: Double] = [:]
            for gauge in meter.physics.gauges(at: t, curve: plant.curve) { rates[gauge.key] = gauge.value }
            meters[meter.id] = ["counters": counters, "rates": rates, "display": shown, "jumps": jumped,
                                "reset_marker": meter.marker(at: t), "bus": meter.bus, "unit": Int(meter.unit)]
        }
        var byBus: [String: [String: Int]] = [:]
        var writes = 0
        for (bus, counts) in requests {
            byBus[bus] = Dictionary(uniqueKeysWithValues: counts.map { (String($0.key), $0.value) })
            writes += counts.filter { !(1...4).contains($0.key) }.values.reduce(0, +)
        }
        return ["sim_time": timestamp(plant.start.addingTimeInterval(t)), "wall_time": timestamp(wall), "t": t,
                "scenario": plant.name, "meters": meters, "water": plant.waterBalance(truths: truths),
                "requests": byBus, "writes_refused": writes]
    }

    /// The record as one JSON line (sorted keys, no newline; a NaN rate is `null`).
    public static func line(plant: PlantScenario, at t: Double, wall: Date, requests: [String: [UInt8: Int]]) -> String {
        var text = ""
        TruthJSON.write(record(plant: plant, at: t, wall: wall, requests: requests), into: &text)
        return text
    }

    /// RFC 3339 UTC with milliseconds: `2025-06-01T10:00:05.250Z` (`UTCTimestamp`, truncated to the millisecond).
    public static func timestamp(_ date: Date) -> String {
        UTCTimestamp.rfc3339(Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) * 1_000_000)
    }
}
