import ESG
import PlantModel
import Synchronization

/// The latest live value of every line metric, for the control socket.
final class LiveMetrics: Sendable {
    private let table = Mutex<[String: [String: MetricReading]]>([:])

    func record(_ update: MetricUpdate) {
        let key = update.window == .oneMinute ? "\(update.metric)/1m" : update.metric
        let reading = MetricReading(id: key, value: update.value.value, unit: update.unit, quality: update.value.quality.name,
                                    window: update.window == .instant ? nil : update.window.rawValue,
                                    time: RFC3339.string(wallNanos: update.wallNanos))
        table.withLock { $0[update.line, default: [:]][key] = reading }
    }

    func lines(filter line: String? = nil) -> [LineStatus] {
        table.withLock { table in
            table.keys.sorted().filter { line == nil || $0 == line }.map { id in
                LineStatus(id: id, metrics: (table[id] ?? [:]).values.sorted { $0.id < $1.id })
            }
        }
    }
}
