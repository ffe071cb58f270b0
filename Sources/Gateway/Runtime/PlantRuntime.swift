import Dispatch
import ESG
import Foundation
import Logging
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
    private let channel: any OutboundChannel
    /// Typed samples and live metrics for Sparkplug, beside the JSON channel.
    private let tap: (any EngineTap)?
    private let store: StateStore?
    /// Signs and keeps every closed period record (nil: records go out unsigned, as in tests without a ledger).
    private let ledger: LedgerWriter?
    private let logger: Logger
    private let stopping = Atomic<Bool>(false)
    private let engineDone = DispatchSemaphore(value: 0)
    /// Monotonic time the engine thread last finished a pass, for the watchdog.
    public let engineProgressMonoNanos = Atomic<Int64>(0)
    public let closedPeriods = Atomic<Int>(0)
    public let publishedRaw = Atomic<Int>(0)
    private let engineError = Mutex<String?>(nil)

    /// Creates the runtime for `plan`; nothing runs until ``start()``.
    ///
    /// - Parameter previous: the runtime this one replaces on a reload. Its pollers for unchanged buses
    ///   (see ``pollers(reusableBy:)``) and its sample queue are taken over, so those buses keep polling
    ///   and no sample is lost in the swap. Stop it first with `previous.stop(keeping:)`.
    public init(plan: PlantPlan, channel: any OutboundChannel, tap: (any EngineTap)? = nil, store: StateStore?, logger: Logger,
                queueCapacity: Int? = nil, adopting previous: PlantRuntime? = nil, ledger: LedgerWriter? = nil) {
        self.plan = plan
        self.channel = channel
        self.tap = tap
        self.store = store
        self.ledger = ledger
        self.logger = logger
        let queue = previous?.queue ?? SampleQueue(capacity: queueCapacity ?? SampleQueue.capacity(for: plan))
        self.queue = queue
        latest = LatestValues(tagCount: plan.tags.count)
        let reusable = previous?.pollers(reusableBy: plan) ?? []
        pollers = plan.buses.map { bus in
            if let kept = reusable.first(where: { $0.plan == bus }) { return kept }
            var busLogger = logger
            busLogger[metadataKey: "bus"] = "\(bus.bus.id)"
            return BusPoller(plan: bus, tags: plan.tags, queue: queue, logger: busLogger)
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

    /// Starts the engine thread and every bus poller not already running (adopted ones are).
    public func start() {
        engineProgressMonoNanos.store(SystemClock.monotonicNanos(), ordering: .relaxed)
        let thread = Thread { [self] in
            runEngine()
            engineDone.signal()
        }
        thread.name = "engine"
        thread.start()
        for poller in pollers { poller.start() }
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
        engineDone.wait()
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

    /// Runs on real monotonic time (cadence of advances, snapshots, health) and feeds the engine plant
    /// time (see `SystemClock`), which is the same unless the plant clock is simulated.
    private func runEngine() {
        let start = SystemClock.now()
        let plantStart = SystemClock.plantTime(of: start)
        let fastest = plan.buses.flatMap(\.devices).compactMap { $0.groups.first?.interval.nanoseconds }.min() ?? 1_000_000_000
        var engine: MetricEngine
        do {
            engine = try MetricEngine(site: plan.site, lines: plan.lines, settings: .onPlantClock(realPollIntervalNanos: fastest), start: plantStart)
        } catch {
            let message = "metric engine cannot start: \(error)"
            engineError.withLock { $0 = message }
            logger.error("\(message)")
            return
        }
        restoreSnapshot(into: &engine, now: plantStart)

        let topics = plan.tags.map { plan.topic(of: $0) }
        let sources = Provenance.table(for: plan)
        var policy = RawPublishPolicy(options: plan.mqtt.publish, tagCount: plan.tags.count)
        var writer = JSONWriter(capacity: 512)
        var batch = [Sample](repeating: Sample(tag: -1, value: .nan, quality: .bad, time: plantStart), count: 4096)
        var nextAdvance = start.monoNanos
        var nextSnapshot = start.monoNanos + 10_000_000_000
        var reporter = HealthReporter(plan: plan, channel: channel)

        while true {
            let finishing = stopping.load(ordering: .relaxed)
            queue.wait(timeoutNanos: 100_000_000)
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
                            channel.send(topic: topics[Int(sample.tag)], payload: writer.payload, kind: .raw)
                        }
                    }
                    return count
                }
                if taken > 0 { publishedRaw.add(taken, ordering: .relaxed) }
            } while taken == batch.count

            let now = SystemClock.now()
            let plantNow = SystemClock.plantTime(of: now)
            if now.monoNanos >= nextAdvance || finishing {
                nextAdvance = now.monoNanos + 250_000_000
                var closing: [PendingPeriod] = []
                engine.advance(to: plantNow, live: { update in
                    live.record(update)
                    tap?.metric(update)
                    Payloads.metric(update, into: &writer)
                    channel.send(topic: metricTopic(update), payload: writer.payload, kind: .metric)
                }, closed: { record in
                    closing.append(pendingPeriod(record))
                })
                if !closing.isEmpty {
                    // Stored state must never be "before the close" once a record is out: a restart would
                    // close the period again from older counters (same seq, other values, and the stretch
                    // between that snapshot and the close counted again in the next period).
                    saveSnapshot(engine, now: plantNow, pending: closing)
                    nextSnapshot = now.monoNanos + 10_000_000_000
                    send(closing)
                }
                reporter.tick(now: now, plantNow: plantNow, pollers: pollers, queue: queue)
                tap?.passEnded(now: now, pollers: pollers, queue: queue)
            }
            if now.monoNanos >= nextSnapshot || finishing {
                nextSnapshot = now.monoNanos + 10_000_000_000
                saveSnapshot(engine, now: plantNow)
            }
            engineProgressMonoNanos.store(now.monoNanos, ordering: .relaxed)
            if finishing { return }
        }
    }

    private func metricTopic(_ update: MetricUpdate) -> String {
        "\(plan.mqtt.prefix)/\(plan.site.id)/lines/\(update.line)/\(LiveMetrics.key(update))"
    }

    /// Restores the stored state; first sends again the records saved as pending with it (the process may
    /// have died before they reached the channel: a repeat carries the same seq and the same bytes), then
    /// closes the periods that ended during the downtime, saving before sending as on any other close.
    private func restoreSnapshot(into engine: inout MetricEngine, now: Instant) {
        guard let store else { return }
        do {
            let pending = try store.pendingPeriods()
            for record in pending { channel.send(topic: record.topic, payload: record.payload, kind: .period) }
            if let snapshot = try store.load() {
                try engine.restore(from: snapshot)
                let closed = engine.advance(to: now).map(pendingPeriod)
                if !closed.isEmpty { saveSnapshot(engine, now: now, pending: closed) }
                send(closed)
                logger.info("restored open periods from \(store.path)",
                            metadata: ["closed_during_downtime": "\(closed.count)", "resent_pending": "\(pending.count)"])
            }
        } catch {
            logger.error("cannot restore metric state from \(store.path): \(error); starting with empty periods")
        }
    }

    private func pendingPeriod(_ record: PeriodRecord) -> PendingPeriod {
        PendingPeriod(topic: "\(plan.mqtt.prefix)/\(plan.site.id)/lines/\(record.line)/periods/\(record.period.rawValue)",
                      payload: ledger?.seal(record) ?? Array(record.json().utf8))
    }

    private func send(_ closed: [PendingPeriod]) {
        for record in closed {
            closedPeriods.add(1, ordering: .relaxed)
            channel.send(topic: record.topic, payload: record.payload, kind: .period)
        }
    }

    /// Saves the engine state; `pending` are the records of the periods closed just now (see `StateStore`).
    private func saveSnapshot(_ engine: MetricEngine, now: Instant, pending: [PendingPeriod] = []) {
        guard let store else { return }
        do {
            try store.save(engine.snapshot(at: now), savedAt: RFC3339.string(wallNanos: now.wallNanos), pending: pending)
        } catch {
            logger.error("cannot save metric state to \(store.path): \(error)")
        }
    }
}
