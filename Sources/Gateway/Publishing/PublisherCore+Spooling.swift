import Foundation
import Logging
import MQTT
import Outbox

extension PublisherCore {
    /// A window with messages in flight and no acknowledgement for this long is presumed lost by the
    /// client (it should resend them itself); its rows are handed over again.
    static let stallTimeout: Duration = .seconds(30)

    /// Writes the pending durable (and spilled raw) messages in one transaction, before any is sent.
    mutating func flushAppends() {
        guard !pendingAppend.isEmpty else { return }
        let batch = pendingAppend
        pendingAppend.removeAll(keepingCapacity: true)
        do {
            let (ids, dropped) = try spool.append(batch)
            appendedThrough = max(appendedThrough, ids.last ?? appendedThrough)
            countDrops(dropped)
            reportedSpoolFailure = false
        } catch {
            for message in batch { counters.dropped[message.messageClass, default: 0] += 1 }
            counters.lastError = error.description
            if !reportedSpoolFailure {
                reportedSpoolFailure = true
                logger.error("could not spool \(batch.count) messages, they are lost: \(error)")
            }
        }
    }

    mutating func removeAcknowledged() {
        guard !acknowledgedIDs.isEmpty else { return }
        do {
            try spool.remove(ids: acknowledgedIDs)
        } catch {
            // The rows stay and are replayed after a restart: a duplicate, detectable by seq, not a loss.
            logger.error("could not delete \(acknowledgedIDs.count) acknowledged messages from the spool: \(error)")
        }
        acknowledgedIDs.removeAll(keepingCapacity: true)
    }

    /// Hands spooled rows to the client in id order while fewer than `inflightWindow` await their ack.
    mutating func fillWindow() {
        let window = max(1, options.limits.inflightWindow)
        while connected && inflight.count < window && cursor < appendedThrough {
            let rows: [SpooledMessage]
            do {
                rows = try spool.oldest(after: cursor, limit: window - inflight.count)
            } catch {
                logger.error("could not read the spool: \(error)")
                return
            }
            guard !rows.isEmpty else {
                cursor = appendedThrough
                return
            }
            for row in rows {
                let historical = row.id <= historyEnd
                let payload = historical ? HistoricalMark.apply(row.message.payload) : row.message.payload
                do {
                    let mid = try client.publish(topic: row.message.topic, payload: payload, qos: row.message.qos, retain: row.message.retain)
                    if inflight.isEmpty { lastProgress = .now }
                    inflight[mid] = row.id
                    cursor = row.id
                    counters.published += 1
                    if historical { counters.replayed += 1 }
                } catch where error.code == .noConnection {
                    connected = false  // QoS 0 row: keep it for after the reconnect
                    return
                } catch {
                    logger.error("the MQTT client rejected a spooled message, dropping it: \(error)")
                    counters.dropped[row.message.messageClass, default: 0] += 1
                    acknowledgedIDs.append(row.id)
                    cursor = row.id
                }
            }
        }
    }

    /// Once a second: age bounds, and recovery from a window that never gets acknowledged.
    mutating func tick() {
        let now = ContinuousClock.now
        if now - lastLimitCheck >= .seconds(60) {
            lastLimitCheck = now
            do {
                countDrops(try spool.applyLimits())
            } catch {
                logger.error("could not apply the spool limits: \(error)")
            }
        }
        if connected, let oldest = inflight.values.min(), now - lastProgress > Self.stallTimeout {
            logger.warning("no acknowledgement from the MQTT broker for \(Self.stallTimeout); sending \(inflight.count) spooled messages again")
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
        logger.warning(
            "spool limits reached, dropped oldest messages",
            metadata: ["dropped": "\(dropped.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: ","))"])
    }

    /// The figures as of now (without the intake queue, which the publisher adds).
    func snapshot() -> PublisherStats {
        var stats = counters
        stats.connected = connected
        let totals = spool.totals
        stats.spoolDepth = totals.totalCount
        stats.spoolBytes = totals.totalBytes
        stats.memoryDepth = offlineRaw.count + latest.count + pendingAppend.count
        stats.inflight = inflight.count
        return stats
    }
}
