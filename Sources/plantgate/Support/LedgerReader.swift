import Foundation
import Ledger
import SQLite

/// The site's ledger (`ledger.sqlite` in the state directory, written by the daemon's `LedgerStore`),
/// read-only through the thin `SQLite` face, so the CLI links neither GRDB nor the daemon runtime.
///
/// Reads the table `LedgerStore` creates, by the query `LedgerDatabase` keeps for both; `LedgerCommandTests`
/// read a ledger a real daemon wrote, so a change of that schema fails them.
struct LedgerReader {
    private let database: SQLiteDatabase
    /// The database file.
    var path: String { database.path }

    /// The ledger of `directory`.
    init(directory: String) throws {
        let path = LedgerDatabase.path(in: directory)
        guard FileManager.default.fileExists(atPath: path) else {
            throw LedgerReaderError(LedgerDatabase.missing(path))
        }
        do {
            database = try SQLiteDatabase(readingOnly: path)
        } catch {
            throw LedgerReaderError("cannot read the ledger \(error): check that this user may read the state directory (run as the service user)")
        }
    }

    /// The stored lines in chain order, appended from `from` up to (excluding) `to` (RFC 3339 strings).
    func lines(from: String? = nil, to: String? = nil) throws -> [[UInt8]] {
        do {
            return try database.blobs(LedgerDatabase.linesQuery, LedgerDatabase.linesArguments(from: from, to: to))
        } catch {
            throw LedgerReaderError("cannot read the ledger \(error)")
        }
    }
}

/// A ledger the CLI cannot read, with what to do.
struct LedgerReaderError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
