import Dispatch
import Foundation
import Logging
@_spi(Testing) import MQTT
import Outbox
import Synchronization

/// Publishes plant data to the broker without ever blocking the poll loop, and without losing durable
/// data across broker outages and process crashes.
///
/// - `publish(_:)` only appends to a bounded in-memory queue (full: the message is dropped and counted)
///   and wakes the publisher's serial queue; disk and network work happen there.
/// - Period records and metrics are written to the `Spool` before they are sent and deleted after the
///   broker's acknowledgement; they go out in order, at most `inflightWindow` unacknowledged, and after a
///   reconnect or a restart the backlog is replayed first, flagged `"hist":true`.
/// - Raw tags go straight out while connected; during an outage they wait in memory, then spill to the
///   spool. Health and stats keep only the newest message per topic during an outage.
/// - `{prefix}/{site}/status` gets `online` (retained, QoS 1) on every connect; the last will and a clean
///   `stop` publish `offline`.
///
/// The decisions are `PublisherCore`'s; this shell performs its actions and wakes it only for an event
/// or for the one deadline it names (a stalled window, the spool's age bound): idle, it sleeps.
public final class Publisher: Sendable {
    /// The options it was made with.
    public let options: PublisherOptions
    /// The spool it writes durable messages to.
    public let spool: Spool

    private let client: MQTTClient
    private let logger: Logger
    private let queue = DispatchQueue(label: "plantgate.publisher", qos: .utility)
    private let intake = Mutex(Intake())
    private let core: Mutex<PublisherCore>
    private let latestStats = Mutex(PublisherStats())
    /// Fires at the core's next deadline; disarmed while it has none. Dispatch sources are thread-safe;
    /// their protocol just does not say so.
    private nonisolated(unsafe) let deadlineTimer: any DispatchSourceTimer
    /// Counts of the publishers this one replaced on reloads, so figures "since start" run on.
    private let earlier: PublisherStats

    private struct Intake {
        var events: [PublisherEvent] = []
        var queuedMessages = 0
        var scheduled = false
        var dropped: [MessageClass: Int] = [:]
        /// `stop` waiting for a condition, checked after every cycle.
        var waiter: Waiter?
        /// The deadline the timer is set for (nil: disarmed); re-arming an unchanged one would still wake
        /// dispatch's timer thread.
        var armedDeadline: Int64?
        var waiters = 0
    }

    private struct Waiter {
        let id: Int
        let isMet: @Sendable () -> Bool
        let continuation: CheckedContinuation<Void, Never>
    }

    /// Creates the MQTT client (not connected yet) over an opened spool.
    /// - Throws: `MQTTError` for unusable client options, `SpoolError` if the spool cannot be read.
    /// - Parameter earlier: the figures of the publisher this one replaces (a reload that changed the MQTT
    ///   settings); its counts since start are carried on.
    public init(options: PublisherOptions, spool: Spool, logger: Logger, continuing earlier: PublisherStats = PublisherStats()) throws {
        let client = try MQTTClient(options: options.effectiveClient)
        self.earlier = earlier
        self.options = options
        self.spool = spool
        self.client = client
        self.logger = logger
        self.core = Mutex(PublisherCore(options: options, spooledThrough: try spool.lastID(), totals: spool.totals,
                                        now: SystemClock.monotonicNanos(),
                                        perform: Self.performer(client: client, spool: spool, logger: logger)))
        deadlineTimer = DispatchSource.makeTimerSource(queue: queue)
        deadlineTimer.setEventHandler { [weak self] in self?.deadlineCame() }
        deadlineTimer.schedule(deadline: .distantFuture)
        deadlineTimer.activate()
        client.onConnect { [weak self, client] result in
            switch result {
            case .accepted: self?.enqueue(.connected(broker: client.currentBroker.description, endpoint: client.currentEndpoint))
            case .refused(let error): self?.enqueue(.refused(error))
            }
        }
        client.onDisconnect { [weak self] reason in
            switch reason {
            case .requested: self?.enqueue(.disconnectRequested)
            case .lost(let error): self?.enqueue(.lost(error))
            }
        }
        client.onPublish { [weak self] mid in self?.enqueue(.acknowledged(mid)) }
        if options.client.tls?.allowInsecure == true {
            logger.warning("MQTT TLS certificate checks are OFF (tls.insecure): for commissioning only")
        }
    }

