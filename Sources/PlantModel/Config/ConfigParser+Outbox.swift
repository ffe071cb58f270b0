import Foundation
import Yams

extension ConfigParser {
    /// Smallest spool bound: below it not even one period record fits.
    static let smallestSpool = 4096

    /// `mqtt.outbox:`; every key optional.
    func parseOutbox(_ node: Node, _ path: String) -> OutboxConfig? {
        let keys = ["max_bytes", "max_age", "queue_capacity", "offline_raw_capacity", "inflight_window"]
        guard let fields = reader.mapping(node, path, allowed: keys) else { return nil }
        var outbox = OutboxConfig()
        if let sizeNode = fields["max_bytes"] { outbox.maxBytes = parseByteSize(sizeNode, fields.path("max_bytes")) }
        outbox.maxAge = fields.duration("max_age", positive: true)
        outbox.queueCapacity = fields.int("queue_capacity", in: 100...10_000_000, what: " (messages waiting for the publisher thread)")
        outbox.offlineRawCapacity = fields.int("offline_raw_capacity", in: 0...10_000_000, what: " (raw messages held in memory during an outage)")
        // libmosquitto keeps the window in a 16-bit field; 0 would mean "unlimited", which a replay must never be.
        outbox.inflightWindow = fields.int("inflight_window", in: 1...65_535, what: " (unacknowledged messages)")
        return outbox
    }

    /// `max_bytes`: a byte count (`268435456`) or a size with a unit (`256MB`, `64 KB`, `1GB`; powers of 1024).
    func parseByteSize(_ node: Node, _ path: String) -> Int? {
        guard let text = reader.string(node, path) else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespaces).uppercased()
        let units: [(String, Int)] = [("KIB", 1 << 10), ("MIB", 1 << 20), ("GIB", 1 << 30), ("KB", 1 << 10), ("MB", 1 << 20), ("GB", 1 << 30), ("B", 1)]
        var number = Substring(trimmed)
        var scale = 1
        if let unit = units.first(where: { trimmed.hasSuffix($0.0) }) {
            number = trimmed.dropLast(unit.0.count)
            scale = unit.1
        }
        guard let value = Int(number.trimmingCharacters(in: .whitespaces)), value >= 0,
              value <= Int.max / scale, value * scale >= Self.smallestSpool, value * scale <= 1 << 40 else {
            reader.error(node, path, "expected a size of at least 4KB and at most 1024GB, such as 256MB or 268435456 (bytes), found \"\(text.prefix(40))\"")
            return nil
        }
        return value * scale
    }
}
