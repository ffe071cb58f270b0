import ControlProtocol
import ESG
import Foundation
import PlantModel

/// Builds the control socket's answers from the running parts.
struct StatusComposer: Sendable {
    let configPath: String
    let startedWallNanos: Int64
    let startedMonoNanos: Int64
    let version: String
    let clock: PlantClock

    func status(runtime: PlantRuntime, publisher: Publisher, revision: String) -> StatusReport {
        let now = SystemClock.now()
        let stats = publisher.stats
        let modified = (try? FileManager.default.attributesOfItem(atPath: configPath)[.modificationDate] as? Date)
        let buses = runtime.pollers.map { $0.monitor.snapshot }
        let busOf = Dictionary(runtime.plan.buses.flatMap { bus in bus.devices.map { ($0.device, bus.bus.id) } }, uniquingKeysWith: { a, _ in a })
        return StatusReport(
            version: version, pid: getpid(),
            startedAt: UTCTimestamp.rfc3339(startedWallNanos),
            uptimeSeconds: Double(now.monoNanos - startedMonoNanos) / 1e9,
            configPath: configPath,
            configAgeSeconds: modified.map { Date().timeIntervalSince($0) },
            configRevision: revision,
            site: runtime.plan.site.id,
            broker: BrokerStatus(endpoint: stats.broker ?? runtime.plan.mqtt.brokers[0].description, connected: stats.connected,
                                 lastError: stats.lastError, spoolDepth: stats.spoolDepth, memoryDepth: stats.memoryDepth,
                                 dropped: stats.totalDropped, published: stats.published),
            buses: buses.map { BusStatus(id: $0.id, endpoint: $0.endpoint, connected: $0.connected,
                                         reconnects: max(0, $0.reconnects - 1), utilisation: $0.utilisation(nowMono: now.monoNanos),
                                         lastError: $0.lastError, lastErrorAt: $0.lastErrorWallNanos.map { UTCTimestamp.rfc3339($0) }) },
            devices: buses.flatMap { bus in
                bus.devices.map { device in
                    DeviceStatus(
                        id: device.id, bus: busOf[device.id] ?? bus.id, unit: device.unit, up: device.up,
                        lastGoodPoll: device.lastGoodPollWallNanos.map { UTCTimestamp.rfc3339($0) },
                        requests: device.requests, errors: device.errors.byName,
                        errorsLastMinute: device.recentErrors.byName(nowMonoNanos: now.monoNanos),
                        latencyP50Ms: device.latency.quantile(0.5).map { Double($0) / 1e6 },
                        latencyP99Ms: device.latency.quantile(0.99).map { Double($0) / 1e6 },
                        lastError: device.lastError,
                        lastErrorAt: device.lastErrorWallNanos.map { UTCTimestamp.rfc3339($0) },
                        overruns: device.overruns)
                }
            },
            lines: Self.everyLine(of: runtime))
    }

    /// Every configured line, with the metrics computed so far (none yet just after start), so that
    /// `plantgate watch --line` can tell a line without values from a line that does not exist.
    static func everyLine(of runtime: PlantRuntime) -> [LineStatus] {
        let live = Dictionary(runtime.live.lines().map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return runtime.plan.lines.map { live[$0.id] ?? LineStatus(id: $0.id, metrics: []) }
    }

    func values(runtime: PlantRuntime, request: ControlRequest) -> ValuesReport {
        let now = clock.now()
        let samples = runtime.latest.snapshot
        let lastGood = runtime.latest.lastGoodSnapshot
        let lineTags: Set<TagIndex>? = request.line.map { line in
            Set(runtime.plan.lines.filter { $0.id == line }.flatMap { $0.inputs.map(\.tag) })
        }
        let values = runtime.plan.tags.filter { tag in
            (request.device == nil || tag.device == request.device)
                && (lineTags == nil || lineTags?.contains(tag.index) == true)
                && (request.tag == nil || Glob.matches(request.tag ?? "*", tag.path))
        }.map { tag -> ValuesReport.Value in
            let sample = samples[Int(tag.index)]
            let seen = sample.tag >= 0
            return ValuesReport.Value(path: tag.path, value: seen && sample.value.isFinite ? sample.value : nil, unit: tag.unit,
                              quality: seen ? sample.quality.name : "bad",
                              reason: seen ? (sample.reason == .none ? nil : sample.reason.code) : "NEVER_READ",
                              ageSeconds: seen ? Double(now.monoNanos - sample.time.monoNanos) / 1e9 / clock.speed : nil,
                              sinceGoodSeconds: lastGood[Int(tag.index)] == .min ? nil
                                  : Double(now.monoNanos - lastGood[Int(tag.index)]) / 1e9 / clock.speed,
                              time: seen ? UTCTimestamp.rfc3339(sample.time.wallNanos) : nil)
        }
        let metrics = request.device == nil && request.tag == nil ? runtime.live.lines(filter: request.line) : []
        return ValuesReport(values: values, metrics: metrics)
    }
}

/// `*` and `?` wildcards, for `plantgate watch --tag`.
enum Glob {
    static func matches(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern.utf8), t = Array(text.utf8)
        var pi = 0, ti = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count, p[pi] == UInt8(ascii: "?") || p[pi] == t[ti] {
                pi += 1; ti += 1
            } else if pi < p.count, p[pi] == UInt8(ascii: "*") {
                star = pi; mark = ti; pi += 1
            } else if star >= 0 {
                pi = star + 1; mark += 1; ti = mark
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.count
    }
}
