import Foundation
import MQTT
import Synchronization
import TestSupport

/// A host-side subscriber that keeps every Sparkplug message's bytes in arrival order, and can send
/// commands as a host would.
final class SparkplugRecorder: Sendable {
    struct Message: Sendable {
        let topic: String
        let payload: [UInt8]
        /// The message type element (NBIRTH, DDATA...).
        var type: String {
            let levels = topic.split(separator: "/")
            return levels.count >= 3 ? String(levels[2]) : ""
        }
        /// The device element, nil for node messages.
        var device: String? {
            let levels = topic.split(separator: "/")
            return levels.count >= 5 ? String(levels[4]) : nil
        }
    }

    let client: MQTTClient
    private let received = Mutex<[Message]>([])
    private let subscriptions = Atomic<Int>(0)
    private let acknowledged = Atomic<Int>(0)

    init(port: Int, filters: [String]) async throws {
        var options = MQTTClientOptions(host: "127.0.0.1", port: port, clientID: "scada-\(UUID().uuidString.prefix(8))", keepaliveSeconds: 10,
                                        reconnect: MQTTReconnectBackoff(initialDelaySeconds: 1, maximumDelaySeconds: 1))
        options.maxInflightMessages = 100
        client = try MQTTClient(options: options)
        client.onMessage { [weak self] message in
            self?.received.withLock { $0.append(Message(topic: message.topic, payload: message.payload)) }
        }
        client.onConnect { [weak client, weak self] result in
            guard case .accepted = result else { return }
            for filter in filters { _ = try? client?.subscribe(filter, qos: .atLeastOnce) }
            self?.subscriptions.add(1, ordering: .relaxed)
        }
        let events = client.events
        Task { [weak self] in
            for await event in events {
                if case .subscribed = event { self?.acknowledged.add(1, ordering: .relaxed) }
            }
        }
        try client.connect()
        guard await eventually(timeout: .seconds(10), { self.acknowledged.load(ordering: .relaxed) >= filters.count }) else {
            throw TestSupportError("the Sparkplug recorder got no SUBACK for \(filters) on port \(port)")
        }
    }

    var messages: [Message] { received.withLock { $0 } }

    /// SUBACKs so far: one per filter per (re)connection.
    var subscriptionsAcknowledged: Int { acknowledged.load(ordering: .relaxed) }

    func messages(_ type: String, device: String? = nil) -> [Message] {
        messages.filter { $0.type == type && (device == nil || $0.device == device) }
    }

    /// Messages of the edge node's current births and data (everything but NDEATH), in arrival order.
    func sequenced(after index: Int = 0) -> [Message] {
        Array(messages.dropFirst(index)).filter { $0.topic.hasPrefix("spBv1.0/") && $0.type != "NDEATH" && !$0.type.hasSuffix("CMD") }
    }

    func publish(topic: String, payload: [UInt8]) throws {
        _ = try client.publish(topic: topic, payload: payload, qos: .atLeastOnce, retain: false)
    }

    deinit { client.disconnect() }
}
