import CSQLite

/// One SQLite database file opened for reading: the only place outside GRDB where sqlite3's C API is
/// called, so that the `plantgate` CLI reads the daemon's files without linking GRDB.
///
/// Not thread-safe: one command uses it from one thread, then lets it go.
public final class SQLiteDatabase {
    private let handle: OpaquePointer
    /// The file, for messages.
    public let path: String

    /// Opens `path` read-only (`SQLITE_OPEN_READONLY`: never creates, never writes, reads a WAL database
    /// that the daemon has open). The file must exist.
    public init(readingOnly path: String) throws(SQLiteError) {
        self.path = path
        var opened: OpaquePointer?
        let code = sqlite3_open_v2(path, &opened, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil)
        guard code == SQLITE_OK, let opened else {
            let message = opened.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_close_v2(opened)
            throw SQLiteError(path: path, operation: "open", message: message)
        }
        handle = opened
        // The daemon may be writing: wait for its lock instead of failing at once.
        sqlite3_busy_timeout(handle, 5_000)
    }

    deinit { sqlite3_close_v2(handle) }

    /// Runs `sql` with `arguments` bound to its `?` in order and returns the first column of every row as
    /// bytes (a BLOB or TEXT column; NULL gives no bytes).
    public func blobs(_ sql: String, _ arguments: [String] = []) throws(SQLiteError) -> [[UInt8]] {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw failure("prepare \(sql)")
        }
        defer { sqlite3_finalize(statement) }
        for (index, argument) in arguments.enumerated() {
            guard sqlite3_bind_text(statement, Int32(index + 1), argument, -1, csqlite_transient) == SQLITE_OK else {
                throw failure("bind argument \(index + 1) of \(sql)")
            }
        }
        var rows: [[UInt8]] = []
        while true {
            switch sqlite3_step(statement) {
            case SQLITE_ROW:
                let count = Int(sqlite3_column_bytes(statement, 0))
                if count > 0, let bytes = sqlite3_column_blob(statement, 0) {
                    rows.append(Array(UnsafeRawBufferPointer(start: bytes, count: count)))
                } else {
                    rows.append([])
                }
            case SQLITE_DONE:
                return rows
            default:
                throw failure("read \(sql)")
            }
        }
    }

    private func failure(_ operation: String) -> SQLiteError {
        SQLiteError(path: path, operation: operation, message: String(cString: sqlite3_errmsg(handle)))
    }
}

/// A database that could not be opened or read, with SQLite's own words.
public struct SQLiteError: Error, Sendable, CustomStringConvertible {
    /// The database file.
    public var path: String
    /// What was being done: `open`, `read SELECT …`.
    public var operation: String
    /// SQLite's message.
    public var message: String

    public var description: String { "\(path): \(operation): \(message)" }
}
