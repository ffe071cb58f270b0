import Foundation
import GRDB
import Ledger

/// The site's ledger in SQLite (`ledger.sqlite` in the state directory): append-only, never trimmed.
///
/// Same durability as the spool and the state store: WAL with `synchronous = FULL`, one transaction per
/// entry, so an entry that was handed out survives SIGKILL and power loss. The CLI opens it read-only.
public final class LedgerStore: Sendable {
    private let database: DatabaseQueue
    /// The database file.
    public let path: String

    /// Opens (and for the daemon creates) the ledger of `directory`.
    public init(directory: String, readOnly: Bool = false) throws {
        path = LedgerDatabase.path(in: directory)
        var configuration = Configuration()
        configuration.readonly = readOnly
        if !readOnly {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        } else if !FileManager.default.fileExists(atPath: path) {
            throw LedgerStoreError(LedgerDatabase.missing(path))
        }
        database = try DatabaseQueue(path: path, configuration: configuration)
        guard !readOnly else { return }
        try database.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = WAL") }
        try database.write { db in
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS ledger_entry (
                    n INTEGER PRIMARY KEY,
                    kind TEXT NOT NULL,
                    at TEXT NOT NULL,
                    line TEXT,
                    period TEXT,
                    record_seq INTEGER,
                    bytes BLOB NOT NULL)
                """)
            // Finds the entry of a period closed again after a crash (it gets the stored bytes back).
            try db.execute(sql: """
                CREATE INDEX IF NOT EXISTS ledger_period ON ledger_entry (line, period, record_seq)
                WHERE kind = 'period'
                """)
            try db.execute(sql: "CREATE INDEX IF NOT EXISTS ledger_at ON ledger_entry (at)")
            // Not part of the chain: what the last start or reload found, to tell a factor change at the next.
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS factor_in_force (
                    line TEXT NOT NULL, role TEXT NOT NULL, id TEXT NOT NULL, value REAL NOT NULL,
                    unit TEXT NOT NULL, source TEXT NOT NULL, vintage INTEGER, PRIMARY KEY (line, role))
                """)
        }
    }

    /// Stores `entry` (one transaction).
    public func append(_ entry: LedgerEntry) throws {
        let header = entry.header
        try database.write { db in
            try db.execute(sql: "INSERT INTO ledger_entry (n, kind, at, line, period, record_seq, bytes) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           arguments: [Int64(header.number), header.kind, header.at, header.line, header.period,
                                       header.recordSeq.map(Int64.init), Data(entry.bytes)])
        }
    }

    /// The factors noted at the last start or reload; nil before the first.
    public func factorsInForce() throws -> FactorsInForce? {
        try database.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT line, role, id, value, unit, source, vintage FROM factor_in_force")
            guard !rows.isEmpty else { return nil }
            var lines: [String: [String: LedgerFactor]] = [:]
            for row in rows {
                lines[row["line"], default: [:]][row["role"]] = LedgerFactor(id: row["id"], value: row["value"], unit: row["unit"],
                                                                              source: row["source"], vintage: row["vintage"])
            }
            return FactorsInForce(lines: lines)
        }
    }

    /// Replaces the noted factors with `factors` (one transaction).
    public func noteFactors(_ factors: FactorsInForce) throws {
        try database.write { db in
            try db.execute(sql: "DELETE FROM factor_in_force")
            for (line, roles) in factors.lines {
                for (role, f) in roles {
                    try db.execute(sql: "INSERT INTO factor_in_force (line, role, id, value, unit, source, vintage) VALUES (?, ?, ?, ?, ?, ?, ?)",
                                   arguments: [line, role, f.id, f.value, f.unit, f.source, f.vintage])
                }
            }
        }
    }

    /// The last entry, where the chain continues.
    public func last() throws -> LedgerEntry? {
        try entry(sql: "SELECT bytes FROM ledger_entry ORDER BY n DESC LIMIT 1")
    }

    /// The key of a line and period kind in `lastRecordSeqs`.
    static func slot(line: String, period: String) -> String { line + "\u{0}" + period }

    /// The last record seq stored per line and period kind (keyed by `slot`).
    public func lastRecordSeqs() throws -> [String: UInt64] {
        try database.read { db in
            var seqs: [String: UInt64] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT line, period, MAX(record_seq) AS seq FROM ledger_entry WHERE kind = 'period' GROUP BY line, period") {
                let line: String = row["line"], period: String = row["period"], seq: Int64 = row["seq"]
                seqs[Self.slot(line: line, period: period)] = UInt64(seq)
            }
            return seqs
        }
    }

    /// The entry numbered `n`, if stored.
    public func entry(number n: UInt64) throws -> LedgerEntry? {
        try entry(sql: "SELECT bytes FROM ledger_entry WHERE n = ?", arguments: [Int64(n)])
    }

    /// The latest entry of a closed period with record `seq` of `line` and `period`, if there is one.
    public func period(line: String, period: String, seq: UInt64) throws -> LedgerEntry? {
        try entry(sql: "SELECT bytes FROM ledger_entry WHERE kind = 'period' AND line = ? AND period = ? AND record_seq = ? ORDER BY n DESC LIMIT 1",
                  arguments: [line, period, Int64(seq)])
    }

    /// The stored lines in chain order, appended from `from` up to (excluding) `to` (RFC 3339 strings).
    public func lines(from: String? = nil, to: String? = nil) throws -> [[UInt8]] {
        try database.read { db in
            try Data.fetchAll(db, sql: LedgerDatabase.linesQuery,
                              arguments: StatementArguments(LedgerDatabase.linesArguments(from: from, to: to))).map { Array($0) }
        }
    }

    /// Bytes the ledger takes on disk once its write-ahead log is folded in (for the size figures).
    public func diskBytes() throws -> Int {
        try database.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            return pages * (try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 0)
        }
    }

    private func entry(sql: String, arguments: StatementArguments = []) throws -> LedgerEntry? {
        guard let data = try database.read({ db in try Data.fetchOne(db, sql: sql, arguments: arguments) }) else { return nil }
        return try LedgerEntry(bytes: Array(data))
    }
}

/// A ledger file that cannot be used, with what to do.
public struct LedgerStoreError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
