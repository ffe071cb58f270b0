import Foundation
import MQTT
import Synchronization
import Testing
import TestSupport

@Suite("Connection life cycle")
struct MQTTConnectionTests {
    @Test("after a broker restart the client reconnects by itself and delivers a QoS 1 message sent while away")
    func reconnectAfterBrokerRestart() async throws {
        let broker = try await MosquittoBroker.start(.init(persistence: true))
        let topic = "plantgate/site1/lines/lioh-1/periods/hour"

        var historianOptions = options(for: broker, "historian")
        historianOptions.cleanSession = false  // the broker keeps its subscription and queues for it
        let (historian, historianLog) = try await connectedClient(historianOptions)
        try await subscribe(historian, historianLog, topic, qos: .atLeastOnce)

        let (gateway, gatewayLog) = try await connectedClient(options(for: broker, "gateway"))
        let before = try gateway.publish(topic: topic, text: #"{"seq": 1}"#, qos: .atLeastOnce)
        try #require(await eventually { gatewayLog.acknowledged.contains(before) })

        await broker.stop()
        try #require(await eventually { !gatewayLog.losses.isEmpty })

        // libmosquitto queues QoS 1 while disconnected: the id comes back, the ack comes later.
        let whileAway = try gateway.publish(topic: topic, text: #"{"seq": 2}"#, qos: .atLeastOnce)
        #expect(!gatewayLog.acknowledged.contains(whileAway))

        try await broker.start()
        #expect(await eventually(timeout: .seconds(8)) { gatewayLog.acceptedConnects >= 2 })
        #expect(await eventually(timeout: .seconds(8)) { gatewayLog.acknowledged.contains(whileAway) })
        #expect(await eventually(timeout: .seconds(8)) {
            historianLog.messages(on: topic).map(\.text).contains(#"{"seq": 2}"#)
        })
        #expect(historianLog.messages(on: topic).first?.text == #"{"seq": 1}"#)
    }

    @Test("connects with MQTT 5 and exchanges messages")
    func mqtt5() async throws {
        let broker = try await MosquittoBroker.start()
        var v5 = options(for: broker, "gateway")
        v5.protocolVersion = .v5
        let (client, log) = try await connectedClient(v5)
        #expect(broker.log.contains("as \(v5.clientID) (p5"))
        try await subscribe(client, log, "plantgate/site1/#", qos: .atLeastOnce)
        let mid = try client.publish(topic: "plantgate/site1/status", text: "online", qos: .atLeastOnce)
        #expect(await eventually { log.messages.map(\.text) == ["online"] && log.acknowledged.contains(mid) })
    }

    @Test("a client started before its broker connects once the broker comes up")
    func brokerComesUpLater() async throws {
        let broker = try await MosquittoBroker.start()
        await broker.stop()
        let client = try MQTTClient(options: options(for: broker, "gateway"))
        let log = EventLog.recording(client)
        try client.connect()
        #expect(await eventually { !log.losses.isEmpty })
        try await broker.start()
        #expect(await eventually(timeout: .seconds(8)) { log.acceptedConnects == 1 })
    }

    @Test("without a connection QoS 0 is reported lost, QoS 1 is queued")
    func publishWhileNeverConnected() throws {
        let client = try MQTTClient(options: MQTTClientOptions(host: "127.0.0.1", port: 1, clientID: "offline-gateway"))
        #expect { try client.publish(topic: "plantgate/x", text: "1", qos: .atMostOnce) } throws: { error in
            (error as? MQTTError)?.code == .noConnection
        }
        let queued = try client.publish(topic: "plantgate/x", text: "1", qos: .atLeastOnce)
        #expect(queued.rawValue > 0)
    }

    @Test("disconnect is idempotent and reports a requested disconnect")
    func cleanDisconnect() async throws {
        let broker = try await MosquittoBroker.start()
        let (client, log) = try await connectedClient(options(for: broker, "gateway"))
        client.disconnect()
        client.disconnect()
        #expect(await eventually {
            log.all.contains { if case .disconnected(.requested) = $0 { true } else { false } }
        })
        #expect(log.losses.isEmpty)
    }
}

@Suite("Client teardown")
struct MQTTTeardownTests {
    @Test("the last reference may die inside a handler on the client's network thread")
    func releaseInsideHandler() async throws {
        let broker = try await MosquittoBroker.start()
        let released = EventFlag()
        do {
            let client = try MQTTClient(options: options(for: broker, "short-lived"))
            let holder = ClientHolder(client)
            client.onConnect { _ in
                holder.drop()  // the handler's captured holder is now the only path: it lets go here
                released.raise()
            }
            try client.connect()
        }
        #expect(await eventually { released.isRaised })
        #expect(await eventually { broker.log.contains("disconnected.") })
    }
}

/// Keeps a client alive until `drop()` is called (from a handler in the test above).
final class ClientHolder: Sendable {
    private let client: Mutex<MQTTClient?>
    init(_ client: MQTTClient) { self.client = Mutex(client) }
    func drop() { client.withLock { $0 = nil } }
}

/// A one-way flag set from another thread.
final class EventFlag: Sendable {
    private let raised = Mutex(false)
    func raise() { raised.withLock { $0 = true } }
    var isRaised: Bool { raised.withLock { $0 } }
}
