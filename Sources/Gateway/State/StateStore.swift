import ESG
import Foundation
import GRDB

/// The metric engine's open-period state in SQLite (`state.sqlite` in the state directory), so that a
/// restart or SIGKILL at any instant neither loses nor double counts.
///
/// WAL with `synchronous = FULL`: a saved snapshot survives power loss; a half-written one never
/// replaces the last good one (each save is one transaction). The records of periods that closed just
/// before a snapshot are saved in the same transaction (`PendingPeriod`), so the stored state is never
/// "before the close" while the records are already out.
public final class StateStore: Sendable {
    private let database: DatabaseQueue
    public let path: String

    public init(directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        path = (directory as NSString).appendingPathComponent("state.sqlite")
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        database = try DatabaseQueue(path: path, configuration: configuration)
        try database.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
        }
        try database.write { db in
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS engine_snapshot (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    saved_at TEXT NOT NULL,
                    snapshot BLOB NOT NULL)
                """)
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS pending_period (
                    position INTEGER PRIMARY KEY,
                    topic TEXT NOT NULL,
                    payload BLOB NOT NULL)
                """)
        }
    }

    /// Replaces the stored snapshot and the pending period records atomically: `pending` are the
    /// records of the periods this snapshot has just closed (not yet handed to the channel); an empty
    /// list says the earlier ones went out.
    public func save(_ snapshot: EngineSnapshot, savedAt: String, pending: [PendingPeriod] = []) throws {
        let data = try JSONEncoder().encode(snapshot)
        try database.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO engine_snapshot (id, saved_at, snapshot) VALUES (1, ?, ?)",
                           arguments: [savedAt, data])
            try db.execute(sql: "DELETE FROM pending_period")
            for (position, record) in pending.enumerated() {
                try db.execute(sql: "INSERT INTO pending_period (position, topic, payload) VALUES (?, ?, ?)",
                               arguments: [position, record.topic, Data(record.payload)])
            }
        }
    }

    /// The records saved with the last snapshot as pending, in closing order: after a crash they may or
    /// may not have reached the channel, so they are sent again (identical bytes, same seq).
    public func pendingPeriods() throws -> [PendingPeriod] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT topic, payload FROM pending_period ORDER BY position").map { row in
                PendingPeriod(topic: row["topic"], payload: [UInt8](row["payload"] as Data))
            }
        }
    }

    /// The last saved snapshot, if any.
    public func load() throws -> EngineSnapshot? {
        let data = try database.read { db in
            try Data.fetchOne(db, sql: "SELECT snapshot FROM engine_snapshot WHERE id = 1")
        }
        guard let data else { return nil }
        return try JSONDecoder().decode(EngineSnapshot.self, from: data)
    }

    /// `PRAGMA integrity_check`, for tests and `plantgate status`.
    public func integrityCheck() throws -> String {
        try database.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? "no answer" }
    }
}
