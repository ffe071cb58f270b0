import Foundation
import Gateway
import Logging
import MQTT
import PlantModel
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// 1,000 registers changing on every poll at 10 Hz, each published (every_poll, QoS 0) to a local
/// mosquitto: 10,000 messages/s, counted by a `mosquitto_sub` child that checks no change was skipped.
struct MQTTFanoutResult: Codable, Sendable {
    var tags: Int
    var intervalMilliseconds: Double
    var seconds: Double
    var publishedPerSecond: Double
    var received: Int
    var receivedPerSecond: Double
    /// Changes a topic skipped between two consecutive messages (value jumped by more than one poll).
    var skipped: Int
    var topicsSeen: Int
    /// Gateway process CPU (servers, broker and subscriber run in other processes).
    var processCPUPercent: Double
    var rssMegabytes: Double
    var publisherDropped: Int
}

enum MQTTFanoutBenchmark {
    static func run(seconds: Double) async throws -> MQTTFanoutResult {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("plantgate-fanout-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let broker = try LocalMosquitto(directory: directory)
        defer { broker.stop() }
        let servers = try RegisterServerProcess(count: 2, changing: true)
        defer { servers.stop() }
        let plan = try BenchmarkPlant.plan(BenchmarkPlant.yaml(registers: 1000, buses: 2, devicesPerBus: 5, interval: "100ms",
                                                               ports: servers.ports, tagType: "uint16", publish: "every_poll", mqttPort: broker.port))

        let received = directory.appendingPathComponent("received.txt")
        _ = FileManager.default.createFile(atPath: received.path, contents: nil)
        let subscriber = Process()
        subscriber.executableURL = URL(fileURLWithPath: "/usr/bin/mosquitto_sub")
        subscriber.arguments = ["-h", "127.0.0.1", "-p", "\(broker.port)", "-t", "plantgate/bench/devices/#", "-v", "-q", "0"]
        subscriber.standardOutput = try FileHandle(forWritingTo: received)
        var environment = ProcessInfo.processInfo.environment
        environment["LD_PRELOAD"] = nil
        subscriber.environment = environment
        try subscriber.run()
        pause(0.5)

        var logger = Logger(label: "plantgate.bench")
        logger.logLevel = .error
        let client = MQTTClientOptions(host: "127.0.0.1", port: broker.port, clientID: "bench-gateway",
                                       reconnect: MQTTReconnectBackoff(initialDelaySeconds: 1, maximumDelaySeconds: 1))
        let limits = OutboxLimits(queueCapacity: 50_000, offlineRawCapacity: 50_000)
        let publisher = try Publisher(options: PublisherOptions(client: client, statusTopic: "plantgate/bench/status", version: "bench", limits: limits),
                                      spool: try Spool(path: directory.appendingPathComponent("spool.db").path, limits: limits), logger: logger)
        try publisher.start()
        let runtime = PlantRuntime(plan: plan, channel: PublisherChannel(publisher: publisher, publish: plan.mqtt.publish), store: nil, logger: logger)
        runtime.start()
        pause(2)
        let cpuBefore = ProcessMeter.processCPUSeconds(), timeBefore = Date()
        let publishedBefore = runtime.publishedRaw.load(ordering: .relaxed)
        pause(seconds)
        let cpuAfter = ProcessMeter.processCPUSeconds(), elapsed = Date().timeIntervalSince(timeBefore)
        let published = runtime.publishedRaw.load(ordering: .relaxed) - publishedBefore
        let resident = ProcessMeter.residentMegabytes()
        runtime.stop()
        await publisher.stop(drainTimeout: .seconds(5))
        pause(0.5)
        subscriber.terminate()
        subscriber.waitUntilExit()

        let (count, topics, skipped) = try tally(received)
        let dropped = publisher.stats.dropped.values.reduce(0, +)
        return MQTTFanoutResult(
            tags: plan.tags.count, intervalMilliseconds: 100, seconds: elapsed, publishedPerSecond: Double(published) / elapsed,
            received: count, receivedPerSecond: Double(count) / (elapsed + 2.5), skipped: skipped, topicsSeen: topics,
            processCPUPercent: (cpuAfter - cpuBefore) / elapsed * 100, rssMegabytes: resident.current, publisherDropped: dropped)
    }

    /// Messages, topics, and changes skipped (each topic's value counts the polls of its request).
    private static func tally(_ file: URL) throws -> (Int, Int, Int) {
        let text = try String(contentsOf: file, encoding: .utf8)
        var last: [Substring: Int] = [:]
        var count = 0, skipped = 0
        for line in text.split(separator: "\n") {
            guard let space = line.firstIndex(of: " ") else { continue }
            let topic = line[..<space]
            guard topic.contains("/devices/"), let start = line.range(of: "\"v\":") else { continue }
            let digits = line[start.upperBound...].prefix { $0.isNumber || $0 == "." }
            guard let value = Double(digits) else { continue }
            count += 1
            let sequence = Int(value)
            if let previous = last[topic] {
                let step = (sequence - previous + 65_536) % 65_536
                if step > 1 { skipped += step - 1 }
            }
            last[topic] = sequence
        }
        return (count, last.count, skipped)
    }
}

/// A private mosquitto on a free loopback port.
final class LocalMosquitto {
    let port: Int
    private let process = Process()

    init(directory: URL) throws {
        port = try Self.freePort()
        var lines = ["listener \(port) 127.0.0.1", "allow_anonymous true", "max_queued_messages 0", "max_inflight_messages 0"]
        if geteuid() == 0 { lines.append("user root") }
        let config = directory.appendingPathComponent("mosquitto.conf")
        try (lines.joined(separator: "\n") + "\n").write(to: config, atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/mosquitto")
        process.arguments = ["-c", config.path]
        var environment = ProcessInfo.processInfo.environment
        environment["LD_PRELOAD"] = nil
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        for _ in 0..<500 where !Self.accepts(port: port) { usleep(10_000) }
        guard Self.accepts(port: port) else { throw BenchmarkFailure("mosquitto did not listen on port \(port) within 5 s") }
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BenchmarkFailure("socket() failed: errno \(errno)") }
        defer { close(fd) }
        var address = loopback(port: 0)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0 else { throw BenchmarkFailure("bind failed: errno \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } } == 0
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}

/// Blocks the calling thread; the benchmark's main flow is sequential on purpose.
private func pause(_ seconds: Double) {
    usleep(UInt32(seconds * 1_000_000))
}
