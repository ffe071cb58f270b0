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
    /// Counts of the publishers this one replaced on reloads, so figures "since start" run on.
    private let earlier: PublisherStats

    private struct Intake {
        var events: [PublisherEvent] = []
        var queuedMessages = 0
        var scheduled = false
        var ticking = false
        var dropped: [MessageClass: Int] = [:]
        var offlineAcknowledged = false
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
        self.core = Mutex(try PublisherCore(client: client, spool: spool, options: options, logger: logger))
        client.onConnect { [weak self] result in
            switch result {
            case .accepted: self?.enqueue(.connected)
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

    /// Connects in the background (a missing broker is retried with back-off) and starts the
    /// once-a-second housekeeping. Returns at once.
    public func start() throws(MQTTError) {
        try client.connect()
        let startTicking = intake.withLock { state in
            defer { state.ticking = true }
            return !state.ticking
        }
        if startTicking { scheduleTick() }
    }

    /// Queues a message for the publisher thread. Never blocks on disk or network.
    /// - Returns: `false` if the queue was full and the message was dropped (and counted).
    @discardableResult
    public func publish(_ message: OutboxMessage) -> Bool {
        let capacity = max(1, options.limits.queueCapacity)
        let (accepted, wake) = intake.withLock { state -> (Bool, Bool) in
            guard state.queuedMessages < capacity else {
                state.dropped[message.messageClass, default: 0] += 1
                return (false, false)
            }
            state.queuedMessages += 1
            state.events.append(.message(message))
            defer { state.scheduled = true }
            return (true, !state.scheduled)
        }
        if wake { queue.async { [weak self] in self?.runCycle() } }
        return accepted
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
    /// What was not acknowledged stays in the spool for the next start.
    public func stop(drainTimeout: Duration = .seconds(5)) async {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: drainTimeout)
        while clock.now < deadline {
            let stats = self.stats
            let queued = intake.withLock { $0.queuedMessages }
            if queued == 0 && (!stats.connected || (stats.inflight == 0 && stats.spoolDepth == 0)) { break }
            try? await Task.sleep(for: .milliseconds(10))
        }
        enqueue(.shutdown)
        let ackDeadline = max(deadline, clock.now.advanced(by: .seconds(1)))
        while clock.now < ackDeadline, stats.connected, !intake.withLock({ $0.offlineAcknowledged }) {
            try? await Task.sleep(for: .milliseconds(10))
        }
        let client = self.client
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            queue.async {
                client.disconnect()
                done.resume()
            }
        }
        intake.withLock { $0.ticking = false }
    }

    /// Test only: drops the TCP connection without DISCONNECT, as a crash would (the broker then
    /// publishes the offline will); the client reconnects by itself.
    @_spi(Testing)
    public func simulateConnectionCrash() {
        client.simulateCrash()
    }

    private func enqueue(_ event: PublisherEvent) {
        let wake = intake.withLock { state -> Bool in
            state.events.append(event)
            defer { state.scheduled = true }
            return !state.scheduled
        }
        if wake { queue.async { [weak self] in self?.runCycle() } }
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
            if batch.isEmpty { return }
            let (snapshot, offlineAcknowledged) = core.withLock { core in
                core.handle(batch)
                return (core.snapshot(), core.offlineAcknowledged)
            }
            latestStats.withLock { $0 = snapshot }
            if offlineAcknowledged { intake.withLock { $0.offlineAcknowledged = true } }
        }
    }

    private func scheduleTick() {
        queue.asyncAfter(deadline: .now() + .seconds(1)) { [weak self] in
            guard let self, self.intake.withLock({ $0.ticking }) else { return }
            self.enqueue(.tick)
            self.scheduleTick()
        }
    }
}