    deinit {
        deadlineTimer.cancel()
    }

    /// Connects in the background (a missing broker is retried with back-off). Returns at once.
    public func start() throws(MQTTError) {
        try client.connect()
    }

    /// Queues a message for the publisher thread. Never blocks on disk or network. With `wakes` false the
    /// thread is not woken for it: the caller calls `flush()` once it has queued a batch.
    /// - Returns: `false` if the queue was full and the message was dropped (and counted).
    @discardableResult
    public func publish(_ message: OutboxMessage, wakes: Bool = true) -> Bool {
        let capacity = max(1, options.limits.queueCapacity)
        let (accepted, wake) = intake.withLock { state -> (Bool, Bool) in
            guard state.queuedMessages < capacity else {
                state.dropped[message.messageClass, default: 0] += 1
                return (false, false)
            }
            state.queuedMessages += 1
            state.events.append(.message(message))
            guard wakes else { return (true, false) }
            defer { state.scheduled = true }
            return (true, !state.scheduled)
        }
        if wake { scheduleCycle() }
        return accepted
    }

    /// Wakes the publisher thread for messages queued without waking it.
    public func flush() {
        let wake = intake.withLock { state -> Bool in
            guard !state.events.isEmpty, !state.scheduled else { return false }
            state.scheduled = true
            return true
        }
        if wake { scheduleCycle() }
    }

    /// The current figures.
    public var stats: PublisherStats {
        var stats = latestStats.withLock { $0 }
        intake.withLock { state in
            stats.memoryDepth += state.queuedMessages
            for (messageClass, count) in state.dropped { stats.dropped[messageClass, default: 0] += count }
        }
        stats.continue(from: earlier)
        return stats
    }

