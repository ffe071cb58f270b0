import ESG
import Foundation
import Logging
import PlantModel
import Synchronization

/// The engine thread's dealings with the outside: state kept across restarts and reloads, and the
/// topics of metrics, records and period-to-date totals.
extension PlantRuntime {
    static func nanos(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
    }

    func sendToDate(_ record: PeriodRecord, asOf: Int64, open: Bool) {
        channel.send(topic: plan.topics.toDate(record),
                     payload: Payloads.toDate(record, asOfWallNanos: asOf, open: open), kind: .metric)
    }

    /// A reload: continues from the engine of the configuration before, in this process. Falls back to the
    /// stored state if that engine cannot be taken over.
    func adopt(_ old: MetricEngine, into engine: inout MetricEngine, now: Instant) {
        do {
            let changed = try engine.adopt(old, now: now, revision: revision)
            logger.info("metric engine kept across the reload",
                        metadata: ["lines_changed": "\(changed.isEmpty ? "none" : changed.joined(separator: ","))"])
        } catch {
            logger.error("cannot keep the metric engine across the reload: \(error); restoring the stored state")
            restoreSnapshot(into: &engine, now: now)
        }
    }

    func metricTopic(_ update: MetricUpdate) -> String {
        plan.topics.metric(update)
    }

    /// Restores the stored state; first sends again the records saved as pending with it (the process may
    /// have died before they reached the channel: a repeat carries the same seq and the same bytes), then
    /// closes the periods that ended during the downtime, saving before sending as on any other close.
    func restoreSnapshot(into engine: inout MetricEngine, now: Instant) {
        guard let store else { return }
        do {
            let pending = try store.pendingPeriods()
            // A re-sent record is flagged like every other message that comes from storage.
            for record in pending {
                let payload = HistoricalMark.apply(ledger?.reseal(record.payload) ?? record.payload)
                publishAfterCommit { [channel] in channel.send(topic: record.topic, payload: payload, kind: .period) }
            }
            if let snapshot = try store.load() {
                try engine.restore(from: snapshot)
                let closed = engine.advance(to: now).map(pendingPeriod)
                if !closed.isEmpty { saveSnapshot(engine.snapshot(at: now), pending: closed) }
                send(closed)
                logger.info("restored open periods from \(store.path)",
                            metadata: ["closed_during_downtime": "\(closed.count)", "resent_pending": "\(pending.count)"])
            }
        } catch {
            logger.error("cannot restore metric state from \(store.path): \(error); starting with empty periods")
        }
    }

    func pendingPeriod(_ record: PeriodRecord) -> PendingPeriod {
        PendingPeriod(topic: plan.topics.period(record),
                      payload: ledger?.seal(record) ?? Array(record.json().utf8))
    }

    func send(_ closed: [PendingPeriod]) {
        for record in closed {
            closedPeriods.add(1, ordering: .relaxed)
            publishAfterCommit { [channel] in channel.send(topic: record.topic, payload: record.payload, kind: .period) }
        }
    }

    /// A record goes out only once its ledger entry is stored (on the ledger thread; at once without a ledger).
    private func publishAfterCommit(_ publish: @escaping @Sendable () -> Void) {
        if let ledger { ledger.afterCommit(publish) } else { publish() }
    }

    /// Saves the engine state; `pending` are the records of the periods closed just now (see `StateStore`).
    /// Returns whether it was stored.
    @discardableResult
    func saveSnapshot(_ snapshot: EngineSnapshot, pending: [PendingPeriod] = []) -> Bool {
        guard let store else { return false }
        do {
            try store.save(snapshot, savedAt: UTCTimestamp.rfc3339(snapshot.takenAt.wallNanos), pending: pending)
            return true
        } catch {
            logger.error("cannot save metric state to \(store.path): \(error)")
            return false
        }
    }
}
