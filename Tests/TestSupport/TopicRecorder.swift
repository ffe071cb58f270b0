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

    /// Connects to the broker on loopback and subscribes to `filter`; returns once the broker acknowledged
    /// the subscription (SUBACK), so nothing published after `init` is missed.
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
        client.onSubscribe { _, granted in
            if granted.allSatisfy({ $0 != 128 }) { store.subscribed.store(true, ordering: .releasing) }
        }
        client.onConnect { [weak client] result in
            if case .accepted = result { _ = try? client?.subscribe(filter, qos: qos) }
        }
        try client.connect()
        // SUBACK: from here on the broker delivers every message published on `filter`.
        guard await eventually(timeout: .seconds(10), { store.subscribed.load(ordering: .acquiring) }) else {
            throw TestSupportError("no SUBACK for \(filter) on port \(port) within 10 s (the broker is not answering, or it refused the filter)")
        }
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
