import Foundation
import MQTT
import Synchronization
import Testing
import TestSupport

@Suite("Publishing and receiving through a real mosquitto")
struct MQTTPublishTests {
    @Test("messages arrive in order at the QoS they were sent with; QoS 1/2 acks carry the returned id",
          arguments: MQTTQoS.allCases)
    func publishAndReceive(qos: MQTTQoS) async throws {
        let broker = try await MosquittoBroker.start()
        let (subscriber, received) = try await connectedClient(options(for: broker, "historian"))
        try await subscribe(subscriber, received, "plantgate/site1/devices/#")

        let publisher = try MQTTClient(options: options(for: broker, "gateway"))
        let acknowledged = Mutex<[MQTTMessageID]>([])
        publisher.onPublish { mid in acknowledged.withLock { $0.append(mid) } }
        let accepted = Mutex(false)
        publisher.onConnect { result in
            if case .accepted = result { accepted.withLock { $0 = true } }
        }
        try publisher.connect()
        try #require(await eventually { accepted.withLock { $0 } })

        let topic = "plantgate/site1/devices/meter-7/active_power"
        let payloads = (1...3).map { #"{"v": \#(410 + $0).5, "u": "kW", "q": "good"}"# }
        var sent: [MQTTMessageID] = []
        for payload in payloads {
            sent.append(try publisher.publish(topic: topic, text: payload, qos: qos))
        }

        #expect(await eventually { received.messages(on: topic).count == payloads.count })
        let messages = received.messages(on: topic)
        #expect(messages.map(\.text) == payloads)
        #expect(messages.allSatisfy { $0.qos == qos && !$0.retain })
        #expect(Set(sent).count == payloads.count)
        if qos != .atMostOnce {
            #expect(await eventually { Set(acknowledged.withLock { $0 }).isSuperset(of: sent) })
        }
    }

    @Test("an outside mosquitto_sub receives what the client publishes, including the raw-buffer path")
    func outsideSubscriber() async throws {
        let broker = try await MosquittoBroker.start()
        let (publisher, log) = try await connectedClient(options(for: broker, "gateway"))
        let topic = "plantgate/site1/lines/lioh-1/electricity_kw"
        let subscriberID = "outside-\(UUID().uuidString.prefix(6))"

        async let subscription = ProcessRunner.run(
            "/usr/bin/mosquitto_sub",
            ["-h", "127.0.0.1", "-p", "\(broker.port)", "-i", subscriberID, "-q", "1", "-t", topic, "-v", "-C", "2", "-W", "10"],
            timeout: .seconds(12))
        try #require(await eventually { broker.log.contains("Received SUBSCRIBE from \(subscriberID)") })

        let first = try publisher.publish(topic: topic, text: "1843.2", qos: .atLeastOnce)
        let raw: [UInt8] = Array("1844.0".utf8)
        let second = try raw.withUnsafeBytes { bytes in
            try topic.withCString { cTopic in try publisher.publish(topic: cTopic, payload: bytes, qos: .atLeastOnce) }
        }

        let result = try await subscription
        #expect(result.exitCode == 0, "mosquitto_sub: \(result.standardError)")
        #expect(result.outputLines == ["\(topic) 1843.2", "\(topic) 1844.0"])
        #expect(await eventually { log.acknowledged.isSuperset(of: [first, second]) })
    }

    @Test("a retained message reaches a subscriber that arrives later, flagged as retained")
    func retainedForLateSubscriber() async throws {
        let broker = try await MosquittoBroker.start()
        let (publisher, publisherLog) = try await connectedClient(options(for: broker, "gateway"))
        let topic = "plantgate/site1/status"
        let mid = try publisher.publish(topic: topic, text: "online", qos: .atLeastOnce, retain: true)
        try #require(await eventually { publisherLog.acknowledged.contains(mid) })

        let (late, lateLog) = try await connectedClient(options(for: broker, "dashboard"))
        try await subscribe(late, lateLog, "plantgate/site1/#", qos: .atLeastOnce)
        #expect(await eventually { !lateLog.messages(on: topic).isEmpty })
        let message = try #require(lateLog.messages(on: topic).first)
        #expect(message.text == "online")
        #expect(message.retain)
    }
}
