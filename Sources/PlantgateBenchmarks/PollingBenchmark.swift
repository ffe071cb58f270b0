import Foundation
import Gateway
import Logging
import PlantModel
import Synchronization

/// Figures of one polling run: the whole runtime (bus pollers, engine, raw publish decisions) against
/// Modbus servers in a child process.
struct PollingBenchmarkResult: Codable, Sendable {
    var name: String
    var registers: Int
    var tags: Int
    var buses: Int
    var devices: Int
    var intervalMilliseconds: Double
    var seconds: Double
    var samplesPerSecond: Double
    var expectedSamplesPerSecond: Double
    var requestsPerSecond: Double
    var errors: Int
    var overruns: Int
    /// Whole-process CPU (the servers run in a child process, so this is the gateway's).
    var processCPUPercent: Double
    var processCPUSecondsPerMillionSamples: Double
    var rssMegabytes: Double
    var peakRSSMegabytes: Double
    /// Start-time jitter (cycle start against its deadline, or against the end of the cycle ahead of
    /// it when the bus was busy), worst device.
    var jitterP50Milliseconds: Double
    var jitterP99Milliseconds: Double
    var jitterMaxMilliseconds: Double
    /// Start-time jitter p99 over every cycle of every device.
    var jitterP99AllDevicesMilliseconds: Double
    /// The machine's own floor, measured in the same window: how late a `SCHED_FIFO` thread wakes from an
    /// absolute 100 ms sleep with nothing else to do (on a virtual machine, mostly the host's preemption).
    var timerWakeP99Milliseconds: Double
    var timerWakeMaxMilliseconds: Double
    /// Start against the deadline including the wait for devices ahead on the same bus (worst device).
    var startDelayP50Milliseconds: Double
    var startDelayP99Milliseconds: Double
    var startDelayMaxMilliseconds: Double
    /// Request sent → reply decoded and its samples in the queue, worst device.
    var latencyP50Milliseconds: Double
    var latencyP99Milliseconds: Double
    var latencyMaxMilliseconds: Double
    /// malloc/calloc/realloc/posix_memalign calls in the gateway process per device cycle and per
    /// sample over the measured window (nil when the counting library could not be built).
    var allocationsPerCycle: Double?
    var allocationsPerSample: Double?
}

/// Discards what the runtime publishes, counting messages.
final class CountingChannel: OutboundChannel {
    let messages = Atomic<Int>(0)
    func send(topic: String, payload: [UInt8], kind: OutboundKind) { messages.add(1, ordering: .relaxed) }
}

