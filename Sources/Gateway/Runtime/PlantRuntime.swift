import Dispatch
import ESG
import Foundation
import Logging
import POSIX
import ModbusProtocol
import PlantModel
import Synchronization

/// Everything that runs for one loaded configuration: a poller thread per bus, and one engine thread
/// that turns samples into raw messages, live metrics and closed periods.
///
/// Threads: bus pollers (blocking libmodbus) → `SampleQueue` → engine thread (metric engine, publish
/// decisions, snapshots). The engine state is confined to the engine thread; everything shared with the
/// control socket sits behind locks.
public final class PlantRuntime: Sendable {
    public let plan: PlantPlan
    public let pollers: [BusPoller]
    public let queue: SampleQueue
    public let latest: LatestValues
    let live = LiveMetrics()
    let channel: any OutboundChannel
    /// Typed samples and live metrics for Sparkplug, beside the JSON channel.
    private let tap: (any EngineTap)?
    let store: StateStore?
    let logger: Logger
    /// Signs and keeps every closed period record (nil: records go out unsigned, as in tests without a ledger).
    let ledger: LedgerWriter?
    private let stopping = Atomic<Bool>(false)
    private let engine = Mutex<JoinableThread?>(nil)
    /// Monotonic time the engine thread last finished a pass, for the watchdog.
    public let engineProgressMonoNanos = Atomic<Int64>(0)
    public let closedPeriods = Atomic<Int>(0)
    public let publishedRaw = Atomic<Int>(0)
    private let engineError = Mutex<String?>(nil)
    /// The configuration revision, stamped on records of lines a reload changed.
    let revision: String?
    /// The engine of the runtime this one replaces, until the engine thread takes it over; and this
    /// runtime's engine once stopped, for the next one.
    private let inherited: Mutex<MetricEngine?>
    private let retired = Mutex<MetricEngine?>(nil)
    /// Stamps samples and cuts periods (real time unless simulated).
    public let clock: PlantClock

    /// Creates the runtime for `plan`; nothing runs until ``start()``.
    ///
    /// - Parameter previous: the runtime this one replaces on a reload. Its pollers for unchanged buses
    ///   (see ``pollers(reusableBy:)``) and its sample queue are taken over, so those buses keep polling
    ///   and no sample is lost in the swap; so is its metric engine (see `MetricEngine.adopt`). Stop it
    ///   first with `previous.stop(keeping:)`.
    public init(plan: PlantPlan, channel: any OutboundChannel, tap: (any EngineTap)? = nil, store: StateStore?, logger: Logger,
                queueCapacity: Int? = nil, revision: String? = nil, adopting previous: PlantRuntime? = nil,
                ledger: LedgerWriter? = nil, clock: PlantClock = .real) {
        self.plan = plan
        self.clock = clock
        self.revision = revision
        // A reload keeps the engine (windows, open periods, demand blocks) and the counts since start.
        inherited = Mutex(previous?.retired.withLock { $0.take() })
        closedPeriods.store(previous?.closedPeriods.load(ordering: .relaxed) ?? 0, ordering: .relaxed)
        publishedRaw.store(previous?.publishedRaw.load(ordering: .relaxed) ?? 0, ordering: .relaxed)
        self.channel = channel
        self.tap = tap
        self.store = store
        self.ledger = ledger
        self.logger = logger
        let queue = previous?.queue ?? SampleQueue(capacity: queueCapacity ?? SampleQueue.capacity(for: plan))
        self.queue = queue
        latest = LatestValues(tagCount: plan.tags.count)
        let reusable = previous?.pollers(reusableBy: plan) ?? []
        let splits = store.map { _ in ReadSplitMemory(directory: plan.stateDirectory) }
        pollers = plan.buses.map { bus in
            if let kept = reusable.first(where: { $0.plan == bus }) { return kept }
            var busLogger = logger
            busLogger[metadataKey: "bus"] = "\(bus.bus.id)"
            return BusPoller(plan: bus, tags: plan.tags, queue: queue, logger: busLogger, splits: splits, clock: clock)
        }
    }

    /// This runtime's running pollers that a runtime for `next` can take over: same bus plan, and the same
    /// tag definitions at the tag indexes the poller emits.
    public func pollers(reusableBy next: PlantPlan) -> [BusPoller] {
        pollers.filter { poller in
            poller.isRunning && next.buses.contains(poller.plan) && poller.emittedTags.allSatisfy { index in
                Int(index) < next.tags.count && plan.tags[Int(index)] == next.tags[Int(index)]
            }
        }
    }

