import Dispatch
import Foundation
import Logging
import Modbus
import ModbusProtocol
import PlantModel
import POSIX
import Synchronization

/// Polls every device on one bus (a TCP endpoint or a serial port) from a dedicated thread.
///
/// libmodbus blocks, so each bus owns a thread and a `ModbusClient`; Swift's cooperative pool never
/// waits on a meter. Devices on a bus are polled in turn (RS-485 is half-duplex), each on its own
/// absolute deadlines. Samples go to the shared `SampleQueue`; statistics to the bus's `BusMonitor`.
/// The per-sample path (read into a preallocated buffer, decode, enqueue) allocates nothing.
public final class BusPoller: Sendable {
    public let plan: BusPlan
    public let monitor: BusMonitor
    let tags: [TagDefinition]
    private let queue: SampleQueue
    let logger: Logger
    private let stopping = Atomic<Bool>(false)
    private let thread = Mutex<JoinableThread?>(nil)
    /// Device errors, connection failures and flapping are logged on change and then summarised.
    private let limiter = LogRateLimiter(window: .seconds(60))
    private let nextSummaryCheckMonoNanos = Atomic<Int64>(0)
    /// Tag indexes this bus's samples carry; a reloaded runtime may adopt the poller only if they mean the same tags.
    public let emittedTags: [TagIndex]
    /// Tests hold a bus's thread still to prove the watchdog notices.
    private let frozen = Atomic<Bool>(false)
    /// Monotonic time of the last completed device cycle, for the watchdog's progress check.
    public let lastProgressMonoNanos = Atomic<Int64>(0)
    /// Splits found by bisection, kept across restarts of the same config (nil: not kept).
    let splits: ReadSplitMemory?
    /// Stamps the samples.
    let clock: PlantClock
    /// The bus thread sleeps on it until its next deadline; `stop` and a thaw wake it at once.
    private let wake = ThreadWake()

    public init(plan: BusPlan, tags: [TagDefinition], queue: SampleQueue, logger: Logger, splits: ReadSplitMemory? = nil,
                clock: PlantClock = .real) {
        self.plan = plan
        self.clock = clock
        self.splits = splits
        self.tags = tags
        self.queue = queue
        self.logger = logger
        let devices = plan.devices.map { DeviceStatistics(id: $0.device, unit: $0.unit) }
        monitor = BusMonitor(BusStatistics(id: plan.bus.id, endpoint: plan.bus.endpoint.description, devices: devices))
        emittedTags = plan.devices.flatMap { $0.groups.flatMap { $0.requests.flatMap { $0.slots.map(\.tag) } } }
    }

    /// Starts the bus thread; does nothing if it already runs (a poller adopted across a reload).
    public func start() throws(ThreadStartError) {
        try thread.withLock { (thread: inout JoinableThread?) throws(ThreadStartError) in
            guard thread == nil else { return }
            lastProgressMonoNanos.store(SystemClock.monotonicNanos(), ordering: .relaxed)
            do throws(SystemCallError) {
                thread = try JoinableThread(name: "bus-\(plan.bus.id)") { [self] in
                    applyScheduling()
                    run()
                }
            } catch {
                throw ThreadStartError(part: "bus \(plan.bus.id)", error: error)
            }
        }
    }

    /// Said once per process: every bus thread gets the same answer from the kernel.
    private static let schedulingAnnounced = Atomic<Bool>(false)

    private func applyScheduling() {
        let outcome = RealtimeScheduling.elevateCurrentThread()
        let priority: Int32 = if case .realtime(let priority) = outcome { priority } else { 0 }
        monitor.update { $0.realtimePriority = Int(priority) }
        guard !Self.schedulingAnnounced.exchange(true, ordering: .relaxed) else { return }
        // About the process, not about whichever bus started first: without its bus tag.
        var logger = logger
        logger[metadataKey: "bus"] = nil
        switch outcome {
        case .realtime(let priority):
            logger.info("bus threads run SCHED_FIFO priority \(priority): polls start on their deadlines under load")
        case .normal(let reason):
            logger.notice("bus threads run at normal priority: \(reason); start jitter will follow the machine's load; to allow it, install /usr/share/plantgate/systemd/realtime.conf as a drop-in")
        }
    }

