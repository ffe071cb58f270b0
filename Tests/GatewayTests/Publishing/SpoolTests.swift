import Foundation
@testable import Gateway
import MQTT
import Outbox
import Testing

@Suite("Spool")
struct SpoolTests {
    @Test("appended messages come back in order, survive reopening, and leave once acknowledged")
    func orderAndReopen() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        var ids: [Int64] = []
        do {
            let spool = try Spool(path: scratch.spoolPath)
            ids = try spool.append((0..<10).map { sequenced("plantgate/site1/lines/l1/periods/hour", seq: $0, .period) }).ids
            try spool.remove(ids: Array(ids.prefix(3)))
        }
        let reopened = try Spool(path: scratch.spoolPath)
        #expect(reopened.totals.count[.period] == 7)
        let rows = try reopened.oldest(limit: 100)
        #expect(rows.map(\.id) == Array(ids.dropFirst(3)))
        #expect(rows.map { String(decoding: $0.message.payload, as: UTF8.self) }.map { $0.contains(#""seq":\#(3)"#) }.first == true)
        let more = try reopened.append([sequenced("plantgate/site1/x", seq: 99, .metric)]).ids
        #expect(more[0] > ids.last!, "ids are never reused, so they stay the replay order")
        #expect(try Spool.integrityCheck(path: scratch.spoolPath) == "ok")
    }

    @Test("a full spool drops the oldest raw tags first, then metrics, and keeps period records")
    func dropOrder() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let size = sequenced("plantgate/site1/lines/l1/periods/hour", seq: 0, .period, padding: 100).spoolSize
        let spool = try Spool(path: scratch.spoolPath, limits: OutboxLimits(maxBytes: size * 10))
        try spool.append((0..<4).map { sequenced("plantgate/site1/lines/l1/periods/hour", seq: $0, .period, padding: 100) })
        try spool.append((0..<4).map { sequenced("plantgate/site1/lines/l1/kwh_t", seq: $0, .metric, padding: 100) })
        try spool.append((0..<4).map { sequenced("plantgate/site1/devices/m1/p", seq: $0, .raw, padding: 100) })
        #expect(spool.totals.count == [.period: 4, .metric: 4, .raw: 2])
        let result = try spool.append((4..<8).map { sequenced("plantgate/site1/lines/l1/periods/hour", seq: $0, .period, padding: 100) })
        #expect(result.dropped == [.raw: 2, .metric: 2])
        #expect(spool.totals.totalBytes <= size * 10)
        let left = try spool.oldest(limit: 100).map(\.message)
        #expect(left.filter { $0.messageClass == .period }.count == 8)
        #expect(left.filter { $0.messageClass == .metric }.map { String(decoding: $0.payload, as: UTF8.self) }.allSatisfy {
            $0.contains(#""seq":2"#) || $0.contains(#""seq":3"#)
        })
    }

    @Test("messages older than max_age are dropped and counted")
    func ageBound() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        var old = sequenced("plantgate/site1/lines/l1/kwh_t", seq: 1, .metric)
        old.created = Date().addingTimeInterval(-7200)
        try Spool(path: scratch.spoolPath).append([old, sequenced("plantgate/site1/lines/l1/kwh_t", seq: 2, .metric)])
        let spool = try Spool(path: scratch.spoolPath, limits: OutboxLimits(maxAge: .seconds(3600)))
        #expect(spool.totals.count == [.metric: 2])
        #expect(try spool.applyLimits() == [.metric: 1])
        #expect(spool.totals.count == [.metric: 1])
        #expect(try spool.oldest(limit: 10).map { String(decoding: $0.message.payload, as: UTF8.self).contains(#""seq":2"#) } == [true])
    }

    @Test("the historical flag goes after the opening brace and keeps the rest byte for byte",
          arguments: [
            (#"{"v":1,"t":"2026-11-27T09:15:00.250Z"}"#, #"{"hist":true,"v":1,"t":"2026-11-27T09:15:00.250Z"}"#),
            (" { }", #" {"hist":true }"#),
            ("[1,2]", "[1,2]"),
            // Already flagged (a record re-sent after a restart, replayed again): flagged once, not twice.
            (#"{"hist":true,"seq":3}"#, #"{"hist":true,"seq":3}"#),
          ])
    func historicalMark(original: String, marked: String) {
        #expect(String(decoding: HistoricalMark.apply(Array(original.utf8)), as: UTF8.self) == marked)
    }
}