    /// Starts the engine thread and every bus poller not already running (adopted ones are). When a thread
    /// cannot start, what this call started is stopped again before it throws.
    public func start() throws(ThreadStartError) {
        engineProgressMonoNanos.store(SystemClock.monotonicNanos(), ordering: .relaxed)
        do throws(SystemCallError) {
            let thread = try JoinableThread(name: "engine") { [self] in runEngine() }
            engine.withLock { $0 = thread }
        } catch {
            throw ThreadStartError(part: "the metric engine", error: error)
        }
        var startedHere: [BusPoller] = []
        do {
            for poller in pollers where !poller.isRunning {
                try poller.start()
                startedHere.append(poller)
            }
        } catch {
            stop(keeping: pollers.filter { poller in !startedHere.contains { $0 === poller } })
            throw error
        }
    }

    /// Stops polling, lets the engine take the last samples, saves its state and returns.
    ///
    /// - Parameter kept: pollers to leave running for the runtime that takes over (a reload); their
    ///   samples stay in the shared queue for the next engine.
    public func stop(keeping kept: [BusPoller] = []) {
        let retiring = pollers.filter { poller in !kept.contains { $0 === poller } }
        // In parallel: each may wait out a request timeout, and the kept buses must not wait for them.
        DispatchQueue.concurrentPerform(iterations: retiring.count) { retiring[$0].stop() }
        stopping.store(true, ordering: .relaxed)
        queue.signal()
        engine.withLock { $0 }?.join()
    }

    /// True while every bus poller and the engine made progress within `limitNanos`.
    public func isProgressing(limitNanos: Int64) -> Bool {
        let now = SystemClock.monotonicNanos()
        let slowestInterval = plan.buses.flatMap(\.devices).compactMap { $0.groups.first?.interval.nanoseconds }.max() ?? 1_000_000_000
        let busLimit = max(limitNanos, slowestInterval * 9 + 5_000_000_000)
        guard now - engineProgressMonoNanos.load(ordering: .relaxed) < limitNanos else { return false }
        return pollers.allSatisfy { now - $0.lastProgressMonoNanos.load(ordering: .relaxed) < busLimit }
    }

    /// Why the engine could not run, if it could not.
    public var engineFailure: String? { engineError.withLock { $0 } }

    // MARK: - Engine thread

    /// How often the engine advances (real time), on the wake-ups the samples bring.
    static let advanceIntervalNanos: Int64 = 250_000_000
    /// The longest the engine sleeps with nothing due: it proves it is alive to the watchdog
    /// (`isProgressing`, 10 s) by waking. Also caps a due time far ahead (a month's close).
    static let heartbeatNanos: Int64 = 5_000_000_000

