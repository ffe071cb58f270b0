import Foundation

/// What a daemon test starts from: a mosquitto broker, optionally `plantgate sim`, a private directory
/// (config, state, control socket, logs) and plantgated run on a config written there, with an
/// accelerated plant clock when asked. Every daemon test starts the same way through here.
///
/// ```swift
/// let gateway = try await GatewayHarness.start { _ in ["--speed", "360", "--start", "2026-03-10T08:00:00Z"] }
/// try gateway.writeConfig(config(brokerPort: gateway.broker.port, meterPort: gateway.simulatorPort!, …))
/// let daemon = try gateway.startDaemon(clock: await gateway.simulator?.daemonClock())
/// ```
public final class GatewayHarness: Sendable {
    public let broker: MosquittoBroker
    public let simulator: PlantSimulatorProcess?
    public let directory: URL
    /// `plantgate.yaml` in `directory`.
    public let configPath: URL

    private init(broker: MosquittoBroker, simulator: PlantSimulatorProcess?, directory: URL) {
        self.broker = broker
        self.simulator = simulator
        self.directory = directory
        configPath = directory.appendingPathComponent("plantgate.yaml")
    }

    /// Starts the broker (with `brokerConfiguration`), or uses `sharing` another harness's (a fleet's
    /// gateways publish to one), and, given `simulator`, `plantgate sim` serving `scenario` with the
    /// arguments it returns for the harness's directory (`{ _ in [] }` for the defaults;
    /// `--speed`/`--start` accelerate the plant, see `PlantSimulatorProcess.daemonClock`).
    public static func start(_ prefix: String = "plantgate-test", brokerConfiguration: MosquittoBroker.Configuration = .init(),
                             sharing: MosquittoBroker? = nil, scenario: String = "lithium-hydroxide",
                             simulator: ((_ directory: URL) -> [String])? = nil) async throws -> GatewayHarness {
        let directory = try temporaryDirectory(prefix)
        let broker: MosquittoBroker
        if let sharing { broker = sharing } else { broker = try await MosquittoBroker.start(brokerConfiguration) }
        var sim: PlantSimulatorProcess?
        if let simulator { sim = try await PlantSimulatorProcess.start(scenario: scenario, arguments: simulator(directory), directory: directory) }
        return GatewayHarness(broker: broker, simulator: sim, directory: directory)
    }

    /// The simulator's first bus port (its second is one above).
    public var simulatorPort: Int? { simulator?.port }

    /// Where a config written for this harness puts the state directory and the control socket
    /// (`state_dir: {directory}/state`, `control_socket: {directory}/control.sock`).
    public var stateDirectory: String { directory.appendingPathComponent("state").path }
    public var controlSocket: String { directory.appendingPathComponent("control.sock").path }

    /// Writes (or rewrites, before a reload) the daemon's config.
    public func writeConfig(_ text: String) throws {
        try text.write(to: configPath, atomically: true, encoding: .utf8)
    }

    /// Starts plantgated on the config; `clock` sets its accelerated plant clock, `environment` adds
    /// variables (NOTIFY_SOCKET, …), `privateCopy` runs a copy of the binary (memory tests).
    public func startDaemon(clock: PlantClock? = nil, environment: [String: String] = [:], privateCopy: Bool = false) throws -> BuiltExecutable {
        try BuiltExecutable("plantgated", arguments: ["--config", configPath.path], directory: directory,
                            environment: environment.merging(clock?.environment ?? [:]) { $1 }, privateCopy: privateCopy)
    }

    /// Writes `config` with this harness's `state_dir` and `control_socket` added, and starts plantgated on it.
    public func startDaemon(config: String, clock: PlantClock? = nil, environment: [String: String] = [:]) throws -> BuiltExecutable {
        try writeConfig(config + "\nstate_dir: \(stateDirectory)\ncontrol_socket: \(controlSocket)\n")
        return try startDaemon(clock: clock, environment: environment)
    }

    /// A recorder on this broker, subscribed (SUBACK received) before it returns.
    public func recorder(_ filter: String, clientID: String? = nil, cleanSession: Bool = true) async throws -> TopicRecorder {
        try await TopicRecorder(port: broker.port, filter: filter, clientID: clientID, cleanSession: cleanSession)
    }
}
