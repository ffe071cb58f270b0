import Foundation
import Gateway
import MQTT
import Outbox
import Testing
import TestSupport

@Suite("Publisher bounds")
struct PublisherBoundsTests {
    @Test("a tiny spool during an outage drops raw tags first, counts them, and keeps every period record")
    func tinySpool() async throws {
        let broker = try await MosquittoBroker.start(.init(persistence: true, extraSettings: ["queue_qos0_messages true"]))
        // A persistent subscriber from before the outage: what the publisher sends the moment the broker is
        // back is kept for it (raw tags at QoS 0 too), however soon the publisher reconnects; a subscriber
        // that arrived afterwards could miss the first messages.
        let inbox = try await Inbox(broker: broker, clientID: "scada-bounds")
        await broker.stop()
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let rawSize = sequenced("plantgate/site1/devices/m1/kw", seq: 0, .raw, padding: 100).spoolSize
        let limits = OutboxLimits(maxBytes: rawSize * 40, offlineRawCapacity: 10)
        let publisher = try Publisher(
            options: publisherOptions(port: broker.port, limits: limits), spool: try Spool(path: scratch.spoolPath, limits: limits),
            logger: CapturedLog().logger)
        try publisher.start()

        let periodTopic = "plantgate/site1/lines/l1/periods/hour"
        for index in 0..<5 { publisher.publish(sequenced(periodTopic, seq: index, .period)) }
        let rawCount = 300
        for index in 0..<rawCount { publisher.publish(sequenced("plantgate/site1/devices/m1/kw", seq: index, .raw, padding: 100)) }

        // Wait until nothing is left in memory: a message still queued there may yet push a raw tag out of
        // the spool, and the count of drops read below must be the final one.
        #expect(await eventually {
            let stats = publisher.stats
            return stats.memoryDepth == 0 && stats.spoolDepth + stats.totalDropped == rawCount + 5
        })
        let stats = publisher.stats
        let rawDropped = stats.dropped[.raw] ?? 0
        #expect(rawDropped > 0)
        #expect(stats.dropped[.period] == nil && stats.dropped[.metric] == nil)
        #expect(stats.spoolBytes <= limits.maxBytes)
        #expect(publisher.spool.totals.count[.period] == 5)
        #expect(rawDropped == rawCount - (publisher.spool.totals.count[.raw] ?? 0) - (stats.memoryDepth), "every raw tag is spooled, in memory, or counted as dropped")

        try await broker.start()
        #expect(await eventually(timeout: .seconds(10)) { inbox.messages(on: periodTopic).count >= 5 })
        #expect(firstArrivals(inbox.messages(on: periodTopic)) == Array(0..<5))
        #expect(await eventually { firstArrivals(inbox.messages(on: "plantgate/site1/devices/m1/kw")).count == rawCount - rawDropped },
                "raw tags: \(firstArrivals(inbox.messages(on: "plantgate/site1/devices/m1/kw")).count) arrived, \(rawCount) sent, \(rawDropped) dropped")
        let raw = firstArrivals(inbox.messages(on: "plantgate/site1/devices/m1/kw"))
        #expect(raw == raw.sorted(), "the raw tags that survive are the newest, in order")
        #expect(publisher.stats.dropped[.raw] == rawDropped, "no raw tag dropped after the broker came back")
        await publisher.stop(drainTimeout: .seconds(2))
    }
}
