import Foundation
import Gateway
import Logging
import MQTT
import Outbox
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Figures of the MQTT publishing path on loopback, as `runPublisherBenchmarks` measured them.
struct PublisherBenchmarkResults: Codable, Sendable {
    /// Messages per run.
    var messages: Int
    /// Raw tags (QoS 0) through `Publisher`, counted as received by a subscriber.
    var qos0MessagesPerSecond: Double
    /// Share of the QoS 0 messages the subscriber received.
    var qos0Delivered: Double
    /// Metrics (durable, QoS 1) through `Publisher`: spooled, published and acknowledged, then deleted.
    var qos1AcknowledgedMessagesPerSecond: Double
    /// `Spool.append` in batches of 100 (one fsync per batch, `synchronous = FULL`).
    var spoolBatchedAppendMessagesPerSecond: Double
    /// `Spool.append` one message per transaction (one fsync each): the worst case.
    var spoolSingleAppendMessagesPerSecond: Double
    /// Spooled during an outage, then replayed after the broker came back, until all were acknowledged.
    var replayMessagesPerSecond: Double
}

/// Runs every publisher benchmark against a private mosquitto on a free loopback port.
/// - Parameter messages: messages per measurement (the single-append spool figure uses a tenth).
func runPublisherBenchmarks(messages: Int = 20_000) async throws -> PublisherBenchmarkResults {
    let broker = try BenchmarkBroker()
    defer { broker.stop() }
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("plantgate-bench-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }

    let (qos0Rate, delivered) = try await measureQoS0(broker: broker, directory: directory, messages: messages)
    let qos1Rate = try await measureDurable(broker: broker, directory: directory, messages: messages)
    let (batched, single) = try measureSpoolAppends(directory: directory, messages: messages)
    let replay = try await measureReplay(broker: broker, directory: directory, messages: messages)
    return PublisherBenchmarkResults(
        messages: messages, qos0MessagesPerSecond: qos0Rate, qos0Delivered: delivered, qos1AcknowledgedMessagesPerSecond: qos1Rate,
        spoolBatchedAppendMessagesPerSecond: batched, spoolSingleAppendMessagesPerSecond: single, replayMessagesPerSecond: replay)
}

private func benchmarkPublisher(port: Int, spoolPath: String, messages: Int) throws -> Publisher {
    let client = MQTTClientOptions(
        host: "127.0.0.1", port: port, clientID: "bench-\(UUID().uuidString.prefix(8))",
        reconnect: MQTTReconnectBackoff(initialDelaySeconds: 1, maximumDelaySeconds: 1))
    let limits = OutboxLimits(queueCapacity: messages + 100, offlineRawCapacity: messages)
    let options = PublisherOptions(client: client, statusTopic: "bench/site/status", version: "bench", limits: limits)
    var logger = Logger(label: "plantgate.bench")
    logger.logLevel = .error
    return try Publisher(options: options, spool: try Spool(path: spoolPath, limits: limits), logger: logger)
}

private func payload(_ index: Int) -> [UInt8] {
    Array(#"{"seq":\#(index),"v":412.7,"u":"kW","q":"good","t":"2026-11-27T09:15:00.250Z"}"#.utf8)
}

private func waitUntil(timeout: Duration, _ condition: () -> Bool) async -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    while clock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(2))
    }
    return condition()
}

private func rate(_ count: Int, _ elapsed: Duration) -> Double {
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return seconds > 0 ? Double(count) / seconds : 0
}

