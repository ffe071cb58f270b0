import Foundation
import Gateway
import Testing
import TestSupport

/// A test bench on one accelerated clock: `plantgate sim --speed K` serving the lithium-hydroxide plant
/// and writing ground truth, a mosquitto broker, a recorder on the period topics, and plantgated with
/// `PLANTGATE_SIMULATED_CLOCK` set to the simulator's speed, start and real start time.
///
/// The plant starts `lead` real seconds before a local midnight in Asia/Almaty, so the whole local day
/// that follows closes `86 400 / K` real seconds later.
final class GroundTruthBench: @unchecked Sendable {
    /// The default plant clock speed.
    static let speed = 480.0
    static let site = "kz-lioh"
    static let zone = TimeZone(identifier: "Asia/Almaty") ?? .gmt

    /// This bench's plant clock speed (real time × `speed`).
    let speed: Double
    /// Broker, simulator and the private directory the daemon runs in.
    let harness: GatewayHarness
    var directory: URL { harness.directory }
    var broker: MosquittoBroker { harness.broker }
    /// Records the period topics; `stats` and `energy` the gateway's figures and the incomer's raw energy readings.
    let recorder: TopicRecorder
    let stats: TopicRecorder
    let energy: TopicRecorder
    let simulator: BuiltExecutable
    var configPath: String { harness.configPath.path }
    let simulatorPort: Int
    let pollInterval: String
    let publish: String
    let truthPath: String
    /// Writes the daemon's config: `config(brokerPort:simulatorPort:directory:interval:publish:)` unless a test gives its own.
    let makeConfig: ConfigText
    typealias ConfigText = @Sendable (_ brokerPort: Int, _ simulatorPort: Int, _ directory: URL, _ interval: String, _ publish: String) -> String
    /// Plant time at the simulator's start, and the real wall time of that instant (from its truth file).
    let plantStart: Date
    let anchor: Date
    /// The local day under test: plant times of its midnights and its label.
    let dayStart: Date
    let dayEnd: Date
    let dayLabel: String
    private(set) var daemon: BuiltExecutable?
    private(set) var daemonLogs: [String] = []

    /// Starts broker, recorder and simulator; the daemon starts with `startDaemon()`.
    /// - Parameters:
    ///   - publish: the config's `mqtt.publish` mapping.
    ///   - faults: `--fault` values for the simulator (start in plant seconds after its start).
    ///   - simulatorArguments: more options for `plantgate sim` (`--tankhouse-step`).
    ///   - scenario, config: another simulated plant and the daemon config that reads it.
    init(day: DateComponents, leadSeconds: Double, seed: UInt64, pollInterval: String, speed: Double = GroundTruthBench.speed,
         truthInterval: String = "10s", publish: String = "{raw: every_poll, raw_qos: 0, retain_raw: false}", faults: [String] = [],
         simulatorArguments: [String] = [],
         scenario: String = "lithium-hydroxide", config: @escaping ConfigText = { GroundTruthBench.config(brokerPort: $0, simulatorPort: $1, directory: $2, interval: $3, publish: $4) }) async throws {
        self.speed = speed
        makeConfig = config
        self.pollInterval = pollInterval
        self.publish = publish
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Self.zone
        guard let midnight = calendar.date(from: day), let next = calendar.date(byAdding: .day, value: 1, to: midnight) else {
            throw TestSupportError("no local midnight for \(day) in \(Self.zone.identifier)")
        }
        dayStart = midnight
        dayEnd = next
        let labelFormatter = DateFormatter()
        labelFormatter.calendar = calendar
        labelFormatter.timeZone = Self.zone
        labelFormatter.dateFormat = "yyyy-MM-dd"
        dayLabel = labelFormatter.string(from: midnight)
        plantStart = midnight.addingTimeInterval(-(leadSeconds * speed).rounded())

        let start = Self.rfc3339(plantStart, fractional: false)
        harness = try await GatewayHarness.start("plantgate-truth", scenario: scenario) { directory in
            ["--speed", "\(speed)", "--seed", "\(seed)", "--start", start, "--truth", directory.appendingPathComponent("truth.jsonl").path,
             "--truth-interval", truthInterval] + faults.flatMap { ["--fault", $0] } + simulatorArguments
        }
        let truthPath = harness.directory.appendingPathComponent("truth.jsonl").path
        recorder = try await harness.recorder("plantgate/\(Self.site)/lines/+/periods/+")
        stats = try await harness.recorder("plantgate/\(Self.site)/gateway/stats")
        energy = try await harness.recorder("plantgate/\(Self.site)/devices/pm-main/energy_import")
        self.truthPath = truthPath
        guard let sim = harness.simulator else { throw TestSupportError("the harness started no simulator") }
        simulator = sim.process
        simulatorPort = sim.port
        let plantStart = plantStart
        var anchor: Date?
        _ = await eventually(timeout: .seconds(10)) {
            anchor = (try? TruthTrack(path: truthPath, start: plantStart))?.anchor
            return anchor != nil
        }
        guard let anchor else { throw TestSupportError("the simulator wrote no truth line at t = 0; log: \(simulator.log)") }
        self.anchor = anchor
        try writeConfig(brokerPort: broker.port)
    }

