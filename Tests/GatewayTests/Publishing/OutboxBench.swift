import Foundation
import Modbus
import Outbox
import Synchronization
import Testing
import TestSupport

/// A meter whose 300 plain registers change on every request (register a reads `a + n` after n requests),
/// with a rising energy counter (`holding:1000`, uint32 Wh) and a constant power (`holding:1002`, 412.75 kW).
final class ChangingMeter: ModbusRequestHandler {
    private let requests = Atomic<Int>(0)

    func reply(to request: ModbusRequest) -> ModbusReply {
        guard request.unit == 1 else { return .silence }
        let tick = requests.add(1, ordering: .relaxed).newValue
        let energy = UInt32(truncatingIfNeeded: tick * 10)
        let start = Int(request.address)
        return .registers((0..<Int(request.count)).map { offset in
            switch start + offset {
            case 1000: UInt16(energy >> 16)
            case 1001: UInt16(energy & 0xFFFF)
            case 1002: 0x43CE
            case 1003: 0x6000
            case let address: UInt16(truncatingIfNeeded: address + tick)
            }
        })
    }
}

/// One plantgated on an accelerated plant clock (an hour every 10 s), polling 300 changing tags at 5 Hz
/// from a `ChangingMeter`, with one line, against a broker the test stops and starts. A fleet test runs
/// several, each with its own `siteID`, fewer tags and a slower poll.
struct OutboxBench {
    /// Plant seconds per real second: hourly periods close every 10 s.
    static let speed = 360.0
    static let site = "ob"
    static let tagCount = 300

    let siteID: String
    let directory: URL
    let configPath: URL
    /// Plant time `plantStart` was current at real time `anchor`.
    let plantStart: Date
    let anchor: Date

    /// `fallbackPorts`: further loopback brokers, so the config lists them all in `mqtt.hosts`.
    init(brokerPort: Int, meterPort: Int, extra: String = "", publish: String = "",
         site: String = Self.site, tagCount: Int = Self.tagCount, interval: String = "200ms", fallbackPorts: [Int] = []) throws {
        siteID = site
        directory = try temporaryDirectory("plantgate-outbox")
        configPath = directory.appendingPathComponent("plantgate.yaml")
        plantStart = Date(timeIntervalSince1970: 1_773_129_600)   // 2026-03-10T08:00:00Z: no midnight in the run
        anchor = Date()
        try Self.config(brokerPort: brokerPort, meterPort: meterPort, directory: directory, extra: extra, publish: publish,
                        site: site, tagCount: tagCount, interval: interval, fallbackPorts: fallbackPorts)
            .write(to: configPath, atomically: true, encoding: .utf8)
    }

    var spoolPath: String { directory.appendingPathComponent("state/spool.sqlite").path }
    var socketPath: String { directory.appendingPathComponent("control.sock").path }

    /// Plant time now, as the daemon computes it.
    var plantNow: Date { plantStart.addingTimeInterval(Date().timeIntervalSince(anchor) * Self.speed) }

    /// Starts plantgated on the bench's clock (a restart continues the same plant time).
    func startDaemon() throws -> BuiltExecutable {
        try BuiltExecutable("plantgated", arguments: ["--config", configPath.path], directory: directory,
                            environment: PlantClock(speed: Self.speed, start: plantStart, anchor: anchor).environment)
    }

    /// End times of the hourly periods that have certainly closed by now (the engine closes a period
    /// 5 real seconds after its end on this clock; `slack` more real seconds are allowed for publishing).
    func closedHourEnds(slack: TimeInterval = 2) -> [Date] {
        let closedBefore = plantNow.addingTimeInterval(-(5 + slack) * Self.speed).timeIntervalSince1970
        let first = (plantStart.timeIntervalSince1970 / 3600).rounded(.down) * 3600 + 3600
        return stride(from: first, through: closedBefore, by: 3600).map { Date(timeIntervalSince1970: $0) }
    }

