import Foundation
import GRDB

extension Spool {
    /// Drops rows past `limits` inside the caller's transaction and updates `totals`.
    ///
    /// Age first (anything older than `maxAge`), then size: the oldest raw tags, then the oldest metrics,
    /// then the oldest period records, until the accounted bytes fit `maxBytes`.
    static func enforce(
        _ limits: OutboxLimits, on db: Database, totals: inout SpoolTotals, now: Date
    ) throws -> [MessageClass: Int] {
        var dropped: [MessageClass: Int] = [:]
        let ageSeconds = Double(limits.maxAge.components.seconds) + Double(limits.maxAge.components.attoseconds) / 1e18
        let cutoff = milliseconds(now) - Int64(ageSeconds * 1000)
        let expired = try Row.fetchAll(
            db, sql: "SELECT class, count(*), sum(size) FROM outbox WHERE created_ms < ? GROUP BY class", arguments: [cutoff])
        if !expired.isEmpty {
            try db.execute(sql: "DELETE FROM outbox WHERE created_ms < ?", arguments: [cutoff])
            for row in expired {
                guard let messageClass = MessageClass(rawValue: row[0]) else { continue }
                let count: Int = row[1]
                totals.add(messageClass, count: -count, bytes: -(row[2] as Int))
                dropped[messageClass, default: 0] += count
            }
        }

        let order = MessageClass.allCases.sorted { $0.dropRank < $1.dropRank }
        for messageClass in order where totals.totalBytes > limits.maxBytes {
            var excess = totals.totalBytes - limits.maxBytes
            var lastID: Int64 = 0
            var count = 0
            var freed = 0
            let rows = try Row.fetchCursor(
                db, sql: "SELECT id, size FROM outbox WHERE class = ? ORDER BY id", arguments: [messageClass.rawValue])
            while excess > 0, let row = try rows.next() {
                let size: Int = row[1]
                lastID = row[0]
                count += 1
                freed += size
                excess -= size
            }
            guard count > 0 else { continue }
            try db.execute(sql: "DELETE FROM outbox WHERE class = ? AND id <= ?", arguments: [messageClass.rawValue, lastID])
            totals.add(messageClass, count: -count, bytes: -freed)
            dropped[messageClass, default: 0] += count
        }
        return dropped
    }
}
