import Foundation
import MQTT
import Synchronization
import Testing
import TestSupport

/// Records every event of one client (consuming its `events` stream) for assertions.
final class EventLog: Sendable {
    private let items = Mutex<[MQTTEvent]>([])

    /// Starts recording `client.events`; recording ends when the client is deallocated.
    static func recording(_ client: MQTTClient) -> EventLog {
        let log = EventLog()
        let events = client.events
        Task { for await event in events { log.items.withLock { $0.append(event) } } }
        return log
    }

    var all: [MQTTEvent] { items.withLock { $0 } }

    var messages: [MQTTMessage] {
        all.compactMap { if case .message(let message) = $0 { message } else { nil } }
    }

    func messages(on topic: String) -> [MQTTMessage] { messages.filter { $0.topic == topic } }

    var acknowledged: Set<MQTTMessageID> {
        Set(all.compactMap { if case .published(let mid) = $0 { mid } else { nil } })
    }

    var subscribed: Set<MQTTMessageID> {
        Set(all.compactMap { if case .subscribed(let mid, _) = $0 { mid } else { nil } })
    }

    var acceptedConnects: Int {
        all.filter { if case .connected(.accepted) = $0 { true } else { false } }.count
    }

    var refusals: [MQTTError] {
        all.compactMap { if case .connected(.refused(let error)) = $0 { error } else { nil } }
    }

    var losses: [MQTTError] {
        all.compactMap { if case .disconnected(.lost(let error)) = $0 { error } else { nil } }
    }
}

/// Options for a client of `broker` with a unique client id.
func options(for broker: MosquittoBroker, _ name: String = "client") -> MQTTClientOptions {
    MQTTClientOptions(
        host: "127.0.0.1", port: broker.port, clientID: "\(name)-\(UUID().uuidString.prefix(8))",
        keepaliveSeconds: 10, reconnect: MQTTReconnectBackoff(initialDelaySeconds: 1, maximumDelaySeconds: 2))
}

/// Creates a client, records its events, connects and waits for the broker's CONNACK accepted.
func connectedClient(_ options: MQTTClientOptions) async throws -> (MQTTClient, EventLog) {
    let client = try MQTTClient(options: options)
    let log = EventLog.recording(client)
    try client.connect()
    let accepted = await eventually { log.acceptedConnects > 0 || !log.refusals.isEmpty }
    try #require(accepted && log.refusals.isEmpty, "no CONNACK accepted from \(options.endpoint): \(log.all)")
    return (client, log)
}

/// Subscribes and waits for the SUBACK.
func subscribe(_ client: MQTTClient, _ log: EventLog, _ filter: String, qos: MQTTQoS = .exactlyOnce) async throws {
    let mid = try client.subscribe(filter, qos: qos)
    try #require(await eventually { log.subscribed.contains(mid) }, "no SUBACK for \(filter)")
}
