import Foundation

/// The ledger's SQLite file, which the daemon's `LedgerStore` writes and the CLI reads without GRDB: its
/// name and the query both read the entries by, in one place.
public enum LedgerDatabase {
    /// `ledger.sqlite` in `directory` (the state directory).
    public static func path(in directory: String) -> String {
        (directory as NSString).appendingPathComponent("ledger.sqlite")
    }

    /// The entry lines in chain order, appended from the first argument up to (excluding) the second.
    public static let linesQuery = "SELECT bytes FROM ledger_entry WHERE at >= ? AND at < ? ORDER BY n"

    /// The arguments of `linesQuery` for RFC 3339 bounds; a missing bound leaves that side open.
    public static func linesArguments(from: String?, to: String?) -> [String] {
        [from ?? "", to ?? "\u{10FFFF}"]
    }

    /// Why a state directory has no ledger at `path`.
    public static func missing(_ path: String) -> String {
        "no ledger at \(path): has plantgated run with this configuration's state directory?"
    }
}
