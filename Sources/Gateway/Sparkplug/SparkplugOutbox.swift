import Dispatch
import Foundation
import Logging
import MQTT
import Outbox
import PlantModel
import Sparkplug
import Synchronization

/// Sparkplug's store and forward. Device values the host cannot get live (the link is down, the
/// primary host is offline, or older values still wait) are written to their own `Spool`
/// (`<state_dir>/sparkplug-spool.sqlite`, the same durable outbox as the JSON topics, same bounds
/// from `mqtt.outbox`) and replayed in order after the next births, as DDATA flagged `is_historical`.
///
/// Records hold metric names, not aliases or `seq`: the session assigns both when it replays, so
/// `seq` counts every message in publish order and a record survives a restart.
///
/// Threads: the engine thread keeps values (`keep`, then `store`); every disk write and every replay
/// runs on one serial queue, never on the engine thread.
final class SparkplugOutbox: Sendable {
    /// The file the records wait in.
    let spool: Spool
    private let session: SparkplugSession
    private let logger: Logger
    private let deviceDataPrefix: String
    private let queue = DispatchQueue(label: "plantgate.sparkplug.outbox", qos: .utility)
    /// Records kept under the session's lock and not written yet: live data must not pass them.
    private let queued = Atomic<Int>(0)
    /// The MQTT client's counts: replay keeps at most `window` messages taken and not written.
    private let handover: SparkplugHandover
    private let waitingForWrites = Atomic<Bool>(false)
    private let counts = Mutex(Counts())
    private static let window = 64

    private struct Counts {
        var replayed = 0
        var dropped = 0
        /// Replayed since live data last flowed, for the log line when it flows again.
        var replayedThisTime = 0
    }

    init(
        stateDirectory: String, limits: OutboxLimits, session: SparkplugSession, handover: SparkplugHandover,
        configuration: SparkplugConfig, logger: Logger
    ) throws {
        let path = (stateDirectory as NSString).appendingPathComponent("sparkplug-spool.sqlite")
        do {
            spool = try Spool(path: path, limits: limits)
        } catch {
            throw DaemonError("\(error); Sparkplug keeps the values it could not send there")
        }
        self.session = session
        self.handover = handover
        self.logger = logger
        deviceDataPrefix = "spBv1.0/\(configuration.groupID)/DDATA/\(configuration.edgeNodeID)/"
        let waiting = spool.totals.totalCount
        if waiting > 0 {
            session.holdBacklog()
            logger.info("Sparkplug: \(waiting) stored DDATA records wait for the next births", metadata: ["spool": "\(path)"])
        }
    }

    /// The record for one device's kept values (engine thread, under the session's lock): counted as
    /// queued at once, so the backlog is not released before `store` has written it.
    func keep(_ deviceID: String, _ updates: [SparkplugValueUpdate]) -> OutboxMessage {
        queued.add(1, ordering: .relaxed)
        return OutboxMessage(
            topic: deviceDataPrefix + deviceID, payload: BacklogRecord.encode(updates), qos: .atMostOnce, retain: false,
            messageClass: .metric)
    }

    /// Writes kept records (from `keep`) in one transaction on the outbox queue, then replays if it may.
    func store(_ records: [OutboxMessage]) {
        guard !records.isEmpty else { return }
        queue.async { [self] in
            do {
                let (_, dropped) = try spool.append(records)
                reportDrops(dropped.values.reduce(0, +), why: "the Sparkplug spool reached its bounds (mqtt.outbox max_bytes/max_age); the oldest values went first")
            } catch {
                reportDrops(records.count, why: "\(error)")
            }
            // Stored now: before the replay, whose end may release the backlog only when nothing is queued.
            // (Counted down after it, a replay started here could never release it, and live data stayed
            // behind a backlog that every engine pass added to.)
            queued.subtract(records.count, ordering: .relaxed)
            replay()
        }
    }

    /// Replays stored records if the node is born (call after births).
    func replaySoon() {
        queue.async { [self] in replay() }
    }

    /// The MQTT client wrote a message (its publish callback, after `handover` counted it): a paused
    /// replay goes on.
    func written() {
        if handover.outstanding < Self.window / 2, waitingForWrites.exchange(false, ordering: .relaxed) { replaySoon() }
    }

    /// Waits until kept records are written (a clean stop keeps them for the next start).
    func finish() {
        queue.sync {}
    }

    /// Records waiting (stored or about to be), and values dropped since start.
    var figures: (waiting: Int, replayed: Int, dropped: Int) {
        let (replayed, dropped) = counts.withLock { ($0.replayed, $0.dropped) }
        return (spool.totals.totalCount + queued.load(ordering: .relaxed), replayed, dropped)
    }

    /// On the outbox queue: oldest records first, as historical DDATA, while the node is born and the
    /// client keeps up; releases live data once nothing waits.
    private func replay() {
        // Why records could not be replayed, with counts: one warning per reason and run, not one per record.
        var unplayable: [String: Int] = [:]
        defer {
            for (why, count) in unplayable.sorted(by: { $0.key < $1.key }) { reportDrops(count, why: why) }
        }
        while true {
            let rows: [SpooledMessage]
            do {
                rows = try spool.oldest(limit: Self.window)
            } catch {
                logger.error("Sparkplug: could not read the stored values: \(error)")
                return
            }
            if rows.isEmpty {
                if session.releaseBacklog(if: { queued.load(ordering: .relaxed) == 0 }) {
                    let replayed = counts.withLock { counts in
                        defer { counts.replayedThisTime = 0 }
                        return counts.replayedThisTime
                    }
                    logger.info("Sparkplug: stored values replayed; live DDATA again", metadata: ["records": "\(replayed)"])
                }
                return
            }
            var done: [Int64] = []
            defer { remove(done) }
            for row in rows {
                guard handover.outstanding < Self.window else {
                    waitingForWrites.store(true, ordering: .relaxed)
                    return
                }
                let device = String(row.message.topic.dropFirst(deviceDataPrefix.count))
                let outcome: SparkplugSession.Replay
                let refusedBefore = handover.refusals
                do throws(SparkplugError) {
                    outcome = try session.replay(device, try BacklogRecord.decode(row.message.payload))
                } catch {
                    // A record from a run with other devices or metrics (a changed config): it cannot be replayed.
                    unplayable["\(error)", default: 0] += 1
                    done.append(row.id)
                    continue
                }
                switch outcome {
                case .notBorn: return
                case .deviceDown: unplayable["device '\(device)' is down, and Sparkplug sends no DDATA for a dead device", default: 0] += 1
                case .sent:
                    guard handover.refusals == refusedBefore else { return }  // the link went: the record stays for the next births
                    counts.withLock { counts in
                        counts.replayed += 1
                        counts.replayedThisTime += 1
                    }
                }
                done.append(row.id)
            }
        }
    }

    private func remove(_ ids: [Int64]) {
        do {
            try spool.remove(ids: ids)
        } catch {
            // They are sent again after the next births: a duplicate flagged historical, not a loss.
            logger.error("Sparkplug: could not delete \(ids.count) replayed records: \(error)")
        }
    }

    private func reportDrops(_ count: Int, why: String) {
        guard count > 0 else { return }
        let total = counts.withLock { counts in
            counts.dropped += count
            return counts.dropped
        }
        logger.warning("Sparkplug: \(count) stored DDATA records dropped: \(why)", metadata: ["dropped_since_start": "\(total)"])
    }
}
