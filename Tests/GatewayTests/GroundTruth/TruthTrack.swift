import Foundation
import TestSupport

/// The simulator's ground-truth file read back: every meter's true counters against plant time, so a
/// period's true usage is the counter advance between its edges (linear between truth lines).
struct TruthTrack {
    /// Plant time (seconds since the epoch) of each truth line, ascending.
    private(set) var times: [Double] = []
    /// "meter/truth_key" → true cumulative value at each of `times` (truth units: Wh, m3, Nm3, t).
    private(set) var counters: [String: [Double]] = [:]
    /// Real wall time at which the simulator's plant clock showed its start (the line with t = 0).
    private(set) var anchor: Date?

    /// Reads `path`, whose lines carry `t` = plant seconds since `start`.
    init(path: String, start: Date) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        for line in text.split(separator: "\n") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let t = object["t"] as? Double, let meters = object["meters"] as? [String: Any]
            else { continue }   // the last line may still be half written
            if t == 0, let wall = object["wall_time"] as? String { anchor = formatter.date(from: wall) }
            let time = start.timeIntervalSince1970 + t
            if let last = times.last, time <= last { continue }
            times.append(time)
            for (name, value) in meters {
                guard let meter = value as? [String: Any], let values = meter["counters"] as? [String: Any] else { continue }
                for (key, amount) in values {
                    counters["\(name)/\(key)", default: []].append((amount as? Double) ?? .nan)
                }
            }
        }
    }

    /// The true cumulative value of `key` ("pm-main/import_wh") at plant time `epoch`, or nil outside the file.
    func value(_ key: String, at epoch: Double) -> Double? {
        guard let series = counters[key], series.count == times.count, let first = times.first, let last = times.last,
            epoch >= first, epoch <= last
        else { return nil }
        var low = 0, high = times.count - 1
        while high - low > 1 {
            let mid = (low + high) / 2
            if times[mid] <= epoch { low = mid } else { high = mid }
        }
        let span = times[high] - times[low]
        let fraction = span > 0 ? (epoch - times[low]) / span : 0
        return series[low] + (series[high] - series[low]) * fraction
    }

    /// The true usage of `key` between two plant times.
    func advance(_ key: String, from a: Double, to b: Double) throws -> Double {
        guard let start = value(key, at: a), let end = value(key, at: b) else {
            throw TestSupportError("truth file has no \(key) over \(a)…\(b) (covers \(times.first ?? 0)…\(times.last ?? 0))")
        }
        return end - start
    }

    /// The plant time at which the true counter `key` reached `amount` (inverse of `value`), if it did.
    func time(_ key: String, reaching amount: Double) -> Double? {
        guard let series = counters[key], series.count == times.count, let first = series.first, let last = series.last,
            amount >= first, amount <= last
        else { return nil }
        var low = 0, high = series.count - 1
        while high - low > 1 {
            let mid = (low + high) / 2
            if series[mid] <= amount { low = mid } else { high = mid }
        }
        let rise = series[high] - series[low]
        let fraction = rise > 0 ? (amount - series[low]) / rise : 0
        return times[low] + (times[high] - times[low]) * fraction
    }
}
