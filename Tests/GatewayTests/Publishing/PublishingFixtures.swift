import Foundation
import Gateway
import Logging
import MQTT
import Outbox
import Synchronization
import Testing
import TestSupport

/// Log lines a publisher wrote, for assertions about what the operator sees.
final class CapturedLog: Sendable {
    private let lines = Mutex<[(level: Logger.Level, text: String)]>([])

    var logger: Logger {
        Logger(label: "plantgate.test") { _ in CapturingLogHandler(sink: self) }
    }

    func append(_ level: Logger.Level, _ text: String) { lines.withLock { $0.append((level, text)) } }

    func lines(atLeast level: Logger.Level) -> [String] {
        lines.withLock { $0.filter { $0.level >= level }.map(\.text) }
    }
}

struct CapturingLogHandler: LogHandler {
    let sink: CapturedLog
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) { sink.append(event.level, event.message.description) }
}

/// Messages one subscriber received, in arrival order.
final class Inbox: Sendable {
    private final class Received: Sendable {
        let messages = Mutex<[MQTTMessage]>([])
    }

    private let received = Received()
    let client: MQTTClient

    /// Connects a subscriber (optionally with a persistent session) and subscribes to `filter` at QoS 1.
    init(broker: MosquittoBroker, filter: String = "plantgate/#", clientID: String? = nil, credentials: MQTTCredentials? = nil) async throws {
        let options = MQTTClientOptions(
            host: "127.0.0.1", port: broker.port, clientID: clientID ?? "scada-\(UUID().uuidString.prefix(8))",
            keepaliveSeconds: 10, cleanSession: clientID == nil, credentials: credentials,
            reconnect: MQTTReconnectBackoff(initialDelaySeconds: 1, maximumDelaySeconds: 1))
        client = try MQTTClient(options: options)
        let connects = Mutex(0)
        let received = self.received
        client.onMessage { message in received.messages.withLock { $0.append(message) } }
        client.onConnect { result in if case .accepted = result { connects.withLock { $0 += 1 } } }
        try client.connect()
        try #require(await eventually { connects.withLock { $0 } > 0 }, "subscriber did not connect")
        let subscribed = Mutex(false)
        let events = client.events
        let watcher = Task {
            for await event in events { if case .subscribed = event { subscribed.withLock { $0 = true }; return } }
        }
        try client.subscribe(filter, qos: .atLeastOnce)
        try #require(await eventually { subscribed.withLock { $0 } }, "no SUBACK for \(filter)")
        watcher.cancel()
    }

    var messages: [MQTTMessage] { received.messages.withLock { $0 } }
    func messages(on topic: String) -> [MQTTMessage] { messages.filter { $0.topic == topic } }
}

/// A temporary directory for one test's spool.
struct ScratchDirectory {
    let path: String
    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("plantgate-spool-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    var spoolPath: String { path + "/spool.sqlite" }
    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// Publisher options for a test broker: site `site1`, quick reconnects.
func publisherOptions(
    port: Int, limits: OutboxLimits = OutboxLimits(), credentials: MQTTCredentials? = nil, clientID: String? = nil
) -> PublisherOptions {
    let client = MQTTClientOptions(
        host: "127.0.0.1", port: port, clientID: clientID ?? "gateway-\(UUID().uuidString.prefix(8))", keepaliveSeconds: 10,
        credentials: credentials, reconnect: MQTTReconnectBackoff(initialDelaySeconds: 1, maximumDelaySeconds: 2))
    return PublisherOptions(client: client, statusTopic: "plantgate/site1/status", version: "0.7.0-test", limits: limits)
}

/// A JSON payload with a sequence number, like a period record or a metric value.
func sequenced(_ topic: String, seq: Int, _ messageClass: MessageClass, padding: Int = 0) -> OutboxMessage {
    let pad = String(repeating: "x", count: padding)
    return OutboxMessage(
        topic: topic, text: #"{"seq":\#(seq),"v":\#(Double(seq) * 1.5),"t":"2026-11-27T09:15:00.250Z","pad":"\#(pad)"}"#,
        qos: messageClass == .raw ? .atMostOnce : .atLeastOnce, retain: false, messageClass: messageClass)
}

/// The JSON object of a received message.
func json(_ message: MQTTMessage) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(message.payload))) as? [String: Any] ?? [:]
}

func seq(_ message: MQTTMessage) -> Int { json(message)["seq"] as? Int ?? -1 }
func isHistorical(_ message: MQTTMessage) -> Bool { json(message)["hist"] as? Bool == true }

/// Sequence numbers in order of first arrival (a duplicate, detectable by its seq, is skipped).
func firstArrivals(_ messages: [MQTTMessage]) -> [Int] {
    var seen = Set<Int>()
    return messages.map(seq).filter { seen.insert($0).inserted }
}