    /// Runs on real monotonic time (cadence of advances, snapshots, health) and feeds the engine plant
    /// time (see `PlantClock`), which is the same unless the plant clock is simulated.
    ///
    /// It sleeps until samples arrive (a bus thread signals once per round of devices, `HeldSamples`) and
    /// advances the engine on those wake-ups once 250 ms have passed. A timer wakes it only for work no
    /// sample brings: a period to close, live values, to-date records, health and figures, the state
    /// snapshot, the watchdog's heartbeat; a device's failures come as samples of their own.
    private func runEngine() {
        let start = SystemClock.now()
        let plantStart = clock.plantTime(of: start)
        let fastest = plan.buses.flatMap(\.devices).compactMap { $0.groups.first?.interval.nanoseconds }.min() ?? 1_000_000_000
        var engine: MetricEngine
        do {
            engine = try MetricEngine(site: plan.site, lines: plan.lines, settings: .onPlantClock(clock, realPollIntervalNanos: fastest, realLiveIntervalNanos: Self.nanos(plan.mqtt.publish.liveInterval)),
                                  start: plantStart)
        } catch {
            let message = "metric engine cannot start: \(error)"
            engineError.withLock { $0 = message }
            logger.error("\(message)")
            return
        }
        if let old = inherited.withLock({ $0.take() }) {
            adopt(old, into: &engine, now: plantStart)
        } else {
            restoreSnapshot(into: &engine, now: plantStart)
        }

        let topics = plan.tags.map { plan.topic(of: $0) }
        let sources = Provenance.table(for: plan)
        var policy = RawPublishPolicy(options: plan.mqtt.publish, tagCount: plan.tags.count)
        var writer = JSONWriter(capacity: 512)
        var batch = [Sample](repeating: Sample(tag: -1, value: .nan, quality: .bad, time: plantStart), count: 4096)
        var nextAdvance = start.monoNanos
        // The first pass waits for the first round (or 250 ms), so live values start with readings.
        var nextTimer = start.monoNanos + Self.advanceIntervalNanos
        var nextSnapshot = start.monoNanos + 10_000_000_000
        // The state last saved by the periodic save; nil after a save with pending records, which the next clears.
        var lastSaved: EngineSnapshot?
        let toDateInterval = Self.nanos(plan.mqtt.publish.toDateInterval)
        var nextToDate = start.monoNanos
        var reporter = HealthReporter(plan: plan, channel: channel, clock: clock)
        var now = start
        var outages = ledger.map { DeviceOutages(plan: plan, ledger: $0) }

        while true {
            let finishing = stopping.load(ordering: .relaxed)
            // Finishing, the wait only takes `stop`'s signal, so it does not wake the next runtime's engine early.
            let deadline = finishing ? now.monoNanos : max(nextAdvance, min(nextTimer, nextSnapshot))
            queue.wait(timeoutNanos: max(0, deadline - SystemClock.monotonicNanos()))
            var taken = 0
            repeat {
                taken = batch.withUnsafeMutableBufferPointer { buffer in
                    let count = queue.drain(into: buffer)
                    latest.store(buffer, count: count)
                    tap?.samples(UnsafeBufferPointer(rebasing: buffer[0..<count]))
                    for index in 0..<count {
                        let sample = buffer[index]
                        engine.ingest(sample)
                        if policy.shouldPublish(sample) {
                            Payloads.value(sample, unit: plan.tags[Int(sample.tag)].unit, provenance: sources[Int(sample.tag)], into: &writer)
                            channel.sendHeld(topic: topics[Int(sample.tag)], payload: writer.payload, kind: .raw)
                        }
                    }
                    return count
                }
                if taken > 0 { publishedRaw.add(taken, ordering: .relaxed) }
            } while taken == batch.count
            channel.flush()

            now = SystemClock.now()
            let plantNow = clock.plantTime(of: now)
            if now.monoNanos >= nextAdvance || finishing {
                nextAdvance = now.monoNanos + Self.advanceIntervalNanos
                var closing: [PendingPeriod] = []
                var closedRecords: [PeriodRecord] = []
                engine.advance(to: plantNow, live: { update in
                    live.record(update)
                    tap?.metric(update)
                    Payloads.metric(update, into: &writer)
                    channel.sendHeld(topic: metricTopic(update), payload: writer.payload, kind: .metric)
                    // A block closed: the running one on todate/demand_block is a new block from now on.
                    if update.window == .demandBlock { nextToDate = now.monoNanos }
                }, closed: { record in
                    closing.append(pendingPeriod(record))
                    closedRecords.append(record)
                })
                if !closing.isEmpty {
                    // Stored state must never be "before the close" once a record is out: a restart would
                    // close the period again from older counters (same seq, other values, and the stretch
                    // between that snapshot and the close counted again in the next period).
                    saveSnapshot(engine.snapshot(at: plantNow), pending: closing)
                    lastSaved = nil
                    nextSnapshot = now.monoNanos + 10_000_000_000
                    send(closing)
                    // The last "so far" of each closed period is the record itself; the next one starts now.
                    for record in closedRecords where record.period.isCalendarWindow { sendToDate(record, asOf: record.span.end, open: false) }
                    nextToDate = now.monoNanos
                }
                if now.monoNanos >= nextToDate {
                    nextToDate = now.monoNanos + toDateInterval
                    engine.periodsToDate(now: plantNow) { sendToDate($0, asOf: $1, open: true) }
                }
                let buses = reporter.tick(now: now, plantNow: plantNow, pollers: pollers, queue: queue)
                outages?.note(buses, plantNowNanos: plantNow.wallNanos)
                tap?.passEnded(now: now, pollers: pollers, queue: queue)
                channel.flush()
                let engineAhead = clock.realNanos(plant: max(0, engine.nextDueWallNanos(now: plantNow) &- plantNow.wallNanos))
                let toDateDue = plan.lines.isEmpty ? Int64.max : nextToDate
                nextTimer = min(now.monoNanos + min(engineAhead, Self.heartbeatNanos), toDateDue, reporter.nextDueMonoNanos,
                                tap?.nextDueMonoNanos ?? .max)
            }
            if now.monoNanos >= nextSnapshot || finishing {
                nextSnapshot = now.monoNanos + 10_000_000_000
                // An engine nothing happened to (a plant without lines) is not encoded and written again.
                let snapshot = engine.snapshot(at: plantNow)
                if !snapshot.holdsSameState(as: lastSaved) { lastSaved = saveSnapshot(snapshot) ? snapshot : nil }
            }
            engineProgressMonoNanos.store(now.monoNanos, ordering: .relaxed)
            if finishing {
                retired.withLock { $0 = engine }
                return
            }
        }
    }
}