enum PollingBenchmark {
    static func run(name: String, registers: Int, buses: Int, devicesPerBus: Int, intervalMilliseconds: Int,
                    warmup: Double, seconds: Double) throws -> PollingBenchmarkResult {
        let servers = try RegisterServerProcess(count: buses, changing: false)
        defer { servers.stop() }
        let plan = try BenchmarkPlant.plan(BenchmarkPlant.yaml(registers: registers, buses: buses, devicesPerBus: devicesPerBus,
                                                               interval: "\(intervalMilliseconds)ms", ports: servers.ports))
        var logger = Logger(label: "plantgate.bench")
        logger.logLevel = .error
        let runtime = PlantRuntime(plan: plan, channel: CountingChannel(), store: nil, logger: logger)
        try runtime.start()
        defer { runtime.stop() }
        Thread.sleep(forTimeInterval: warmup)

        for poller in runtime.pollers {
            poller.monitor.update { bus in
                for index in bus.devices.indices {
                    bus.devices[index].jitter.reset()
                    bus.devices[index].startDelay.reset()
                    bus.devices[index].latency.reset()
                }
            }
        }
        ProcessMeter.resetPeakResident()
        let timer = TimerWakeProbe(intervalNanos: 100_000_000, seconds: seconds)
        let before = Snapshot(runtime, opening: true)
        Thread.sleep(forTimeInterval: seconds)
        let after = Snapshot(runtime, opening: false)
        let timerWake = timer.finish()
        if let failure = runtime.engineFailure { throw BenchmarkFailure(failure) }

        let elapsed = after.time - before.time
        let samples = Double(after.samples - before.samples)
        let devices = runtime.pollers.flatMap { $0.monitor.snapshot.devices }
        func worst(_ pick: (DeviceStatistics) -> Int64?) -> Double {
            Double(devices.compactMap(pick).max() ?? 0) / 1e6
        }
        var pooledJitter = LatencyHistogram()
        for device in devices { pooledJitter.merge(device.jitter) }
        let resident = ProcessMeter.residentMegabytes()
        let allocations = after.allocations.flatMap { end in before.allocations.map { Double(end - $0) } }
        let expected = Double(plan.tags.count) * 1000 / Double(intervalMilliseconds)
        return PollingBenchmarkResult(
            name: name, registers: BenchmarkPlant.registerCount(plan), tags: plan.tags.count, buses: buses, devices: devices.count,
            intervalMilliseconds: Double(intervalMilliseconds), seconds: elapsed,
            samplesPerSecond: samples / elapsed, expectedSamplesPerSecond: expected,
            requestsPerSecond: Double(after.requests - before.requests) / elapsed,
            errors: devices.reduce(0) { $0 + $1.errors.total }, overruns: devices.reduce(0) { $0 + $1.overruns },
            processCPUPercent: (after.processCPU - before.processCPU) / elapsed * 100,
            processCPUSecondsPerMillionSamples: (after.processCPU - before.processCPU) / max(1, samples) * 1e6,
            rssMegabytes: resident.current, peakRSSMegabytes: resident.peak,
            jitterP50Milliseconds: worst { $0.jitter.quantile(0.5) }, jitterP99Milliseconds: worst { $0.jitter.quantile(0.99) },
            jitterMaxMilliseconds: worst { $0.jitter.maxNanos },
            jitterP99AllDevicesMilliseconds: Double(pooledJitter.quantile(0.99) ?? 0) / 1e6,
            timerWakeP99Milliseconds: Double(timerWake.quantile(0.99) ?? 0) / 1e6,
            timerWakeMaxMilliseconds: Double(timerWake.maxNanos) / 1e6,
            startDelayP50Milliseconds: worst { $0.startDelay.quantile(0.5) }, startDelayP99Milliseconds: worst { $0.startDelay.quantile(0.99) },
            startDelayMaxMilliseconds: worst { $0.startDelay.maxNanos },
            latencyP50Milliseconds: worst { $0.latency.quantile(0.5) }, latencyP99Milliseconds: worst { $0.latency.quantile(0.99) },
            latencyMaxMilliseconds: worst { $0.latency.maxNanos },
            allocationsPerCycle: allocations.map { $0 / Double(max(1, after.cycles - before.cycles)) },
            allocationsPerSample: allocations.map { $0 / max(1, samples) })
    }

    /// Counters of a running runtime at one moment.
    struct Snapshot {
        var time: Double
        var samples: Int
        var requests: Int
        var cycles: Int
        var processCPU: Double
        var allocations: UInt64?

        /// The window's opening snapshot reads the allocation counter last and the closing one first,
        /// so the snapshots' own allocations stay out of the figure.
        init(_ runtime: PlantRuntime, opening: Bool) {
            let early = opening ? nil : AllocationCounter.count
            time = Double(DispatchTime.now().uptimeNanoseconds) / 1e9
            samples = runtime.publishedRaw.load(ordering: .relaxed)
            let devices = runtime.pollers.flatMap { $0.monitor.snapshot.devices }
            requests = devices.reduce(0) { $0 + $1.requests }
            cycles = devices.reduce(0) { $0 + $1.cycles }
            processCPU = ProcessMeter.processCPUSeconds()
            allocations = opening ? AllocationCounter.count : early
        }
    }
}