    /// Writes the bench's config for the broker on `brokerPort`, passed through `edit` (for a reload).
    func writeConfig(brokerPort: Int, edit: (String) -> String = { $0 }) throws {
        let text = makeConfig(brokerPort, simulatorPort, directory, pollInterval, publish)
        try harness.writeConfig(edit(text))
    }

    /// The daemon's plant clock: plant time `plantStart` at real time `anchor`, as the simulator's.
    var clock: TestSupport.PlantClock { .init(speed: speed, start: plantStart, anchor: anchor) }

    /// Plant time now, on the simulator's clock.
    var plantNow: Date { plantStart.addingTimeInterval(Date().timeIntervalSince(anchor) * speed) }

    /// Starts plantgated on the bench's config and clock.
    func startDaemon() throws {
        daemon = try harness.startDaemon(clock: clock)
    }

    /// SIGKILL, keeping the log.
    func killDaemon() async {
        guard let daemon else { return }
        await daemon.kill()
        daemonLogs.append(daemon.log)
        self.daemon = nil
    }

    /// SIGTERM, keeping the log; the exit status.
    func stopDaemon() async -> Int32? {
        guard let daemon else { return nil }
        let status = await daemon.terminate()
        daemonLogs.append(daemon.log)
        self.daemon = nil
        return status
    }

    /// Every log of every daemon run so far, the running one last.
    var logs: String { (daemonLogs + [daemon?.log ?? ""]).joined(separator: "\n---- restart ----\n") }

    /// Waits (real time, bounded) until the plant clock reaches `date`.
    func waitForPlant(_ date: Date) async -> Bool {
        let realSeconds = date.timeIntervalSince(plantNow) / speed
        return await eventually(timeout: .seconds(max(1, Int(realSeconds.rounded(.up)) + 10)), pollInterval: .milliseconds(25)) { plantNow >= date }
    }

    /// The truth file as written so far (waits until it reaches `through`).
    func truth(through date: Date) async throws -> TruthTrack {
        let truthPath = truthPath, plantStart = plantStart
        var track: TruthTrack?
        _ = await eventually(timeout: .seconds(20), pollInterval: .milliseconds(200)) {
            track = try? TruthTrack(path: truthPath, start: plantStart)
            return (track?.times.last ?? 0) >= date.timeIntervalSince1970
        }
        guard let track, (track.times.last ?? 0) >= date.timeIntervalSince1970 else {
            throw TestSupportError("truth file \(truthPath) does not reach \(Self.rfc3339(date))")
        }
        return track
    }

