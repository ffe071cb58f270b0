import Foundation
import PlantModel

#if canImport(Glibc)
import Glibc
#endif

/// Figures of the shipped daemon measured from outside, as an operator would: `plantgated` (the release
/// binary beside this one) polls the register servers and publishes every value to a private mosquitto;
/// its CPU and memory come from /proc/PID, the messages from a `mosquitto_sub` child.
struct DaemonBenchmarkResult: Codable, Sendable {
    var name: String
    var registers: Int
    var tags: Int
    var intervalMilliseconds: Double
    var publish: String
    var seconds: Double
    /// Tags × polls per second: what arrives at the subscriber when every poll changes every value.
    var expectedMessagesPerSecond: Double
    var receivedMessagesPerSecond: Double
    /// Polls of one topic the subscriber never saw (uint16 runs only: each poll bumps the value by one).
    var skipped: Int?
    var topicsSeen: Int
    /// `plantgated`'s user + system CPU over the window, in % of one core.
    var daemonCPUPercent: Double
    var daemonCPUSecondsPerMillionSamples: Double
    /// The highest RSS sampled (once a second) over the window, after warm-up: the steady state, which
    /// periodic work (snapshots, stats, heartbeats) reaches only after a minute or two.
    var rssMegabytes: Double
    /// VmHWM: the highest RSS since start, start-up (config parse, migrations) included.
    var peakRSSMegabytes: Double
    /// Heap and stacks at that highest sample; the rest of RSS is clean pages of the executable and
    /// libraries.
    var anonymousRSSMegabytes: Double
    /// The daemon's own `gateway/stats` message at the end of the run (jitter, requests/s, queue, spool).
    var gatewayStats: String?
}

enum DaemonBenchmark {
    static func run(name: String, registers: Int, buses: Int, devicesPerBus: Int, intervalMilliseconds: Int,
                    tagType: String?, publish: String, warmup: Double, seconds: Double, changing: Bool = true) throws -> DaemonBenchmarkResult {
        let servers = try RegisterServerProcess(count: buses, changing: changing)
        defer { servers.stop() }
        let run = try DaemonRun("daemon")
        defer { run.stop() }
        let (directory, broker) = (run.directory, run.broker)

        var yaml = BenchmarkPlant.yaml(registers: registers, buses: buses, devicesPerBus: devicesPerBus, interval: "\(intervalMilliseconds)ms",
                                       ports: servers.ports, tagType: tagType, publish: publish, mqttPort: broker.port)
        let plan = try BenchmarkPlant.plan(yaml)
        yaml += "state_dir: \(directory.path)\ncontrol_socket: \(directory.path)/control.sock\nlog_level: warning\n"

        let received = directory.appendingPathComponent("received.txt")
        _ = try run.start("/usr/bin/mosquitto_sub", ["-h", "127.0.0.1", "-p", "\(broker.port)", "-t", "plantgate/bench/devices/#", "-v", "-q", "0"],
                          log: received.lastPathComponent)
        let daemon = try run.startDaemon(siblingExecutable("plantgated"), config: yaml, warmup: warmup)
        let start = (time: DaemonRun.now(), cpu: ProcessMeter.cpuSeconds(process: "\(daemon.processIdentifier)"), lines: try tally(received).messages)
        var memory = ProcessMeter.residentMegabytes(process: "\(daemon.processIdentifier)")
        while DaemonRun.now() - start.time < seconds {
            Thread.sleep(forTimeInterval: 1)
            let now = ProcessMeter.residentMegabytes(process: "\(daemon.processIdentifier)")
            if now.current > memory.current { memory = now }
        }
        let end = (time: DaemonRun.now(), cpu: ProcessMeter.cpuSeconds(process: "\(daemon.processIdentifier)"), lines: try tally(received).messages)
        memory.peak = ProcessMeter.residentMegabytes(process: "\(daemon.processIdentifier)").peak
        let stats = retainedStats(port: broker.port)
        let elapsed = end.time - start.time
        let messages = Double(end.lines - start.lines)
        let counts = try tally(received)
        return DaemonBenchmarkResult(
            name: name, registers: BenchmarkPlant.registerCount(plan), tags: plan.tags.count, intervalMilliseconds: Double(intervalMilliseconds),
            publish: publish, seconds: elapsed, expectedMessagesPerSecond: Double(plan.tags.count) * 1000 / Double(intervalMilliseconds),
            receivedMessagesPerSecond: messages / elapsed, skipped: tagType == "uint16" ? counts.skipped : nil, topicsSeen: counts.topics,
            daemonCPUPercent: (end.cpu - start.cpu) / elapsed * 100,
            daemonCPUSecondsPerMillionSamples: (end.cpu - start.cpu) / max(1, messages) * 1e6,
            rssMegabytes: memory.current, peakRSSMegabytes: memory.peak, anonymousRSSMegabytes: memory.anonymous, gatewayStats: stats)
    }

