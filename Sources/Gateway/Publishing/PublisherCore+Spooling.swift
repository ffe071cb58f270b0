import Foundation
import Logging
import MQTT
import Outbox

extension PublisherCore {
    /// A window with messages in flight and no acknowledgement for this long is presumed lost by the
    /// client (it should resend them itself); its rows are handed over again.
    static let stallTimeout: Int64 = 30_000_000_000
    /// How often the spool's age bound is applied while it holds rows.
    static let limitCheckInterval: Int64 = 60_000_000_000

    /// The next time the core has something to decide without any event (monotonic ns): the stall check of
    /// a window in flight, or the age bound of a spool that holds rows. Nil: nothing until an event comes.
    var nextDeadline: Int64? {
        var deadline: Int64?
        if connected && !inflight.isEmpty { deadline = lastProgress + Self.stallTimeout }
        if spoolTotals.totalCount > 0 { deadline = min(deadline ?? .max, nextLimitCheck) }
        return deadline
    }

    /// Writes the pending durable (and spilled raw) messages in one transaction, before any is sent.
    mutating func flushAppends() {
        guard !pendingAppend.isEmpty else { return }
        let batch = pendingAppend
        pendingAppend.removeAll(keepingCapacity: true)
        switch perform(.spool(batch)) {
        case .spooled(let lastID, let dropped, let totals):
            appendedThrough = max(appendedThrough, lastID ?? appendedThrough)
            spoolTotals = totals
            countDrops(dropped)
            reportedSpoolFailure = false
        case .failed(let words):
            for message in batch { counters.dropped[message.messageClass, default: 0] += 1 }
            counters.lastError = words
            if !reportedSpoolFailure {
                reportedSpoolFailure = true
                log(.error, "could not spool \(batch.count) messages, they are lost: \(words)", [:])
            }
        default:
            break
        }
    }

    mutating func removeAcknowledged() {
        guard !acknowledgedIDs.isEmpty else { return }
        // A failed delete leaves the rows, replayed after a restart: a duplicate, detectable by seq, not a loss.
        if case .trimmed(_, let totals) = perform(.delete(acknowledgedIDs)) { spoolTotals = totals }
        acknowledgedIDs.removeAll(keepingCapacity: true)
    }

    /// Hands spooled rows to the client in id order while fewer than `inflightWindow` await their ack.
    mutating func fillWindow() {
        let window = max(1, options.limits.inflightWindow)
        while connected && inflight.count < window && cursor < appendedThrough {
            guard case .rows(let rows) = perform(.readSpool(after: cursor, limit: window - inflight.count)) else { return }
            guard !rows.isEmpty else {
                cursor = appendedThrough
                return
            }
            for row in rows {
                let historical = row.id <= historyEnd
                let payload = historical ? HistoricalMark.apply(row.message.payload) : row.message.payload
                switch perform(.send(topic: row.message.topic, payload: payload, qos: row.message.qos, retain: row.message.retain)) {
                case .sent(let mid):
                    if inflight.isEmpty { lastProgress = now }
                    inflight[mid] = row.id
                    cursor = row.id
                    counters.published += 1
                    if historical { counters.replayed += 1 }
                case .notTaken(noConnection: true, _):
                    connected = false  // QoS 0 row: keep it for after the reconnect
                    return
                case .notTaken(_, let reason):
                    log(.error, "the MQTT client rejected a spooled message, dropping it: \(reason)", [:])
                    counters.dropped[row.message.messageClass, default: 0] += 1
                    acknowledgedIDs.append(row.id)
                    cursor = row.id
                default:
                    return
                }
            }
        }
    }

    /// At `nextDeadline`: the age bound, and recovery from a window that never gets acknowledged.
    mutating func deadlinePassed() {
        if now >= nextLimitCheck {
            nextLimitCheck = now + Self.limitCheckInterval
            if spoolTotals.totalCount > 0, case .trimmed(let dropped, let totals) = perform(.applyLimits) {
                spoolTotals = totals
                countDrops(dropped)
            }
        }
        if connected, let oldest = inflight.values.min(), now - lastProgress >= Self.stallTimeout {
            log(.warning, "no acknowledgement from the MQTT broker for 30 s; sending \(inflight.count) spooled messages again", [:])
            // Every row handed out so far may have reached subscribers already: the second copy says so.
            historyEnd = max(historyEnd, cursor)
            inflight.removeAll()
            cursor = oldest - 1
            lastProgress = now
        }
    }

    private mutating func countDrops(_ dropped: [MessageClass: Int]) {
        guard !dropped.isEmpty else { return }
        for (messageClass, count) in dropped { counters.dropped[messageClass, default: 0] += count }
        log(.warning, "spool limits reached, dropped oldest messages",
            ["dropped": "\(dropped.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: ","))"])
    }

    /// The figures as of now (without the intake queue, which the publisher adds).
    func snapshot() -> PublisherStats {
        var stats = counters
        stats.connected = connected
        stats.spoolDepth = spoolTotals.totalCount
        stats.spoolBytes = spoolTotals.totalBytes
        stats.memoryDepth = offlineRaw.count + latest.count + pendingAppend.count
        stats.inflight = inflight.count
        return stats
    }
}