    /// `PRAGMA integrity_check` of every SQLite file in the state directory, by the sqlite3 CLI.
    func integrityChecks() async throws -> [String: String] {
        let state = directory.appendingPathComponent("state")
        var results: [String: String] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: state.path)) ?? [] where name.hasSuffix(".sqlite") {
            let result = try await ProcessRunner.run("/usr/bin/sqlite3", [state.appendingPathComponent(name).path, "PRAGMA integrity_check;"])
            results[name] = (result.standardOutput + result.standardError).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return results
    }

    func shutDown() async {
        _ = await stopDaemon()
        simulator.child.signal(SIGTERM)
        _ = await simulator.child.waitForExit(timeout: .seconds(5))
        recorder.stop()
        stats.stop()
        energy.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    static func rfc3339(_ date: Date, fractional: Bool = true) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = fractional ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// The example config (Deploy/examples/lithium-hydroxide.yaml) on the bench's ports, polled faster, with
    /// a second line that has only the main incomer's active power (its energy is integrated power).
    /// No `max_rate`: plant time runs at the simulator's speed, so the counters' rates are the real plant's
    /// and the generous defaults apply.
    static func config(brokerPort: Int, simulatorPort: Int, directory: URL, interval: String,
                       publish: String = "{raw: every_poll, raw_qos: 0, retain_raw: false}") -> String {
        func device(_ id: String, _ bus: String, _ unit: Int, _ profile: String, _ only: String) -> String {
            "  - {id: \(id), bus: \(bus), unit: \(unit), interval: \(interval), profile: \(profile), only: [\(only)]}"
        }
        return """
            site: {id: \(site), time_zone: Asia/Almaty, shifts: ["08:00", "20:00"], demand_interval: 15m}
            mqtt:
              host: 127.0.0.1
              port: \(brokerPort)
              client_id: plantgate-truth
              prefix: plantgate
              keepalive: 5s
              qos: 1
              publish: \(publish)
            buses:
              - {id: mcc, tcp: {host: 127.0.0.1, port: \(simulatorPort)}, response_timeout: 500ms, connect_timeout: 2s, retries: 1}
              - {id: field, tcp: {host: 127.0.0.1, port: \(simulatorPort + 1)}, response_timeout: 500ms}
            devices:
            \(device("pm-main", "mcc", 1, "schneider-pm5xxx", "energy_import, energy_reset_time, power_total, reactive_import"))
            \(device("pm-aux", "mcc", 3, "eastron-sdm630", "energy_import"))
            \(device("fm-intake", "field", 2, "eh-promag", "volume_total"))
            \(device("fm-recycle", "field", 4, "eh-promag", "volume_total"))
            \(device("fm-discharge", "field", 5, "eh-promag", "volume_total"))
            \(device("gas-calciner", "field", 6, "gas-ek", "volume_corrected"))
            \(device("scale-product", "field", 7, "belt-scale", "total"))
            lines:
              - id: lioh-1
                name: LiOH·H2O line 1
                product: {name: "LiOH·H2O", lce_factor: 0.8804, min_t: 0.2}
                inputs:
                  - {tag: pm-main/energy_import, role: electricity_import}
                  - {tag: pm-aux/energy_import, role: electricity_import}
                  - {tag: pm-main/power_total, role: active_power}
                  - {tag: pm-main/reactive_import, role: reactive_import}
                  - {tag: gas-calciner/volume_corrected, role: gas_volume, fuel: natural_gas, ncv_mj_per_nm3: 35.8}
                  - {tag: fm-intake/volume_total, role: water_withdrawal, source: groundwater, quality: fresh}
                  - {tag: fm-recycle/volume_total, role: water_recycle}
                  - {tag: fm-discharge/volume_total, role: water_discharge, destination: surface, quality: other}
                  - {tag: scale-product/total, role: product}
              - id: lioh-1-power
                name: LiOH·H2O line 1, energy from the incomer's power only
                product: {name: "LiOH·H2O", lce_factor: 0.8804, min_t: 0.2}
                inputs:
                  - {tag: pm-main/power_total, role: active_power}
            factors:
              gwp: AR6
              grid: {id: kz-ember-2024, kgco2e_per_kwh: 0.80, source: Ember 2024, vintage: 2024}
              fuels:
                natural_gas: {id: ipcc2006-ng, kgco2e_per_gj: 56.15, source: IPCC 2006}
            state_dir: \(directory.path)/state
            control_socket: \(directory.path)/control.sock
            log_level: info
            """
    }
}
