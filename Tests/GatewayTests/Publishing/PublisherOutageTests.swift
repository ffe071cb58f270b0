import Foundation
import Gateway
import Logging
import MQTT
import Outbox
import Testing
import TestSupport

@Suite("Publisher across outages and crashes", .serialized)
struct PublisherOutageTests {
    @Test("a 5 s broker outage loses no period record and no metric; replayed ones carry hist:true")
    func outage() async throws {
        let broker = try await MosquittoBroker.start(.init(persistence: true))
        let inbox = try await Inbox(broker: broker, clientID: "scada-historian-\(UUID().uuidString.prefix(6))")
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let publisher = try Publisher(
            options: publisherOptions(port: broker.port), spool: try Spool(path: scratch.spoolPath), logger: CapturedLog().logger)
        try publisher.start()
        #expect(await eventually { publisher.stats.connected })

        let metricTopic = "plantgate/site1/lines/lioh-1/electricity_kw"
        let periodTopic = "plantgate/site1/lines/lioh-1/periods/hour"
        let total = 400
        var outageSeq: [Int] = []
        for index in 0..<total {
            publisher.publish(sequenced(metricTopic, seq: index, .metric))
            if index % 10 == 0 { publisher.publish(sequenced(periodTopic, seq: index / 10, .period)) }
            if index == 60 {
                await broker.stop()
                outageSeq.append(index)
            }
            if index == 60 + 250 {  // 250 × 20 ms = 5 s away
                try await broker.start()
                outageSeq.append(index)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        let arrived = await eventually(timeout: .seconds(30)) {
            Set(inbox.messages(on: metricTopic).map(seq)).count == total && Set(inbox.messages(on: periodTopic).map(seq)).count == total / 10
        }
        #expect(arrived, "metrics \(Set(inbox.messages(on: metricTopic).map(seq)).count)/\(total), periods \(Set(inbox.messages(on: periodTopic).map(seq)).count)")
        #expect(firstArrivals(inbox.messages(on: metricTopic)) == Array(0..<total))
        #expect(firstArrivals(inbox.messages(on: periodTopic)) == Array(0..<(total / 10)))
        let historical = inbox.messages(on: metricTopic).filter(isHistorical).map(seq)
        #expect(historical.contains { $0 > outageSeq[0] + 20 && $0 < outageSeq[1] }, "messages made during the outage are flagged")
        #expect(!historical.contains { $0 < outageSeq[0] - 5 }, "messages acknowledged before the outage are not replayed")
        #expect(await eventually { publisher.stats.spoolDepth == 0 })
        let stats = publisher.stats
        #expect(stats.replayed > 0 && stats.totalDropped == 0 && stats.connects >= 2)
        await publisher.stop(drainTimeout: .seconds(2))
    }

    @Test("durable messages spooled while the broker is away survive dropping the publisher and reach the broker from a new one")
    func crashAndRestart() async throws {
        let broker = try await MosquittoBroker.start()
        await broker.stop()
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let periodTopic = "plantgate/site1/lines/cu-ew/periods/hour"
        let metricTopic = "plantgate/site1/lines/cu-ew/kwh_per_t"
        do {
            let first = try Publisher(
                options: publisherOptions(port: broker.port), spool: try Spool(path: scratch.spoolPath), logger: CapturedLog().logger)
            try first.start()
            for index in 0..<50 {
                first.publish(sequenced(periodTopic, seq: index, .period))
                first.publish(sequenced(metricTopic, seq: index, .metric))
            }
            #expect(await eventually { first.stats.spoolDepth == 100 })
            #expect(try Spool.integrityCheck(path: scratch.spoolPath) == "ok", "a second connection sees a sound file while it is open")
        }  // dropped without stop(): no drain, no offline, like a SIGKILL after the commits
        #expect(try Spool.integrityCheck(path: scratch.spoolPath) == "ok")

        try await broker.start()
        let inbox = try await Inbox(broker: broker)
        let second = try Publisher(
            options: publisherOptions(port: broker.port), spool: try Spool(path: scratch.spoolPath), logger: CapturedLog().logger)
        #expect(second.spool.totals.totalCount == 100, "the new process finds every spooled message")
        try second.start()
        #expect(await eventually(timeout: .seconds(10)) {
            Set(inbox.messages(on: periodTopic).map(seq)).count == 50 && Set(inbox.messages(on: metricTopic).map(seq)).count == 50
        })
        #expect(firstArrivals(inbox.messages(on: periodTopic)) == Array(0..<50))
        #expect(firstArrivals(inbox.messages(on: metricTopic)) == Array(0..<50))
        #expect(inbox.messages(on: periodTopic).allSatisfy(isHistorical))
        #expect(await eventually { second.stats.spoolDepth == 0 })
        await second.stop(drainTimeout: .seconds(2))
    }
}