    /// Asks the thread to stop, wakes it if it sleeps, and waits for it (at most one request timeout).
    public func stop() {
        stopping.store(true, ordering: .relaxed)
        frozen.store(false, ordering: .relaxed)
        wake.wake()
        thread.withLock { $0 }?.join()
    }

    /// True from ``start()`` until ``stop()``.
    public var isRunning: Bool { thread.withLock { $0 != nil } && !isStopping }

    /// Debug hook: holds the bus thread (watchdog tests).
    public func setFrozen(_ value: Bool) {
        frozen.store(value, ordering: .relaxed)
        if !value { wake.wake() }
    }

    var isStopping: Bool { stopping.load(ordering: .relaxed) }

    // MARK: - The loop

    private func run() {
        let client = ModbusClient(endpoint: plan.bus.endpoint, timeouts: plan.bus.timeouts)
        var words = [UInt16](repeating: 0, count: 125)
        var bits = [UInt8](repeating: 0, count: 2000)
        let start = SystemClock.monotonicNanos() + 10_000_000
        var devices = plan.devices.enumerated().map {
            PollingDevice(plan: $1, index: $0, firstDeadline: start, softErrors: plan.bus.softErrors)
        }
        for index in devices.indices { applyRememberedSplits(&devices[index]) }
        var reconnect = ReconnectBackoff()
        var random = SystemRandomNumberGenerator()
        let requestDelay = plan.bus.requestDelay.nanoseconds
        // When the previous cycle ended: a device due together with others cannot start before the
        // bus is free, and that wait is the bus's schedule, not the scheduler's lateness.
        var busFreeAt: Int64 = 0
        guard !devices.isEmpty else { return }
        var held = HeldSamples()
        defer { if held.release() { queue.signal() } }

        while !isStopping {
            var nextIndex = 0
            for index in devices.indices where devices[index].schedule.nextDeadline < devices[nextIndex].schedule.nextDeadline {
                nextIndex = index
            }
            guard sleep(until: devices[nextIndex].schedule.nextDeadline, releasing: &held) else { break }
            if frozen.load(ordering: .relaxed), held.release() { queue.signal() }
            while frozen.load(ordering: .relaxed) && !isStopping { wake.sleep(untilMonotonicNanos: .max) }
            let cycleStart = SystemClock.monotonicNanos()
            let deadline = devices[nextIndex].schedule.nextDeadline
            let start = StartTiming(jitter: cycleStart - max(deadline, busFreeAt), delay: cycleStart - deadline)
            defer { busFreeAt = SystemClock.monotonicNanos() }

            if !client.isConnected {
                if reconnect.mayAttempt(at: cycleStart) {
                    if connect(client) {
                        reconnect.succeeded()
                    } else {
                        reconnect.failed(at: SystemClock.monotonicNanos(), using: &random)
                    }
                }
                if !client.isConnected {
                    failWholeCycle(&devices[nextIndex], reason: .connection, start: start)
                    let ended = finishCycle(&devices[nextIndex], anyGood: false, anyFailed: true)
                    if held.queued(startedAt: cycleStart, now: ended) { queue.signal() }
                    continue
                }
            }
            var anyGood = false
            var anyFailed = false
            var anyAttempted = false
            // A device that let its first request of the cycle time out (retries included) is not answering:
            // the rest of its requests would each wait out the same timeouts, delaying the verdict and every
            // device sharing the bus. They go bad at once and are asked again next cycle.
            var silent = false
            for groupIndex in devices[nextIndex].groups.indices where devices[nextIndex].isDue(devices[nextIndex].groups[groupIndex]) {
                var requestIndex = 0
                while requestIndex < devices[nextIndex].groups[groupIndex].requests.count, !isStopping {
                    let request = devices[nextIndex].groups[groupIndex].requests[requestIndex]
                    if silent {
                        enqueueBad(request, reason: .timeout, time: clock.now())
                        if held.queued(at: SystemClock.monotonicNanos()) { queue.signal() }
                        requestIndex += 1
                        continue
                    }
                    if anyAttempted, requestDelay > 0 { wake.sleep(untilMonotonicNanos: SystemClock.monotonicNanos() + requestDelay) }
                    anyAttempted = true
                    let requestStart = SystemClock.monotonicNanos()
                    let outcome = perform(request, device: &devices[nextIndex], client: client, words: &words, bits: &bits)
                    if held.queued(startedAt: requestStart, now: SystemClock.monotonicNanos()) { queue.signal() }
                    switch outcome {
                    case .good:
                        anyGood = true
                        requestIndex += 1
                    case .failed(let kind):
                        anyFailed = true
                        requestIndex += 1
                        silent = kind == .timeout && !anyGood
                    case .split(let replacement):
                        devices[nextIndex].groups[groupIndex].requests.replaceSubrange(requestIndex...requestIndex, with: replacement)
                        anyGood = anyGood || !replacement.isEmpty
                        requestIndex += replacement.count
                    }
                    if !client.isConnected { break }
                }
            }
            emitRefused(devices[nextIndex], time: clock.now())
            monitor.update { start.record(into: &$0.devices[nextIndex]) }
            let ended = finishCycle(&devices[nextIndex], anyGood: anyGood || !anyAttempted, anyFailed: anyFailed)
            // Each request above asked already; only refused tags' samples are new here.
            if !devices[nextIndex].refused.isEmpty, held.queued(at: ended) { queue.signal() }
        }
        client.close()
        monitor.update { $0.connected = false }
    }

