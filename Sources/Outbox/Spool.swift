import Foundation
import GRDB
import MQTT
import Synchronization

/// The durable outbox: an SQLite file (e.g. `<state_dir>/spool.sqlite`) holding messages until the broker
/// acknowledges them, in append order.
///
/// Durability choices:
/// - WAL journal with `synchronous = FULL`: every committed append is fsynced to the WAL before `append`
///   returns, so a message reported as spooled survives a SIGKILL and (as far as the disk honours fsync)
///   a power cut. `NORMAL` would be faster but may lose the last commits on power loss; the spool holds the
///   ESG ledger, so it pays for one fsync per batch instead (the publisher appends in batches).
/// - SQLite's journal makes every transaction atomic: after a crash at any instant the file opens and
///   `PRAGMA integrity_check` says `ok` (tested); an append that had not committed is simply absent.
/// - `AUTOINCREMENT` ids are never reused, so the id is the replay order even after deletes.
/// - Freed pages are reused, so the file stays near `maxBytes` plus overhead; `journal_size_limit`
///   truncates the WAL after checkpoints.
///
/// Thread-safe: GRDB serialises access on its queue; the cached totals are under a mutex.
public final class Spool: Sendable {
    /// The SQLite file.
    public let path: String
    /// Bounds applied on every append.
    public let limits: OutboxLimits

    private let database: DatabaseQueue
    private let cached: Mutex<SpoolTotals>

