import Foundation
import TestSupport

/// A truth file read back: each line's `t` and one meter's shown counter and rate, for checking that
/// the file is complete and that a gateway's readings agree with it.
struct TruthLines {
    /// `t` of every complete line, in file order.
    private(set) var times: [Double] = []
    private(set) var anchor: Date?
    /// The shown counter (`display`) of the meter asked for, at each of `times`.
    private(set) var shown: [Double] = []
    /// Its rate in tag units per second (from the truth `rates` in kW: Wh/s).
    private(set) var perSecond: [Double] = []

    /// Reads `path`; `meter`/`tag` pick the counter followed (a `power_kw` meter's energy in Wh).
    init(path: String, meter: String = "", tag: String = "") throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        for line in text.split(separator: "\n") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let t = (object["t"] as? NSNumber)?.doubleValue
            else { continue }   // the last line may still be half written
            if t == 0, let wall = object["wall_time"] as? String { anchor = formatter.date(from: wall) }
            times.append(t)
            let device = (object["meters"] as? [String: Any])?[meter] as? [String: Any]
            shown.append(((device?["display"] as? [String: Any])?[tag] as? NSNumber)?.doubleValue ?? .nan)
            perSecond.append((((device?["rates"] as? [String: Any])?["power_kw"] as? NSNumber)?.doubleValue ?? .nan) / 3.6)
        }
    }

    /// The first place the lines are not `0, interval, 2·interval, …`, or nil when there is none.
    func firstGap(interval: Double) -> String? {
        for (index, t) in times.enumerated() where abs(t - Double(index) * interval) > 1e-6 {
            return "line \(index + 1) has t = \(t), expected \(Double(index) * interval)"
        }
        return nil
    }

    /// The shown counter at simulated time `t`, linear between lines; nil outside the file.
    func shown(at t: Double) -> (value: Double, perSecond: Double)? {
        guard let high = times.firstIndex(where: { $0 >= t }) else { return nil }
        guard high > 0 else { return times[0] == t ? (shown[0], perSecond[0]) : nil }
        let low = high - 1
        let fraction = (t - times[low]) / (times[high] - times[low])
        return (shown[low] + (shown[high] - shown[low]) * fraction, perSecond[low] + (perSecond[high] - perSecond[low]) * fraction)
    }
}