    private enum Outcome {
        case good
        case failed(ModbusError.Kind)
        case split([ReadRequest])
    }

    /// One request with retries; decodes and enqueues its tags, or enqueues them `bad` with the reason.
    private func perform(_ request: ReadRequest, device: inout PollingDevice, client: ModbusClient,
                         words: inout [UInt16], bits: inout [UInt8]) -> Outcome {
        var attempt = 0
        while true {
            let sent = SystemClock.now()
            let time = clock.plantTime(of: sent)
            let result = read(request, unit: device.unit, client: client, words: &words, bits: &bits)
            let ended = SystemClock.monotonicNanos()
            let elapsed = ended - sent.monoNanos
            let deviceIndex = device.index
            monitor.update { bus in
                bus.devices[deviceIndex].requests += 1
                bus.accountBusy(nanos: elapsed, nowMono: ended)
                if result == nil {
                    bus.devices[deviceIndex].goodRequests += 1
                    bus.devices[deviceIndex].latency.record(nanos: elapsed)
                    bus.devices[deviceIndex].lastGoodPollWallNanos = time.wallNanos
                }
            }
            guard let error = result else {
                enqueue(request, words: words, bits: bits, time: time)
                return .good
            }
            if case .exception(.illegalDataAddress) = error.kind, request.slots.count > 1 {
                // Bisection decides whether this is an error at all: a block joined across registers the
                // meter lacks is the planner's doing, not a wrong address.
                return .split(bisect(request, firstError: error, device: &device, client: client, words: &words, bits: &bits))
            }
            record(error, device: &device, at: time, realMonoNanos: ended, linkClosed: !client.isConnected)
            let retryable = error.kind == .timeout || { if case .garbled = error.kind { true } else { false } }()
            // Retries hide a lost reply from a device that is up; a device already down is only probed, once,
            // so a dead meter costs its bus one response timeout per probe.
            if retryable, attempt < device.availability.retries(configured: plan.bus.retries), !isStopping {
                // A garbled TCP reply closed the link to resynchronise it; the retry goes over a fresh one.
                if client.isConnected || connect(client) {
                    attempt += 1
                    continue
                }
            }
            enqueueBad(request, reason: error.kind.sampleReason, time: time)
            return .failed(error.kind)
        }
    }

