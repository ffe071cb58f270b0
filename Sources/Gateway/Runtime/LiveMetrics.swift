import ControlProtocol
import ESG
import PlantModel
import Synchronization

/// The latest live value of every line metric, for the control socket.
final class LiveMetrics: Sendable {
    private let table = Mutex<[String: [String: MetricReading]]>([:])

    func record(_ update: MetricUpdate) {
        let key = Self.key(update)
        let reading = MetricReading(id: key, value: update.value.value, unit: update.unit, quality: update.value.quality.name,
                                    window: update.window == .instant ? nil : update.window.rawValue,
                                    time: UTCTimestamp.rfc3339(update.wallNanos))
        table.withLock { $0[update.line, default: [:]][key] = reading }
    }

    /// The topic level(s) of a live metric: the metric id for instantaneous values and block demand,
    /// `id/1m` and `id/15m` for rolling windows (each window keeps its own retained value).
    static func key(_ update: MetricUpdate) -> String { key(metric: update.metric, window: update.window) }

    /// The same name for a metric and window: JSON topics and Sparkplug metric names use it alike.
    static func key(metric: String, window: LiveWindow) -> String {
        switch window {
        case .instant, .demandBlock: metric
        case .oneMinute, .fifteenMinutes: "\(metric)/\(window.rawValue)"
        }
    }

    func lines(filter line: String? = nil) -> [LineStatus] {
        table.withLock { table in
            table.keys.sorted().filter { line == nil || $0 == line }.map { id in
                LineStatus(id: id, metrics: (table[id] ?? [:]).values.sorted { $0.id < $1.id })
            }
        }
    }
}