private func measureQoS0(broker: BenchmarkBroker, directory: String, messages: Int) async throws -> (Double, Double) {
    let received = Mutex(0)
    let subscriber = try MQTTClient(options: MQTTClientOptions(host: "127.0.0.1", port: broker.port, clientID: "bench-sub"))
    subscriber.onMessage { message in if message.topic == "bench/site/raw" { received.withLock { $0 += 1 } } }
    let subscribed = Mutex(false)
    subscriber.onConnect { _ in _ = try? subscriber.subscribe("bench/#", qos: .atMostOnce); subscribed.withLock { $0 = true } }
    try subscriber.connect()
    defer { subscriber.disconnect() }
    let publisher = try benchmarkPublisher(port: broker.port, spoolPath: directory + "/qos0.sqlite", messages: messages)
    try publisher.start()
    _ = await waitUntil(timeout: .seconds(5)) { publisher.stats.connected && subscribed.withLock { $0 } }
    try? await Task.sleep(for: .milliseconds(100))  // let the SUBSCRIBE reach the broker

    let start = ContinuousClock.now
    for index in 0..<messages {
        publisher.publish(OutboxMessage(topic: "bench/site/raw", payload: payload(index), qos: .atMostOnce, retain: false, messageClass: .raw))
    }
    _ = await waitUntil(timeout: .seconds(30)) { received.withLock { $0 } >= messages }
    let elapsed = ContinuousClock.now - start
    let count = received.withLock { $0 }
    await publisher.stop(drainTimeout: .seconds(1))
    return (rate(count, elapsed), Double(count) / Double(messages))
}

private func measureDurable(broker: BenchmarkBroker, directory: String, messages: Int) async throws -> Double {
    let publisher = try benchmarkPublisher(port: broker.port, spoolPath: directory + "/qos1.sqlite", messages: messages)
    try publisher.start()
    _ = await waitUntil(timeout: .seconds(5)) { publisher.stats.connected }
    let start = ContinuousClock.now
    for index in 0..<messages {
        publisher.publish(OutboxMessage(topic: "bench/site/metric", payload: payload(index), qos: .atLeastOnce, retain: false, messageClass: .metric))
    }
    _ = await waitUntil(timeout: .seconds(120)) { publisher.stats.acknowledged >= messages }
    let elapsed = ContinuousClock.now - start
    let acknowledged = publisher.stats.acknowledged
    await publisher.stop(drainTimeout: .seconds(1))
    return rate(acknowledged, elapsed)
}

private func measureSpoolAppends(directory: String, messages: Int) throws -> (Double, Double) {
    let batchedSpool = try Spool(path: directory + "/append-batched.sqlite")
    let batch = (0..<100).map { OutboxMessage(topic: "bench/site/metric", payload: payload($0), qos: .atLeastOnce, retain: false, messageClass: .metric) }
    var start = ContinuousClock.now
    for _ in 0..<(messages / 100) { try batchedSpool.append(batch) }
    let batched = rate(messages / 100 * 100, ContinuousClock.now - start)

    let singleSpool = try Spool(path: directory + "/append-single.sqlite")
    let singles = max(1, messages / 10)
    start = ContinuousClock.now
    for index in 0..<singles { try singleSpool.append([batch[index % 100]]) }
    return (batched, rate(singles, ContinuousClock.now - start))
}

private func measureReplay(broker: BenchmarkBroker, directory: String, messages: Int) async throws -> Double {
    broker.stop()
    let publisher = try benchmarkPublisher(port: broker.port, spoolPath: directory + "/replay.sqlite", messages: messages)
    try publisher.start()
    for index in 0..<messages {
        publisher.publish(OutboxMessage(topic: "bench/site/period", payload: payload(index), qos: .atLeastOnce, retain: false, messageClass: .period))
    }
    _ = await waitUntil(timeout: .seconds(60)) { publisher.stats.spoolDepth >= messages }
    try broker.start()
    _ = await waitUntil(timeout: .seconds(10)) { publisher.stats.connected }
    let start = ContinuousClock.now
    _ = await waitUntil(timeout: .seconds(120)) { publisher.stats.acknowledged >= messages }
    let elapsed = ContinuousClock.now - start
    let acknowledged = publisher.stats.acknowledged
    await publisher.stop(drainTimeout: .seconds(1))
    return rate(acknowledged, elapsed)
}