    /// `plantgate status --json`'s `broker` object, nil while the socket does not answer.
    func brokerStatus() async -> [String: Any]? {
        guard let result = try? await ProcessRunner.run(BuiltExecutable.path("plantgate"), ["status", "--socket", socketPath, "--json"]),
              let object = try? JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any] else { return nil }
        return object["broker"] as? [String: Any]
    }

    /// Runs one SQL statement on the spool with the sqlite3 CLI (readers do not disturb the daemon's WAL).
    func spoolQuery(_ sql: String) async throws -> [String] {
        let result = try await ProcessRunner.runChecked("/usr/bin/sqlite3", [spoolPath, sql])
        return result.standardOutput.split(separator: "\n").map(String.init)
    }

    static func config(brokerPort: Int, meterPort: Int, directory: URL, extra: String, publish: String,
                       site: String = Self.site, tagCount: Int = Self.tagCount, interval: String = "200ms",
                       fallbackPorts: [Int] = []) -> String {
        let broker = fallbackPorts.isEmpty
            ? "host: 127.0.0.1\n  port: \(brokerPort)"
            : "hosts: [\(([brokerPort] + fallbackPorts).map { "\"127.0.0.1:\($0)\"" }.joined(separator: ", "))]"
        let tags = (0..<tagCount).map { index in
            "      t\(String(format: "%03d", index)): {register: \"holding:\(index)\", type: uint16, unit: \"1\"}"
        }.joined(separator: "\n")
        return """
            site: {id: \(site), time_zone: UTC}
            mqtt:
              \(broker)
              keepalive: 5s
              client_id: \(site == Self.site ? "plantgate-outbox-test" : "plantgate-\(site)")
              \(publish.isEmpty ? "" : "publish: \(publish)")
              \(extra)
            buses:
              - {id: mcc, tcp: {host: 127.0.0.1, port: \(meterPort)}, response_timeout: 300ms}
            devices:
              - id: pm
                bus: mcc
                unit: 1
                interval: \(interval)
                tags:
                  energy: {register: "holding:1000", type: uint32, order: ABCD, unit: Wh, kind: counter}
                  power: {register: "holding:1002", type: float32, order: ABCD, unit: kW}
            \(tags)
            lines:
              - id: l1
                name: Line 1
                product: {name: "LiOH·H2O", lce_factor: 0.8804, min_t: 0.2}
                inputs:
                  - {tag: pm/energy, role: electricity_import}
                  - {tag: pm/power, role: active_power}
            factors:
              grid: {id: test-grid, kgco2e_per_kwh: 0.8, source: test, vintage: 2024}
            state_dir: \(directory.path)/state
            control_socket: \(directory.path)/control.sock
            log_level: info
            """
    }
}

/// Period records and metric messages as a subscriber saw them, with the checks the outage tests make.
struct LedgerView {
    let messages: [TopicRecorder.Message]

    static func object(_ message: TopicRecorder.Message) -> [String: Any]? {
        try? JSONSerialization.jsonObject(with: Data(message.text.utf8)) as? [String: Any]
    }

    /// `seq` of every hourly record in arrival order (duplicates kept).
    func hourSeqs(site: String) -> [Int] {
        messages.filter { $0.topic == "plantgate/\(site)/lines/l1/periods/hour" }.compactMap { Self.object($0)?["seq"] as? Int }
    }

    /// End time of every distinct hourly record, by seq.
    func hourEnds(site: String) -> [Int: String] {
        var ends: [Int: String] = [:]
        for message in messages where message.topic == "plantgate/\(site)/lines/l1/periods/hour" {
            guard let object = Self.object(message), let seq = object["seq"] as? Int, let end = object["end"] as? String else { continue }
            ends[seq] = end
        }
        return ends
    }

    /// Metric messages (not period records) per topic, in arrival order.
    func metricsByTopic(site: String) -> [String: [[String: Any]]] {
        var byTopic: [String: [[String: Any]]] = [:]
        for message in messages where message.topic.hasPrefix("plantgate/\(site)/lines/") && !message.topic.contains("/periods/") && !message.retained {
            if let object = Self.object(message) { byTopic[message.topic, default: []].append(object) }
        }
        return byTopic
    }

    /// Each metric topic in time order, running from before `outageStart` to after `outageEnd` without a
    /// hole longer than three live intervals (a `demand_kw_15m` topic: no missing 15-minute block).
    /// Delivery is at least once (docs/mqtt.md): a message the broker took but did not acknowledge before an
    /// outage can come again after later ones. So order and holes are judged on the first copy of each
    /// timestamp, as a subscriber that deduplicates sees them, and a repeat must carry the first copy's value.
    func expectContinuousMetrics(site: String, across outageStart: Date, _ outageEnd: Date, liveInterval: Double,
                                 _ context: String = "", sourceLocation: SourceLocation = #_sourceLocation) {
        for (topic, objects) in metricsByTopic(site: site) {
            let stamped = objects.compactMap { object in
                (object["t"] as? String).flatMap(GatewayOutageTests.date).map { (time: $0, value: "\(object["v"] ?? "none")") }
            }
            #expect(stamped.count == objects.count, sourceLocation: sourceLocation)
            var firstValue: [Date: String] = [:]
            var times: [Date] = []
            for message in stamped {
                if let value = firstValue[message.time] {
                    #expect(value == message.value, "\(context)\(topic): a repeat of \(message.time) carries \(message.value), the first copy \(value)", sourceLocation: sourceLocation)
                } else {
                    firstValue[message.time] = message.value
                    times.append(message.time)
                }
            }
            #expect(times == times.sorted(), "\(context)\(topic) out of order", sourceLocation: sourceLocation)
            let gaps = zip(times.dropFirst(), times).map { $0.timeIntervalSince($1) }
            if topic.hasSuffix("/demand_kw_15m") {
                #expect(gaps.allSatisfy { $0 == 0 || $0 == 900 }, "\(context)\(topic): a 15 min block is missing: \(gaps)", sourceLocation: sourceLocation)
            } else {
                #expect((gaps.max() ?? 0) <= 3 * liveInterval, "\(context)\(topic): hole of \(gaps.max() ?? 0) plant s", sourceLocation: sourceLocation)
            }
            #expect((times.last ?? .distantPast) > outageEnd, "\(context)\(topic) resumed after the outage", sourceLocation: sourceLocation)
            #expect((times.first ?? .distantFuture) < outageStart, "\(context)\(topic) started before the outage", sourceLocation: sourceLocation)
        }
    }
}
