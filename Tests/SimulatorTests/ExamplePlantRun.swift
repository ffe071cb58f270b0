import Foundation
import TestSupport

/// One example plant (Deploy/examples/NAME.yaml) served by `plantgate sim` at `speed` with ground truth,
/// and polled by plantgated on the same plant clock: both are given one start and one anchor up front,
/// as docs/simulator.md tells a user to do.
final class ExamplePlantRun: Sendable {
    static let plantStart = "2026-03-10T00:00:00.000Z"

    let scenario: String
    let site: String
    let devices: [String]
    /// The energy counter followed against the truth: device and tag.
    let energy: (device: String, tag: String)
    let speed: Double
    let directory: URL
    let truthPath: String
    let simulatorLog: String
    let simulator: ChildProcess
    let daemon: BuiltExecutable
    let health: TopicRecorder
    let stats: TopicRecorder
    let readings: TopicRecorder
    let periods: TopicRecorder
    /// Real wall time at which both clocks show `plantStart`.
    let anchor: Date

    init(scenario: String, site: String, devices: [String], energy: (device: String, tag: String), speed: Double, brokerPort: Int) async throws {
        self.scenario = scenario
        self.site = site
        self.devices = devices
        self.energy = energy
        self.speed = speed
        directory = try temporaryDirectory("plantgate-\(scenario)")
        let truthPath = directory.appendingPathComponent("truth.jsonl").path
        self.truthPath = truthPath
        simulatorLog = directory.appendingPathComponent("sim.log").path
        // A little ahead, so both processes are up before the plant starts moving.
        anchor = Date(timeIntervalSince1970: ((Date().timeIntervalSince1970 + 3) * 1000).rounded() / 1000)
        let anchorText = Self.rfc3339(anchor)
        let (child, port) = try await CommandLineTests.spawnSim({ port in
            ["sim", scenario, "--listen", "127.0.0.1:\(port)", "--speed", "\(Int(speed))", "--start", Self.plantStart,
             "--anchor", anchorText, "--truth", truthPath]
        }, output: simulatorLog)
        simulator = child
        health = try await TopicRecorder(port: brokerPort, filter: "plantgate/\(site)/devices/+/health")
        stats = try await TopicRecorder(port: brokerPort, filter: "plantgate/\(site)/gateway/stats")
        readings = try await TopicRecorder(port: brokerPort, filter: "plantgate/\(site)/devices/\(energy.device)/\(energy.tag)")
        periods = try await TopicRecorder(port: brokerPort, filter: "plantgate/\(site)/lines/+/periods/+")
        let configPath = directory.appendingPathComponent("plantgate.yaml").path
        try Self.config(scenario, mccPort: port, brokerPort: brokerPort, directory: directory).write(toFile: configPath, atomically: true, encoding: .utf8)
        daemon = try BuiltExecutable("plantgated", arguments: ["--config", configPath], directory: directory,
                                     environment: ["PLANTGATE_SIMULATED_CLOCK": "\(Int(speed))@\(Self.plantStart)@\(anchorText)"])
    }

    /// The example config on this run's ports, broker and directories; everything else as shipped.
    static func config(_ scenario: String, mccPort: Int, brokerPort: Int, directory: URL) throws -> String {
        let path = ProfileReadTests.packageRoot.appendingPathComponent("Deploy/examples/\(scenario).yaml").path
        var text = try String(contentsOfFile: path, encoding: .utf8)
        let replacements = [("port: 1502", "port: \(mccPort)"), ("port: 1503", "port: \(mccPort + 1)"), ("port: 1883", "port: \(brokerPort)"),
                            ("state_dir: /var/lib/plantgate", "state_dir: \(directory.path)/state"),
                            ("control_socket: /run/plantgate/control.sock", "control_socket: \(directory.path)/control.sock")]
        for (old, new) in replacements {
            guard text.contains(old) else { throw TestSupportError("\(path) no longer has '\(old)'; update ExamplePlantRun.config") }
            text = text.replacingOccurrences(of: old, with: new)
        }
        return text
    }

    /// Plant seconds since the start at real time `date`.
    func plantSeconds(at date: Date) -> Double { date.timeIntervalSince(anchor) * speed }

    /// Health reports per device, in arrival order.
    var healthByDevice: [String: [[String: Any]]] {
        var result: [String: [[String: Any]]] = [:]
        for device in devices { result[device] = health.objects(on: "plantgate/\(site)/devices/\(device)/health") }
        return result
    }

    /// Energy readings the daemon published: plant seconds since the start, and the value.
    var energyReadings: [(t: Double, value: Double)] {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let start = formatter.date(from: Self.plantStart) ?? Date()
        return readings.objects(on: "plantgate/\(site)/devices/\(energy.device)/\(energy.tag)").compactMap { object in
            guard let text = object["t"] as? String, let date = formatter.date(from: text), let value = (object["v"] as? NSNumber)?.doubleValue else { return nil }
            return (date.timeIntervalSince(start), value)
        }
    }

    /// Closed period records: each one's period kind and reasons.
    var periodReasons: [(period: String, reasons: [String])] {
        periods.messages.compactMap { message in
            guard let object = try? JSONSerialization.jsonObject(with: Data(message.text.utf8)) as? [String: Any],
                  let period = object["period"] as? String else { return nil }
            return (period, object["reasons"] as? [String] ?? [])
        }
    }

    /// Stops the daemon, then the simulator; the simulator's exit status and how long it took to stop.
    func stop() async -> (daemonLog: String, simulatorLog: String, simulatorExit: Int32?, simulatorStopSeconds: Double) {
        _ = await daemon.terminate()
        let asked = ContinuousClock.now
        simulator.signal(SIGTERM)
        _ = await simulator.waitForExit(timeout: .seconds(10))
        let took = ContinuousClock.now - asked
        let seconds = Double(took.components.seconds) + Double(took.components.attoseconds) / 1e18
        simulator.signal(SIGKILL)
        health.stop()
        stats.stop()
        readings.stop()
        periods.stop()
        return (daemon.log, (try? String(contentsOfFile: simulatorLog, encoding: .utf8)) ?? "", simulator.exitCode, seconds)
    }

    func removeFiles() { try? FileManager.default.removeItem(at: directory) }

    static func rfc3339(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
