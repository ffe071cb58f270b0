import Foundation
import MQTT
import Synchronization

/// A subscriber that records every message on a topic filter, for assertions on what reached the broker.
public final class TopicRecorder: Sendable {
    public struct Message: Sendable, Hashable {
        public let topic: String
        public let text: String
        public let retained: Bool
        public let qos: Int

        public init(topic: String, text: String, retained: Bool, qos: Int) {
            self.topic = topic
            self.text = text
            self.retained = retained
            self.qos = qos
        }
    }

    public let client: MQTTClient
    private let store = Store()

    private final class Store: Sendable {
        let received = Mutex<[Message]>([])
        let subscribed = Atomic<Bool>(false)
    }

    /// Connects to the broker on loopback and subscribes to `filter`; waits (bounded) for SUBACK.
    public init(port: Int, filter: String, qos: MQTTQoS = .atLeastOnce, clientID: String? = nil, cleanSession: Bool = true) async throws {
        var options = MQTTClientOptions(host: "127.0.0.1", port: port, clientID: clientID ?? "recorder-\(UUID().uuidString.prefix(8))",
                                        keepaliveSeconds: 10, cleanSession: cleanSession,
                                        reconnect: MQTTReconnectBackoff(initialDelaySeconds: 1, maximumDelaySeconds: 1))
        options.maxInflightMessages = 100
        client = try MQTTClient(options: options)
        let store = store
        client.onMessage { message in
            store.received.withLock {
                $0.append(Message(topic: message.topic, text: String(decoding: message.payload, as: UTF8.self),
                                  retained: message.retain, qos: Int(message.qos.rawValue)))
            }
        }
        client.onConnect { [weak client] result in
            if case .accepted = result {
                _ = try? client?.subscribe(filter, qos: qos)
                store.subscribed.store(true, ordering: .relaxed)
            }
        }
        try client.connect()
        guard await eventually(timeout: .seconds(10), { store.subscribed.load(ordering: .relaxed) }) else {
            throw TestSupportError("recorder could not subscribe to \(filter) on port \(port)")
        }
        // SUBACK follows the subscribe quickly on loopback; give the broker a moment to register it.
        try await Task.sleep(for: .milliseconds(150))
    }

    public var messages: [Message] { store.received.withLock { $0 } }

    public func messages(on topic: String) -> [Message] { messages.filter { $0.topic == topic } }

    /// Parsed JSON objects of the messages on a topic.
    public func objects(on topic: String) -> [[String: Any]] {
        messages(on: topic).compactMap { try? JSONSerialization.jsonObject(with: Data($0.text.utf8)) as? [String: Any] }
    }

    public func stop() { client.disconnect() }

    deinit { client.disconnect() }
}
