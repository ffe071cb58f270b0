import ESG
import PlantModel
import Sparkplug

/// What the edge node declares, derived from the plan: every meter with its tags and every line
/// with the live metrics the engine produces for it, plus the gateway's own figures; and the routes
/// from a tag index or a `MetricUpdate` to a device and metric name.
struct SparkplugCatalogue: Sendable {
    /// Meters first (in bus order), then lines.
    let devices: [SparkplugDevice]
    /// Device index and metric name of each tag index.
    let tagRoutes: [TagRoute]
    /// Device index of each line id.
    let lineDevices: [String: Int]
    /// Metric name, per line device, of each (metric, window) the engine emits.
    let lineMetricNames: [String: [LineMetricKey: String]]
    /// Device index of each meter id.
    let meterDevices: [String: Int]

    struct TagRoute: Sendable {
        let device: Int
        let name: String
    }

    struct LineMetricKey: Sendable, Hashable {
        let metric: String
        let window: LiveWindow
    }

    /// The node's own metrics (gateway figures), besides `bdSeq` and `Node Control/Rebirth`.
    static let nodeMetrics: [SparkplugMetricDefinition] = [
        SparkplugMetricDefinition(name: "gateway/version", dataType: .string),
        SparkplugMetricDefinition(name: "gateway/devices", dataType: .int64),
        SparkplugMetricDefinition(name: "gateway/devices_up", dataType: .int64),
        SparkplugMetricDefinition(name: "gateway/queue_depth", dataType: .int64),
        SparkplugMetricDefinition(name: "gateway/queue_dropped", dataType: .int64),
        SparkplugMetricDefinition(name: "gateway/rss_mb", dataType: .double, unit: "MB"),
    ]

    /// The Sparkplug name of a live line metric: the JSON topic's levels below the line, so both say
    /// `electricity_import_kwh/1m` (instant values and demand blocks by their own name).
    static func name(metric: String, window: LiveWindow) -> String { LiveMetrics.key(metric: metric, window: window) }

    init(plan: PlantPlan) throws {
        var devices: [SparkplugDevice] = []
        var routes = [TagRoute?](repeating: nil, count: plan.tags.count)
        var meterDevices: [String: Int] = [:]
        for bus in plan.buses {
            for meter in bus.devices {
                let index = devices.count
                meterDevices[meter.device] = index
                let tags = plan.tags.filter { $0.device == meter.device }
                for tag in tags where Int(tag.index) < routes.count {
                    routes[Int(tag.index)] = TagRoute(device: index, name: tag.name)
                }
                devices.append(SparkplugDevice(id: meter.device, metrics: tags.map {
                    SparkplugMetricDefinition(name: $0.name, dataType: .double, unit: $0.unit.isEmpty ? nil : $0.unit)
                }))
            }
        }
        var lineDevices: [String: Int] = [:]
        var lineMetricNames: [String: [LineMetricKey: String]] = [:]
        for (line, metrics) in try Self.lineMetrics(plan) {
            if meterDevices[line] != nil {
                throw DaemonError("mqtt.sparkplug: line '\(line)' and meter '\(line)' would be the same Sparkplug device; rename one of them")
            }
            lineDevices[line] = devices.count
            var names: [LineMetricKey: String] = [:]
            var definitions: [SparkplugMetricDefinition] = []
            for update in metrics {
                let name = Self.name(metric: update.metric, window: update.window)
                guard !definitions.contains(where: { $0.name == name }) else { continue }
                names[LineMetricKey(metric: update.metric, window: update.window)] = name
                definitions.append(SparkplugMetricDefinition(name: name, dataType: .double, unit: update.unit))
            }
            lineMetricNames[line] = names
            devices.append(SparkplugDevice(id: line, metrics: definitions))
        }
        self.devices = devices
        self.tagRoutes = routes.map { $0 ?? TagRoute(device: -1, name: "") }
        self.lineDevices = lineDevices
        self.lineMetricNames = lineMetricNames
        self.meterDevices = meterDevices
    }

    /// The live metrics each line has, from a scratch engine run through one live emission and past
    /// a demand block (which metrics a line has depends only on its inputs, never on values).
    private static func lineMetrics(_ plan: PlantPlan) throws -> [(String, [MetricUpdate])] {
        guard !plan.lines.isEmpty else { return [] }
        let start = SystemClock.now()
        var engine = try MetricEngine(site: plan.site, lines: plan.lines, start: start)
        var byLine: [String: [MetricUpdate]] = [:]
        let collect = { (update: MetricUpdate) in byLine[update.line, default: []].append(update) }
        engine.advance(to: start, live: collect, closed: { _ in })
        let later = 31 * 60 * Int64(1_000_000_000)
        engine.advance(to: Instant(wallNanos: start.wallNanos + later, monoNanos: start.monoNanos + later), live: collect, closed: { _ in })
        return engine.lineIDs.map { ($0, byLine[$0] ?? []) }
    }
}
