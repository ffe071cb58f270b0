import Foundation
import Logging
import MQTT
import Outbox

/// The publisher's decisions, without I/O: events and the time come in, actions go out through
/// `perform` (see `PublisherAction`), whose outcomes come back in. It reads no clock, touches no spool,
/// socket or log, so every decision (the in-flight window, the stall recovery, offline and online status)
/// is unit-tested in milliseconds with a manual clock.
///
/// Durable messages travel spool → client in id order, at most `inflightWindow` unacknowledged; the ack
/// (mid → row id) deletes the row. Rows spooled before the latest (re)connect are replayed with
/// `"hist":true`. Rows handed to libmosquitto stay with it across reconnects (it resends them), so the
/// cursor never moves back, except when the window stalls without any ack (see `deadlinePassed`).
struct PublisherCore {
    let options: PublisherOptions
    /// Performs one action and says how it went; the only way out of the core.
    let perform: (PublisherAction) -> PublisherOutcome

    var reporter: ConnectionReporter
    var counters = PublisherStats()
    var connected = false
    var stopping = false
    var offlineMID: MQTTMessageID?
    var offlineAcknowledged = false
    /// What the spool holds, as its last outcome said.
    var spoolTotals: SpoolTotals

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
    /// Monotonic time of the last acknowledgement (or of the first row handed to an empty window).
    var lastProgress: Int64 = 0
    /// When the spool's age bound is next applied (monotonic ns; only while the spool holds rows).
    var nextLimitCheck: Int64
    var reportedSpoolFailure = false
    /// The time of the events being handled.
    private(set) var now: Int64

    /// - Parameters:
    ///   - spooledThrough: the spool's last row id at start; `totals` its contents.
    ///   - now: monotonic nanoseconds at start.
    init(options: PublisherOptions, spooledThrough: Int64, totals: SpoolTotals, now: Int64,
         perform: @escaping (PublisherAction) -> PublisherOutcome) {
        self.options = options
        self.perform = perform
        self.reporter = ConnectionReporter(clientID: options.client.clientID)
        self.appendedThrough = spooledThrough
        self.spoolTotals = totals
        self.now = now
        self.nextLimitCheck = now + Self.limitCheckInterval
    }

    /// Works through one batch of events that happened at `now`, then writes, deletes and sends what they call for.
    mutating func handle(_ events: [PublisherEvent], now: Int64) {
        self.now = now
        for event in events {
            switch event {
            case .message(let message):
                accept(message)
            case .connected(let broker, let endpoint):
                flushAppends()
                becameConnected(broker: broker, endpoint: endpoint)
            case .refused(let error):
                connected = false
                counters.lastError = error.description
                let sink = logSink
                reporter.refused(error, at: now, sink)
            case .lost(let error):
                flushAppends()
                let wasConnected = connected
                connected = false
                let refusedBefore = reporter.refusedLastAttempt
                let sink = logSink
                let words = reporter.lost(error, wasConnected: wasConnected, at: now, sink)
                if wasConnected || !refusedBefore { counters.lastError = words }
            case .disconnectRequested:
                connected = false
            case .acknowledged(let mid):
                acknowledge(mid)
            case .deadline:
                deadlinePassed()
            case .shutdown:
                flushAppends()
                publishOffline()
            }
        }
        flushAppends()
        removeAcknowledged()
        fillWindow()
    }

    func log(_ level: Logger.Level, _ message: String, _ metadata: Logger.Metadata) {
        _ = perform(.log(level, message, metadata))
    }

    /// `log` as a value, for the connection reporter (taken before `reporter` is borrowed).
    private var logSink: DecisionLog {
        let perform = perform
        return { level, message, metadata in _ = perform(.log(level, message, metadata)) }
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

    private mutating func becameConnected(broker: String, endpoint: String) {
        connected = true
        counters.connects += 1
        counters.lastError = nil
        counters.broker = broker
        let sink = logSink
        reporter.connected(at: now, endpoint: endpoint, spoolDepth: spoolTotals.totalCount, sink)
        historyEnd = appendedThrough
        send(topic: options.statusTopic, payload: StatusPayload.online(version: options.version, started: options.started),
             qos: .atLeastOnce, retain: true)
        for message in latest.values.sorted(by: { $0.created < $1.created }) { sendDirect(message) }
        latest.removeAll()
        guard !offlineRaw.isEmpty else { return }
        if (spoolTotals.count[.raw] ?? 0) > 0 {
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
        lastProgress = now
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
        switch perform(.send(topic: topic, payload: payload, qos: qos, retain: retain)) {
        case .sent(let mid):
            counters.published += 1
            return mid
        case .notTaken(let noConnection, let reason):
            if noConnection { connected = false }
            log(.debug, "MQTT publish not taken", ["topic": "\(topic)", "error": "\(reason)"])
            return nil
        default:
            return nil
        }
    }
}