    /// The directory of this benchmark, where `swift build` puts `plantgated` and `plantgate` too.
    static func siblingDirectory() -> String {
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: me).deletingLastPathComponent().path
    }

    /// The daemon built beside this benchmark (`swift build -c release` builds both).
    private static func siblingExecutable(_ name: String) throws -> String {
        let path = URL(fileURLWithPath: siblingDirectory()).appendingPathComponent(name).path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw BenchmarkFailure("\(path) not found: build it first with `swift build -c release`")
        }
        return path
    }

    static func child(_ path: String, _ arguments: [String], output: URL) throws -> Process {
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = process.standardOutput
        var environment = ProcessInfo.processInfo.environment
        // Neither the allocation counter nor a test's notify socket belongs to the measured daemon.
        environment["LD_PRELOAD"] = nil
        environment["NOTIFY_SOCKET"] = nil
        // As systemd/plantgated.service runs it.
        for (key, value) in try unitEnvironment() { environment[key] = value }
        process.environment = environment
        try process.run()
        return process
    }

    /// The `Environment=` settings of the shipped unit (the benchmark runs from the repository root).
    static func unitEnvironment(unit: String = "systemd/plantgated.service") throws -> [String: String] {
        guard let text = try? String(contentsOfFile: unit, encoding: .utf8) else {
            throw BenchmarkFailure("\(unit) not found: run the benchmark from the repository root")
        }
        var settings: [String: String] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("Environment=") {
            for assignment in line.dropFirst("Environment=".count).split(separator: " ") {
                let parts = assignment.split(separator: "=", maxSplits: 1)
                if parts.count == 2 { settings[String(parts[0])] = String(parts[1]) }
            }
        }
        return settings
    }

    static func stopChild(_ process: Process) {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    /// The retained `gateway/stats` message, as a control room would read it.
    private static func retainedStats(port: Int) -> String? {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("plantgate-stats-\(UUID().uuidString.prefix(8)).txt")
        defer { try? FileManager.default.removeItem(at: directory) }
        guard let process = try? child("/usr/bin/mosquitto_sub", ["-h", "127.0.0.1", "-p", "\(port)", "-t", "plantgate/bench/gateway/stats", "-C", "1", "-W", "5"],
                                       output: directory) else { return nil }
        process.waitUntilExit()
        let text = (try? String(contentsOf: directory, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        return text?.isEmpty == false ? text : nil
    }

    /// Messages received so far, distinct raw topics, and polls skipped (uint16 values count the polls of their request).
    static func tally(_ file: URL) throws -> (messages: Int, topics: Int, skipped: Int) {
        let text = try String(contentsOf: file, encoding: .utf8)
        var last: [Substring: Int] = [:]
        var topics = Set<Substring>()
        var count = 0, skipped = 0
        for line in text.split(separator: "\n") {
            guard let space = line.firstIndex(of: " "), let start = line.range(of: "\"v\":") else { continue }
            let topic = line[..<space]
            count += 1
            topics.insert(topic)
            let digits = line[start.upperBound...].prefix { $0.isNumber || $0 == "." || $0 == "-" }
            guard let value = Double(digits), value == value.rounded() else { continue }
            let sequence = Int(value)
            if let previous = last[topic] {
                let step = (sequence - previous + 65_536) % 65_536
                if step > 1 { skipped += step - 1 }
            }
            last[topic] = sequence
        }
        return (count, topics.count, skipped)
    }
}