    /// Clean shutdown: lets the broker take what it will within `drainTimeout` (queued messages reach the
    /// spool in any case), publishes `offline` (retained), waits briefly for its ack and disconnects.
    /// What was not acknowledged stays in the spool for the next start. Waits on the publisher's own
    /// cycles (no polling), so it returns as soon as the broker has what it needs.
    public func stop(drainTimeout: Duration = .seconds(5)) async {
        let start = ContinuousClock.now
        await waitUntil(start + drainTimeout) { [self] in
            let stats = latestStats.withLock { $0 }
            let queued = intake.withLock { $0.queuedMessages }
            return queued == 0 && (!stats.connected || (stats.inflight == 0 && stats.spoolDepth == 0))
        }
        enqueue(.shutdown)
        let ackDeadline = max(start + drainTimeout, ContinuousClock.now + .seconds(1))
        // Checked on the queue, between cycles: the core's lock is free and its answer current.
        await waitUntil(ackDeadline) { [self] in
            !latestStats.withLock { $0.connected } || core.withLock { $0.offlineAcknowledged }
        }
        let client = self.client
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            queue.async { [self] in
                armTimer(for: nil)
                client.disconnect()
                done.resume()
            }
        }
    }

    /// Test only: drops the TCP connection without DISCONNECT, as a crash would (the broker then
    /// publishes the offline will); the client reconnects by itself.
    @_spi(Testing)
    public func simulateConnectionCrash() {
        client.simulateCrash()
    }

    /// Suspends until `isMet` holds after one of the publisher's cycles, or until `deadline`.
    private func waitUntil(_ deadline: ContinuousClock.Instant, _ isMet: @escaping @Sendable () -> Bool) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let id = intake.withLock { state in
                state.waiters += 1
                state.waiter = Waiter(id: state.waiters, isMet: isMet, continuation: continuation)
                return state.waiters
            }
            queue.async { [weak self] in self?.checkWaiter() }
            let remaining = Int((deadline - ContinuousClock.now).nanoseconds)
            queue.asyncAfter(deadline: .now() + .nanoseconds(max(0, remaining))) { [weak self] in self?.checkWaiter(timedOut: id) }
        }
    }

    /// On the queue: resumes `stop` once its condition holds (or its deadline passed).
    private func checkWaiter(timedOut: Int? = nil) {
        guard let waiter = intake.withLock({ $0.waiter }), waiter.id == timedOut || waiter.isMet() else { return }
        intake.withLock { $0.waiter = nil }
        waiter.continuation.resume()
    }

    private func enqueue(_ event: PublisherEvent) {
        let wake = intake.withLock { state -> Bool in
            state.events.append(event)
            defer { state.scheduled = true }
            return !state.scheduled
        }
        if wake { scheduleCycle() }
    }

    /// Runs a cycle on the publisher's queue; callers set `scheduled` first, so one wake-up serves a batch.
    private func scheduleCycle() {
        queue.async { [weak self] in self?.runCycle() }
    }

    private func runCycle() {
        while true {
            let batch = intake.withLock { state -> [PublisherEvent] in
                guard !state.events.isEmpty else {
                    state.scheduled = false
                    return []
                }
                let batch = state.events
                state.events.removeAll(keepingCapacity: true)
                state.queuedMessages = 0
                return batch
            }
            if batch.isEmpty { break }
            // One corked run of PUBLISH packets per batch: 21-23 % less CPU at 10,000 msg/s than a segment each.
            let (snapshot, deadline) = client.publishingBatch {
                core.withLock { core in
                    core.handle(batch, now: SystemClock.monotonicNanos())
                    return (core.snapshot(), core.nextDeadline)
                }
            }
            latestStats.withLock { $0 = snapshot }
            armTimer(for: deadline)
        }
        checkWaiter()
    }

    /// On the queue: the one-shot timer fired, so it is disarmed until the cycle it starts arms it again
    /// (also for the same deadline, should the timer have fired a little before the core's clock reached it).
    private func deadlineCame() {
        intake.withLock { $0.armedDeadline = nil }
        enqueue(.deadline)
    }

    /// Points the timer at the core's next deadline (monotonic ns), or disarms it.
    private func armTimer(for deadline: Int64?) {
        let changed = intake.withLock { state in
            defer { state.armedDeadline = deadline }
            return state.armedDeadline != deadline
        }
        guard changed else { return }
        guard let deadline else {
            deadlineTimer.schedule(deadline: .distantFuture)
            return
        }
        let remaining = max(0, deadline - SystemClock.monotonicNanos())
        deadlineTimer.schedule(deadline: .now() + .nanoseconds(Int(remaining)), leeway: .milliseconds(100))
    }

    /// Performs the core's actions on the real spool, client and logger.
    private static func performer(client: MQTTClient, spool: Spool, logger: Logger) -> (PublisherAction) -> PublisherOutcome {
        { action in
            switch action {
            case .spool(let messages):
                do {
                    let (ids, dropped) = try spool.append(messages)
                    return .spooled(lastID: ids.last, dropped: dropped, totals: spool.totals)
                } catch {
                    return .failed("\(error)")
                }
            case .send(let topic, let payload, let qos, let retain):
                do throws(MQTTError) {
                    return .sent(try client.publish(topic: topic, payload: payload, qos: qos, retain: retain))
                } catch {
                    return .notTaken(noConnection: error.code == .noConnection, reason: "\(error)")
                }
            case .readSpool(let after, let limit):
                do {
                    return .rows(try spool.oldest(after: after, limit: limit))
                } catch {
                    logger.error("could not read the spool: \(error)")
                    return .failed("\(error)")
                }
            case .delete(let ids):
                do {
                    try spool.remove(ids: ids)
                } catch {
                    logger.error("could not delete \(ids.count) acknowledged messages from the spool: \(error)")
                }
                return .trimmed(dropped: [:], totals: spool.totals)
            case .applyLimits:
                do {
                    return .trimmed(dropped: try spool.applyLimits(), totals: spool.totals)
                } catch {
                    logger.error("could not apply the spool limits: \(error)")
                    return .failed("\(error)")
                }
            case .log(let level, let message, let metadata):
                logger.log(level: level, "\(message)", metadata: metadata)
                return .done
            }
        }
    }
}
