import Foundation
@_spi(Testing) import Gateway
import MQTT
import Outbox
import Testing
import TestSupport

@Suite("Publisher status topic")
struct PublisherStatusTests {
    @Test("online is retained on connect, a clean stop leaves offline retained, a crash brings the offline will")
    func birthAndDeath() async throws {
        let broker = try await MosquittoBroker.start()
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let statusTopic = "plantgate/site1/status"
        let publisher = try Publisher(options: publisherOptions(port: broker.port), spool: try Spool(path: scratch.spoolPath), logger: CapturedLog().logger)
        try publisher.start()
        #expect(await eventually { publisher.stats.connected })

        let late = try await Inbox(broker: broker, filter: statusTopic)
        #expect(await eventually { late.messages.count == 1 })
        let birth = try #require(late.messages.first)
        #expect(birth.retain, "a subscriber arriving later still sees the birth")
        #expect(json(birth)["state"] as? String == "online")
        #expect(json(birth)["version"] as? String == "0.7.0-test")
        #expect((json(birth)["started"] as? String)?.hasSuffix("Z") == true)

        publisher.simulateConnectionCrash()
        #expect(await eventually { late.messages.map { json($0)["state"] as? String } == ["online", "offline", "online"] },
                "will on the crash, then a new birth after the reconnect: \(late.messages.map(\.text))")

        await publisher.stop(drainTimeout: .seconds(2))
        #expect(await eventually { late.messages.last.map { json($0)["state"] as? String } == "offline" })
        let afterwards = try await Inbox(broker: broker, filter: statusTopic)
        #expect(await eventually { afterwards.messages.count == 1 })
        #expect(afterwards.messages.first.map { json($0)["state"] as? String } == "offline")
        #expect(afterwards.messages.first?.retain == true)
    }
}
