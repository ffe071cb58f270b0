import Foundation
import Gateway
import Logging
import MQTT
import Outbox
import Testing
import TestSupport

@Suite("Publisher authentication and ACL")
struct PublisherSecurityTests {
    @Test("a wrong password gives one clear error line and retries with back-off, not a busy loop")
    func wrongPassword() async throws {
        let broker = try await MosquittoBroker.start(.init(allowAnonymous: false, users: ["gateway": "right-pass"]))
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let log = CapturedLog()
        let options = publisherOptions(port: broker.port, credentials: MQTTCredentials(username: "gateway", password: "wrong-pass"))
        let publisher = try Publisher(options: options, spool: try Spool(path: scratch.spoolPath), logger: log.logger)
        let began = ContinuousClock.now
        try publisher.start()

        func attempts() -> Int { broker.log.components(separatedBy: "Sending CONNACK to").count - 1 }
        #expect(await eventually(timeout: .seconds(10)) { attempts() >= 3 })
        let elapsed = ContinuousClock.now - began
        #expect(elapsed >= .milliseconds(1500), "3 attempts took \(elapsed): the back-off is not applied")

        let errors = log.lines(atLeast: .warning)
        #expect(errors.count == 1, "\(errors)")
        #expect(errors.first?.contains("password_file") == true)
        #expect(errors.first?.contains("wrong-pass") == false)
        #expect(publisher.stats.lastError?.contains("not authorised") == true)
        #expect(!publisher.stats.connected)
    }

    @Test("with an ACL limited to its prefix, messages under the prefix arrive and one outside does not")
    func aclLimitsTopics() async throws {
        let acl = """
            user gateway
            topic write plantgate/site1/#

            user scada
            topic read #
            """
        let broker = try await MosquittoBroker.start(
            .init(allowAnonymous: false, users: ["gateway": "gw-pass", "scada": "scada-pass"], acl: acl))
        let inbox = try await Inbox(broker: broker, filter: "#", credentials: MQTTCredentials(username: "scada", password: "scada-pass"))
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let publisher = try Publisher(
            options: publisherOptions(port: broker.port, credentials: MQTTCredentials(username: "gateway", password: "gw-pass")),
            spool: try Spool(path: scratch.spoolPath), logger: CapturedLog().logger)
        try publisher.start()
        #expect(await eventually { publisher.stats.connected })

        publisher.publish(OutboxMessage(topic: "othersite/devices/m1/p", text: #"{"v":1}"#, qos: .atMostOnce, retain: false, messageClass: .raw))
        publisher.publish(OutboxMessage(topic: "plantgate/site1/devices/m1/p", text: #"{"v":2}"#, qos: .atMostOnce, retain: false, messageClass: .raw))
        publisher.publish(sequenced("plantgate/site1/lines/l1/periods/hour", seq: 7, .period))

        #expect(await eventually {
            !inbox.messages(on: "plantgate/site1/devices/m1/p").isEmpty && !inbox.messages(on: "plantgate/site1/lines/l1/periods/hour").isEmpty
        })
        #expect(inbox.messages(on: "othersite/devices/m1/p").isEmpty)
        #expect(await eventually { publisher.stats.spoolDepth == 0 })
        await publisher.stop(drainTimeout: .seconds(2))
    }
}
