import Foundation
import Logging
import MQTT
import Outbox

/// The publisher's state machine. Runs only on the publisher's serial queue, inside a mutex that
/// nobody else contends for, so every decision sees one consistent state.
///
/// Durable messages travel spool → client in id order, at most `inflightWindow` unacknowledged; the ack
/// (mid → row id) deletes the row. Rows spooled before the latest (re)connect are replayed with
/// `"hist":true`. Rows handed to libmosquitto stay with it across reconnects (it resends them), so the
/// cursor never moves back, except when the window stalls without any ack (see `tick`).
struct PublisherCore {
    let client: MQTTClient
    let spool: Spool
    let options: PublisherOptions
    let logger: Logger

    var reporter: ConnectionReporter
    var counters = PublisherStats()
    var connected = false
    var stopping = false
    var offlineMID: MQTTMessageID?
    var offlineAcknowledged = false

    /// mid → spool row id of every spooled message handed to the client and not acknowledged.
    var inflight: [MQTTMessageID: Int64] = [:]
    /// Last spool id handed to the client.
    var cursor: Int64 = 0
    /// Largest spool id appended so far.
    var appendedThrough: Int64
    /// Rows up to this id were spooled before the latest connect: replayed as historical.
    var historyEnd: Int64 = 0
    var pendingAppend: [OutboxMessage] = []
    var acknowledgedIDs: [Int64] = []
    /// Raw tags held in memory while the broker is away.
    var offlineRaw: [OutboxMessage] = []
    /// Newest health/stats message per topic while the broker is away.
    var latest: [String: OutboxMessage] = [:]
    var lastProgress = ContinuousClock.now
    var lastLimitCheck = ContinuousClock.now
    var reportedSpoolFailure = false

    init(client: MQTTClient, spool: Spool, options: PublisherOptions, logger: Logger) throws(SpoolError) {
        self.client = client
        self.spool = spool
        self.options = options
        self.logger = logger
        self.reporter = ConnectionReporter(clientID: options.client.clientID)
        self.appendedThrough = try spool.lastID()
    }

    /// Works through one batch of events, then writes, deletes and sends what they call for.
    mutating func handle(_ events: [PublisherEvent]) {
        for event in events {
            switch event {
            case .message(let message):
                accept(message)
            case .connected:
                flushAppends()
                becameConnected()
            case .refused(let error):
                connected = false
                counters.lastError = error.description
                reporter.refused(error, logger)
            case .lost(let error):
                flushAppends()
                let wasConnected = connected
                connected = false
                let refusedBefore = reporter.refusedLastAttempt
                let words = reporter.lost(error, wasConnected: wasConnected, logger)
                if wasConnected || !refusedBefore { counters.lastError = words }
            case .disconnectRequested:
                connected = false
            case .acknowledged(let mid):
                acknowledge(mid)
            case .tick:
                tick()
            case .shutdown:
                flushAppends()
                publishOffline()
            }
        }
        flushAppends()
        removeAcknowledged()
        fillWindow()
    }

    private mutating func accept(_ message: OutboxMessage) {
        let messageClass = message.messageClass
        if messageClass.isDurable {
            pendingAppend.append(message)
        } else if messageClass.isLatestWins {
            if connected { sendDirect(message) } else { latest[message.topic] = message }
        } else if !connected {
            offlineRaw.append(message)
            if offlineRaw.count >= max(1, options.limits.offlineRawCapacity) {
                pendingAppend += offlineRaw  // spill in order; the spool's bounds drop raw tags first
                offlineRaw.removeAll(keepingCapacity: true)
            }
        } else {
            // Live values never wait behind a replay: spooled raw tags follow, flagged
            // `hist` with their original `t`, so a reader orders them by time, not by arrival.
            sendDirect(message)
        }
    }

    private mutating func becameConnected() {
        connected = true
        counters.connects += 1
        counters.lastError = nil
        counters.broker = client.currentBroker.description
        reporter.connected(logger, endpoint: client.currentEndpoint, spoolDepth: spool.totals.totalCount)
        historyEnd = appendedThrough
        send(topic: options.statusTopic, payload: StatusPayload.online(version: options.version, started: options.started),
             qos: .atLeastOnce, retain: true)
        for message in latest.values.sorted(by: { $0.created < $1.created }) { sendDirect(message) }
        latest.removeAll()
        guard !offlineRaw.isEmpty else { return }
        if (spool.totals.count[.raw] ?? 0) > 0 {
            pendingAppend += offlineRaw
            flushAppends()
            historyEnd = appendedThrough
        } else {
            for message in offlineRaw {
                var replay = message
                replay.payload = HistoricalMark.apply(message.payload)
                if sendDirect(replay) { counters.replayed += 1 }
            }
        }
        offlineRaw.removeAll()
    }

    private mutating func acknowledge(_ mid: MQTTMessageID) {
        if mid == offlineMID { offlineAcknowledged = true }
        guard let id = inflight.removeValue(forKey: mid) else { return }
        acknowledgedIDs.append(id)
        counters.acknowledged += 1
        lastProgress = .now
    }

    private mutating func publishOffline() {
        stopping = true
        offlineMID = send(
            topic: options.statusTopic, payload: StatusPayload.offline(version: options.version, started: options.started),
            qos: .atLeastOnce, retain: true)
    }

    /// Sends a message that is not spooled; returns whether the client took it.
    @discardableResult
    mutating func sendDirect(_ message: OutboxMessage) -> Bool {
        guard send(topic: message.topic, payload: message.payload, qos: message.qos, retain: message.retain) != nil else {
            if message.messageClass == .raw && message.qos == .atMostOnce && !connected {
                offlineRaw.append(message)
            } else {
                counters.dropped[message.messageClass, default: 0] += 1
            }
            return false
        }
        return true
    }

    @discardableResult
    private mutating func send(topic: String, payload: [UInt8], qos: MQTTQoS, retain: Bool) -> MQTTMessageID? {
        do {
            let mid = try client.publish(topic: topic, payload: payload, qos: qos, retain: retain)
            counters.published += 1
            return mid
        } catch {
            if error.code == .noConnection { connected = false }
            logger.debug("MQTT publish not taken", metadata: ["topic": "\(topic)", "error": "\(error)"])
            return nil
        }
    }
}
