import MQTT
import Testing
import TestSupport

@Suite("Publishing batches with the socket corked")
struct MQTTBatchTests {
    @Test("a batch of 500 QoS 0 messages arrives whole and in order; a batch without a connection still runs")
    func batchArrivesInOrder() async throws {
        let broker = try await MosquittoBroker.start()
        let (subscriber, received) = try await connectedClient(options(for: broker, "historian"))
        try await subscribe(subscriber, received, "plantgate/batch/#")
        let (publisher, _) = try await connectedClient(options(for: broker, "gateway"))

        let topic = "plantgate/batch/devices/m1/t0"
        // Fewer than the 1,024 events the client buffers for the test's log.
        let payloads = (0..<500).map { #"{"v":\#($0),"q":"good"}"# }
        try publisher.publishingBatch { () throws(MQTTError) in
            for payload in payloads { try publisher.publish(topic: topic, text: payload) }
        }
        #expect(await eventually { received.messages(on: topic).count == payloads.count })
        #expect(received.messages(on: topic).map(\.text) == payloads)

        let offline = try MQTTClient(options: options(for: broker, "never-connected"))
        let ran = offline.publishingBatch { true }
        #expect(ran)
    }
}