    func read(_ request: ReadRequest, unit: UInt8, client: ModbusClient, words: inout [UInt16], bits: inout [UInt8]) -> ModbusError? {
        do throws(ModbusError) {
            if request.table.isBitTable {
                try bits.withUnsafeMutableBufferPointer { (buffer) throws(ModbusError) in
                    try client.readBits(request.table, unit: unit, address: request.start,
                                        into: UnsafeMutableBufferPointer(rebasing: buffer[0..<request.count]))
                }
            } else {
                try words.withUnsafeMutableBufferPointer { (buffer) throws(ModbusError) in
                    try client.readRegisters(request.table, unit: unit, address: request.start,
                                             into: UnsafeMutableBufferPointer(rebasing: buffer[0..<request.count]))
                }
            }
            return nil
        } catch {
            return error
        }
    }

    func enqueue(_ request: ReadRequest, words: [UInt16], bits: [UInt8], time: Instant) {
        if request.table.isBitTable {
            bits.withUnsafeBufferPointer { buffer in
                for slot in request.slots {
                    let reading = RegisterDecoder.decode(tags[Int(slot.tag)].decode, bits: buffer, at: slot.offset)
                    queue.push(Sample(tag: slot.tag, value: reading.value, quality: reading.quality, reason: reading.reason, time: time))
                }
            }
        } else {
            words.withUnsafeBufferPointer { buffer in
                let answered = UnsafeBufferPointer(rebasing: buffer[0..<request.count])
                for slot in request.slots {
                    let reading = RegisterDecoder.decode(tags[Int(slot.tag)].decode, words: answered, at: slot.offset)
                    queue.push(Sample(tag: slot.tag, value: reading.value, quality: reading.quality, reason: reading.reason, time: time))
                }
            }
        }
    }

    private func enqueueBad(_ request: ReadRequest, reason: SampleReason, time: Instant) {
        for slot in request.slots {
            queue.push(Sample(tag: slot.tag, value: .nan, quality: .bad, reason: reason, time: time))
        }
    }

    private func emitRefused(_ device: PollingDevice, time: Instant) {
        for refused in device.refused {
            queue.push(Sample(tag: refused.tag, value: .nan, quality: .bad, reason: .exception, time: time))
        }
    }

    private func failWholeCycle(_ device: inout PollingDevice, reason: SampleReason, start: StartTiming) {
        let time = clock.now()
        for group in device.groups where device.isDue(group) {
            for request in group.requests { enqueueBad(request, reason: reason, time: time) }
        }
        let deviceIndex = device.index
        monitor.update { start.record(into: &$0.devices[deviceIndex]) }
    }

    /// A failed request: `time` on the plant clock stamps it, `realMonoNanos` (when it failed, real
    /// monotonic) is what availability measures quiet spells in; the caller has both from its own reads.
    func record(_ error: ModbusError, device: inout PollingDevice, at time: Instant, realMonoNanos: Int64, linkClosed: Bool) {
        let deviceIndex = device.index
        let summary = error.configSummary
        monitor.update { bus in
            bus.devices[deviceIndex].errors.record(error.kind)
            bus.devices[deviceIndex].recentErrors.record(error.kind, nowMonoNanos: time.monoNanos)
            bus.devices[deviceIndex].lastErrorWallNanos = time.wallNanos
            if bus.devices[deviceIndex].lastError != summary { bus.devices[deviceIndex].lastError = summary }
            if linkClosed { bus.connected = false }
        }
        // On change, then summarised: a dead meter must not write ten lines a second.
        device.availability.failed(at: realMonoNanos)
        limiter.log(summary, key: device.plan.device, level: .warning,
                    metadata: ["device": "\(device.plan.device)", "bus": "\(plan.bus.id)", "request": "\(error.operation)"], to: logger)
    }

