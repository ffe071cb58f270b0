import Foundation
import MQTT
import PlantgateConsole
import Synchronization

/// Subscribes read-only to a broker's plantgate topics for a while and returns what arrived.
enum FleetListener {
    struct Received: Sendable {
        var message: MQTTMessage
        var at: Date
    }

    /// Connects, subscribes to `filters`, collects for `window` after the subscription is acknowledged,
    /// disconnects. Throws a `CLIFailure` (exit 69) when the broker cannot be reached or refuses.
    static func collect(options: MQTTClientOptions, filters: [String], window: Duration) async throws -> [Received] {
        let client: MQTTClient
        do { client = try MQTTClient(options: options) } catch {
            throw CLIFailure("cannot set up the MQTT client for \(options.endpoint): \(error)", status: PlantgateExit.usage)
        }
        let received = Mutex<[Received]>([])
        let connection = Mutex<MQTTConnectResult?>(nil)
        let acknowledged = Atomic<Int>(0)
        let lost = Mutex<String?>(nil)
        client.onDisconnect { reason in if case .lost(let error) = reason { lost.withLock { $0 = "\(error)" } } }
        client.onMessage { message in received.withLock { $0.append(Received(message: message, at: Date())) } }
        client.onConnect { result in
            connection.withLock { $0 = result }
            guard case .accepted = result else { return }
            for filter in filters { _ = try? client.subscribe(filter, qos: .atMostOnce) }
        }
        let events = client.events
        let watcher = Task {
            for await event in events { if case .subscribed = event { acknowledged.add(1, ordering: .relaxed) } }
        }
        defer { watcher.cancel(); client.disconnect() }
        do { try client.connect() } catch {
            throw CLIFailure("cannot connect to \(options.endpoint): \(error). Check --broker and that the broker runs.", status: PlantgateExit.unavailable)
        }
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(10))
        while acknowledged.load(ordering: .relaxed) < filters.count {
            if case .refused(let error) = connection.withLock({ $0 }) {
                throw CLIFailure("\(options.endpoint) refused the connection: \(error). Check the TLS and credential options.", status: PlantgateExit.unavailable)
            }
            if clock.now >= deadline {
                let why = connection.withLock { $0 } == nil
                    ? "no MQTT broker answered at \(options.endpoint) within 10 s\(lost.withLock { $0 }.map { " (\($0))" } ?? ""). Check --broker, the network and the TLS options."
                    : "\(options.endpoint) did not acknowledge the subscriptions within 10 s: may these credentials subscribe to \(filters[0])?"
                throw CLIFailure(why, status: PlantgateExit.unavailable)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        // Retained messages follow each SUBACK at once; live ones (stats every 10 s) need the window.
        try await Task.sleep(for: window)
        return received.withLock { $0 }
    }
}
