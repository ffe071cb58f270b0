import Glibc
import PlantModel

/// Publishes device health (when a device goes up or down, when the reason it fails changes, and every
/// minute) and the gateway's own figures (every 10 s), with
/// the outbound channel's figures (the publisher's spool depth, drops, …) added to the latter.
/// Runs on the engine thread.
struct HealthReporter {
    private let plan: PlantPlan
    private let channel: any OutboundChannel
    private let clock: PlantClock
    private var lastUp: [String: Bool] = [:]
    /// The error text last published per device: a new reason is news even while the device stays down.
    private var lastError: [String: String] = [:]
    private var nextHealth: Int64 = 0
    private var nextStats: Int64 = 0
    private var lastRequests = 0
    private var lastStatsMono: Int64 = 0

    init(plan: PlantPlan, channel: any OutboundChannel, clock: PlantClock) {
        self.plan = plan
        self.channel = channel
        self.clock = clock
    }

    /// When the next minute's health or 10 s figures are due (real monotonic nanoseconds).
    var nextDueMonoNanos: Int64 { min(nextHealth, nextStats) }

    /// `now` (real) paces the reports; `plantNow` stamps them, like the samples they describe. Returns the
    /// buses' figures it read, so the rest of the pass judges the same moment without reading them again.
    mutating func tick(now: Instant, plantNow: Instant, pollers: [BusPoller], queue: SampleQueue) -> [BusStatistics] {
        let everyMinute = now.monoNanos >= nextHealth
        if everyMinute { nextHealth = now.monoNanos + 60_000_000_000 }
        var buses: [BusStatistics] = []
        for poller in pollers {
            let bus = poller.monitor.snapshot
            buses.append(bus)
            for device in bus.devices where everyMinute || lastUp[device.id] != device.up || lastError[device.id] != device.lastError {
                lastUp[device.id] = device.up
                lastError[device.id] = device.lastError
                channel.send(topic: plan.topics.health(device: device.id),
                             payload: Payloads.health(device, bus: bus, nowWallNanos: plantNow.wallNanos, nowMonoNanos: now.monoNanos), kind: .health)
            }
        }
        if now.monoNanos >= nextStats {
            nextStats = now.monoNanos + 10_000_000_000
            channel.send(topic: plan.topics.stats, payload: stats(buses, queue: queue, now: now, plantNow: plantNow), kind: .stats)
        }
        return buses
    }

    private mutating func stats(_ buses: [BusStatistics], queue: SampleQueue, now: Instant, plantNow: Instant) -> [UInt8] {
        let devices = buses.flatMap(\.devices)
        let requests = devices.reduce(0) { $0 + $1.requests }
        let elapsed = Double(now.monoNanos - lastStatsMono) / 1e9
        let rate = lastStatsMono == 0 || elapsed <= 0 ? 0 : Double(requests - lastRequests) / elapsed
        lastRequests = requests
        lastStatsMono = now.monoNanos
        // Worst device decides: report the largest p99 and max.
        func worst(_ histogram: KeyPath<DeviceStatistics, LatencyHistogram>) -> LatencyHistogram {
            var worst = LatencyHistogram()
            for device in devices where device[keyPath: histogram].total > 0 {
                if (device[keyPath: histogram].quantile(0.99) ?? 0) > (worst.quantile(0.99) ?? 0) { worst = device[keyPath: histogram] }
            }
            return worst
        }
        let jitter = worst(\.jitter)
        let startDelay = worst(\.startDelay)
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("t"); writer.timestamp(wallNanos: plantNow.wallNanos)
        if let simulation = clock.simulation {
            // Anyone reading the figures must see that time is not real.
            writer.key("simulated_clock_speed"); writer.number(simulation.speed)
        }
        writer.key("requests_per_s"); writer.number((rate * 10).rounded() / 10)
        writer.key("devices_up"); writer.integer(Int64(devices.filter(\.up).count))
        writer.key("devices"); writer.integer(Int64(devices.count))
        // Each device that is down, with why and since when: the figure alone sends nobody to the right place.
        writer.key("down")
        writer.beginObject()
        for device in devices where !device.up {
            writer.key(device.id)
            writer.beginObject()
            writer.key("error")
            // A device the bus has not reached yet is not up, but it has not failed either: say which.
            if let error = device.lastError { writer.string(error) } else if device.cycles == 0 { writer.string("not polled yet") } else { writer.number(nil) }
            writer.key("at")
            if let at = device.lastErrorWallNanos { writer.timestamp(wallNanos: at) } else { writer.number(nil) }
            writer.key("errors_last_minute"); writer.integer(Int64(device.recentErrors.total(nowMonoNanos: now.monoNanos)))
            writer.endObject()
        }
        writer.endObject()
        writer.key("overruns"); writer.integer(Int64(devices.reduce(0) { $0 + $1.overruns }))
        writer.key("jitter_p99_ms"); writer.number(jitter.quantile(0.99).map { (Double($0) / 1e4).rounded() / 100 })
        writer.key("jitter_max_ms"); writer.number((Double(jitter.maxNanos) / 1e4).rounded() / 100)
        writer.key("start_delay_p99_ms"); writer.number(startDelay.quantile(0.99).map { (Double($0) / 1e4).rounded() / 100 })
        writer.key("queue_depth"); writer.integer(Int64(queue.depth))
        writer.key("queue_dropped"); writer.integer(Int64(queue.dropped))
        writer.key("rss_mb"); writer.number((Self.residentMegabytes() * 10).rounded() / 10)
        for figure in channel.figures() {
            switch figure {
            case .count(let name, let value): writer.key(name); writer.integer(Int64(value))
            case .flag(let name, let value): writer.key(name); writer.bool(value)
            case .text(let name, let value): writer.key(name); writer.string(value)
            }
        }
        writer.endObject()
        return writer.bytes
    }

    /// Resident set size from /proc/self/statm.
    static func residentMegabytes() -> Double {
        guard let file = fopen("/proc/self/statm", "r") else { return 0 }
        defer { fclose(file) }
        var size = 0, resident = 0
        guard withUnsafeMutablePointer(to: &size, { sizePointer in
            withUnsafeMutablePointer(to: &resident) { residentPointer in
                withVaList([sizePointer, residentPointer]) { vfscanf(file, "%ld %ld", $0) }
            }
        }) == 2 else { return 0 }
        return Double(resident * Int(sysconf(Int32(_SC_PAGESIZE)))) / 1_048_576
    }
}