    /// Ends a device's cycle: its availability decides up or down and the pace (`DeviceAvailability`);
    /// this writes the figures and the log lines and moves the schedule on.
    /// Returns the time the cycle ended (monotonic ns), read once for all of it.
    private func finishCycle(_ device: inout PollingDevice, anyGood: Bool, anyFailed: Bool) -> Int64 {
        let now = SystemClock.monotonicNanos()
        let deviceIndex = device.index
        // One lock: the other devices' state is read and this one's written together.
        let verdict = monitor.update { bus in
            let othersUp = bus.devices.indices.contains { $0 != deviceIndex && bus.devices[$0].up }
            let verdict = device.availability.cycleEnded(anyGood: anyGood, anyFailed: anyFailed, othersUp: othersUp, now: now)
            bus.devices[deviceIndex].cycles += 1
            bus.devices[deviceIndex].consecutiveFailures = device.availability.consecutiveFailures
            bus.devices[deviceIndex].up = device.availability.up
            return verdict
        }
        switch verdict.pace {
        case .recover: device.schedule.recover()
        case .backOff: device.schedule.backOff()
        case .keep: break
        }
        if verdict.recovered {
            write(limiter.clear(key: device.plan.device), recovery: "device answers again")
            write(limiter.clear(key: "\(device.plan.device)/availability"), recovery: nil)
        }
        if verdict.wentDown {
            let reason = monitor.update { $0.devices[deviceIndex].lastError }.map { ": \($0)" } ?? ""
            limiter.log("device down after \(device.availability.softErrors) failed cycles\(reason)", key: "\(device.plan.device)/availability",
                        metadata: ["device": "\(device.plan.device)", "bus": "\(plan.bus.id)"], to: logger)
        }
        if now >= nextSummaryCheckMonoNanos.load(ordering: .relaxed) {
            nextSummaryCheckMonoNanos.store(now + 1_000_000_000, ordering: .relaxed)
            limiter.logDueSummaries(to: logger)
        }
        device.schedule.advance(now: now, startLate: !anyGood)
        let overruns = device.schedule.overruns
        monitor.update { $0.devices[deviceIndex].overruns = overruns }
        lastProgressMonoNanos.store(now, ordering: .relaxed)
        return now
    }

    private func connect(_ client: ModbusClient) -> Bool {
        let metadata: Logger.Metadata = ["bus": "\(plan.bus.id)", "endpoint": "\(plan.bus.endpoint)"]
        do {
            try client.connect()
            let reconnect = monitor.update { bus -> Bool in
                bus.connected = true
                bus.reconnects += 1
                return bus.reconnects > 1
            }
            // The reconnect line below says the failure ended; only its summary is worth a line.
            write(limiter.clear(key: "bus:\(plan.bus.id)"), recovery: nil)
            // A device that drops the link on every request makes the bus reconnect every poll.
            limiter.log(reconnect ? "bus reconnected" : "bus connected", key: "bus:\(plan.bus.id)/link", level: .info, metadata: metadata, to: logger)
            return true
        } catch {
            // Every device on the bus is down for this reason: each carries it, with its time.
            let now = SystemClock.now()
            let wallNanos = clock.plantTime(of: now).wallNanos
            let summary = error.summary
            monitor.update { bus in
                bus.connectFailures += 1
                bus.connected = false
                bus.lastError = summary
                bus.lastErrorWallNanos = wallNanos
                for index in bus.devices.indices {
                    bus.devices[index].errors.record(error.kind)
                    bus.devices[index].recentErrors.record(error.kind, nowMonoNanos: now.monoNanos)
                    bus.devices[index].lastError = summary
                    bus.devices[index].lastErrorWallNanos = wallNanos
                }
            }
            limiter.log(error.summary, key: "bus:\(plan.bus.id)", level: .error, metadata: metadata, to: logger)
            return false
        }
    }

    /// Writes a limiter's lines; its `cleared` line becomes `recovery` at info level, or is dropped.
    private func write(_ lines: [LogRateLimiter.Line], recovery: String?) {
        for line in lines {
            if line.kind == .cleared {
                if let recovery { logger.info("\(recovery)", metadata: line.metadata) }
            } else {
                logger.log(level: line.level, "\(line.text)", metadata: line.metadata)
            }
        }
    }

    /// Sleeps until a deadline, or until `stop` wakes the thread. Returns false when stopping. Samples held
    /// for the rest of a round are signalled to the engine just before the thread really sleeps.
    private func sleep(until deadline: Int64, releasing held: inout HeldSamples) -> Bool {
        while !isStopping {
            if SystemClock.monotonicNanos() >= deadline { return true }
            if held.release() { queue.signal() }
            wake.sleep(untilMonotonicNanos: deadline)
        }
        return false
    }
}