    /// Opens (or creates) the spool file and reads its totals.
    /// - Throws: `SpoolError` naming the file when it cannot be opened or is not a plantgate spool.
    public init(path: String, limits: OutboxLimits = OutboxLimits()) throws(SpoolError) {
        var configuration = Configuration()
        configuration.journalMode = .wal
        configuration.label = "plantgate.spool"
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA journal_size_limit = 8388608")
        }
        do {
            let database = try DatabaseQueue(path: path, configuration: configuration)
            try database.write { db in
                try db.execute(sql: """
                    CREATE TABLE IF NOT EXISTS outbox (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        class INTEGER NOT NULL,
                        topic TEXT NOT NULL,
                        payload BLOB NOT NULL,
                        qos INTEGER NOT NULL,
                        retain INTEGER NOT NULL,
                        created_ms INTEGER NOT NULL,
                        size INTEGER NOT NULL);
                    CREATE INDEX IF NOT EXISTS outbox_by_class ON outbox(class, id);
                    CREATE INDEX IF NOT EXISTS outbox_by_age ON outbox(created_ms);
                    """)
            }
            let totals = try database.read { db in try Spool.readTotals(db) }
            self.database = database
            self.cached = Mutex(totals)
        } catch {
            throw SpoolError(path: path, operation: "open", reason: "\(error)")
        }
        self.path = path
        self.limits = limits
    }

    /// Rows and bytes held now, per class.
    public var totals: SpoolTotals { cached.withLock { $0 } }

    /// Appends messages in order in one transaction (one fsync), then applies `limits`.
    /// - Returns: the new row ids, in order, and what the limits dropped per class (possibly some of
    ///   the messages just appended, when a single batch exceeds `maxBytes`).
    @discardableResult
    public func append(_ messages: [OutboxMessage], now: Date = Date()) throws(SpoolError) -> (ids: [Int64], dropped: [MessageClass: Int]) {
        guard !messages.isEmpty else { return ([], [:]) }
        let before = totals
        do {
            let (ids, after, dropped) = try database.write { db -> ([Int64], SpoolTotals, [MessageClass: Int]) in
                let insert = try db.cachedStatement(sql: """
                    INSERT INTO outbox (class, topic, payload, qos, retain, created_ms, size) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """)
                var ids: [Int64] = []
                ids.reserveCapacity(messages.count)
                var totals = before
                for message in messages {
                    try insert.execute(arguments: [
                        message.messageClass.rawValue, message.topic, Data(message.payload), message.qos.rawValue,
                        message.retain, Spool.milliseconds(message.created), message.spoolSize,
                    ])
                    ids.append(db.lastInsertedRowID)
                    totals.add(message.messageClass, count: 1, bytes: message.spoolSize)
                }
                let dropped = try Spool.enforce(limits, on: db, totals: &totals, now: now)
                return (ids, totals, dropped)
            }
            cached.withLock { $0 = after }
            return (ids, dropped)
        } catch {
            throw SpoolError(path: path, operation: "append \(messages.count) messages", reason: "\(error)")
        }
    }

    /// The oldest rows with an id above `id`, in order.
    public func oldest(after id: Int64 = 0, limit: Int) throws(SpoolError) -> [SpooledMessage] {
        do {
            return try database.read { db in
                let rows = try Row.fetchAll(
                    db.cachedStatement(sql: """
                        SELECT id, class, topic, payload, qos, retain, created_ms FROM outbox WHERE id > ? ORDER BY id LIMIT ?
                        """), arguments: [id, limit])
                return rows.compactMap(Spool.decode)
            }
        } catch {
            throw SpoolError(path: path, operation: "read the oldest messages", reason: "\(error)")
        }
    }

    /// Deletes acknowledged rows (ids that are already gone are ignored).
    public func remove(ids: [Int64]) throws(SpoolError) {
        guard !ids.isEmpty else { return }
        let before = totals
        do {
            let after = try database.write { db -> SpoolTotals in
                var totals = before
                let delete = try db.cachedStatement(sql: "DELETE FROM outbox WHERE id = ? RETURNING class, size")
                for id in ids {
                    guard let row = try Row.fetchOne(delete, arguments: [id]), let messageClass = MessageClass(rawValue: row[0]) else {
                        continue
                    }
                    totals.add(messageClass, count: -1, bytes: -(row[1] as Int))
                }
                return totals
            }
            cached.withLock { $0 = after }
        } catch {
            throw SpoolError(path: path, operation: "delete \(ids.count) acknowledged messages", reason: "\(error)")
        }
    }

    /// Applies the age and size bounds without appending (the publisher calls it once a minute).
    /// - Returns: what was dropped, per class.
    public func applyLimits(now: Date = Date()) throws(SpoolError) -> [MessageClass: Int] {
        let before = totals
        do {
            let (dropped, after) = try database.write { db -> ([MessageClass: Int], SpoolTotals) in
                var totals = before
                let dropped = try Spool.enforce(limits, on: db, totals: &totals, now: now)
                return (dropped, totals)
            }
            cached.withLock { $0 = after }
            return dropped
        } catch {
            throw SpoolError(path: path, operation: "apply the spool limits", reason: "\(error)")
        }
    }

    /// The largest id ever handed out (0 for a new spool): rows up to it existed before this moment.
    public func lastID() throws(SpoolError) -> Int64 {
        do {
            return try database.read { db in
                try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'outbox'") ?? 0
            }
        } catch {
            throw SpoolError(path: path, operation: "read the last id", reason: "\(error)")
        }
    }

    /// Runs `PRAGMA integrity_check` on a spool file through a separate connection; `"ok"` when sound.
    public static func integrityCheck(path: String) throws(SpoolError) -> String {
        do {
            var configuration = Configuration()
            configuration.readonly = true
            let database = try DatabaseQueue(path: path, configuration: configuration)
            return try database.read { db in
                try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "; ")
            }
        } catch {
            throw SpoolError(path: path, operation: "check integrity", reason: "\(error)")
        }
    }

    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    private static func readTotals(_ db: Database) throws -> SpoolTotals {
        var totals = SpoolTotals()
        for row in try Row.fetchAll(db, sql: "SELECT class, count(*), coalesce(sum(size), 0) FROM outbox GROUP BY class") {
            guard let messageClass = MessageClass(rawValue: row[0]) else { continue }
            totals.add(messageClass, count: row[1], bytes: row[2])
        }
        return totals
    }

    private static func decode(_ row: Row) -> SpooledMessage? {
        guard let messageClass = MessageClass(rawValue: row[1]), let qos = MQTTQoS(rawValue: row[4]) else { return nil }
        let payload: Data = row[3]
        let created = Date(timeIntervalSince1970: Double(row[6] as Int64) / 1000)
        let message = OutboxMessage(
            topic: row[2], payload: Array(payload), qos: qos, retain: row[5], messageClass: messageClass, created: created)
        return SpooledMessage(id: row[0], message: message)
    }
}
