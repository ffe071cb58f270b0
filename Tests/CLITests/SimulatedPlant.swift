import Foundation
import TestSupport
import Testing

/// The lithium-hydroxide example as a technician meets it: `plantgate sim` serving the meters, a
/// mosquitto broker, and plantgated running the example config (ports and paths made the test's own).
final class SimulatedPlant: Sendable {
    let broker: MosquittoBroker
    let simulator: BuiltExecutable
    let daemon: BuiltExecutable
    let directory: URL
    /// The config file plantgated runs; `plantgate status -c` finds the socket through it.
    let config: String

    private init(broker: MosquittoBroker, simulator: BuiltExecutable, daemon: BuiltExecutable, directory: URL, config: String) {
        self.broker = broker
        self.simulator = simulator
        self.daemon = daemon
        self.directory = directory
        self.config = config
    }

    /// Starts everything and waits until every device is up; `extra` goes to `plantgate sim`.
    static func start(extra: [String] = []) async throws -> SimulatedPlant {
        let harness = try await GatewayHarness.start("plantgate-plant") { _ in extra }
        let (broker, directory) = (harness.broker, harness.directory)
        let simulator = try #require(harness.simulator)
        // The simulator serves bus mcc on PORT and bus field on PORT+1.
        let port = simulator.port
        var text = try String(contentsOf: PlantgateBinary.packageRoot.appendingPathComponent("Deploy/examples/lithium-hydroxide.yaml"), encoding: .utf8)
        for (from, to) in [("port: 1883", "port: \(broker.port)"), ("port: 1502", "port: \(port)"), ("port: 1503", "port: \(port + 1)"),
                           ("state_dir: /var/lib/plantgate", "state_dir: \(harness.stateDirectory)"),
                           ("control_socket: /run/plantgate/control.sock", "control_socket: \(harness.controlSocket)")] {
            text = text.replacingOccurrences(of: from, with: to)
        }
        try harness.writeConfig(text)
        let config = harness.configPath.path
        let daemon = try harness.startDaemon()
        let plant = SimulatedPlant(broker: broker, simulator: simulator.process, daemon: daemon, directory: directory, config: config)
        // Answering: status exits 0 (all up) or 1 (some down), not 69.
        let answering = await eventually(timeout: .seconds(20)) { [0, 1].contains((try? await PlantgateBinary.run(["status", "-c", config]))?.exitCode) }
        #expect(answering, "daemon log: \(daemon.log)")
        return plant
    }

    /// Waits until status exits 0: every device up.
    func allUp() async -> Bool {
        await eventually(timeout: .seconds(20)) { (try? await PlantgateBinary.run(["status", "-c", config]))?.exitCode == 0 }
    }

    func stop() {
        daemon.child.signal(SIGTERM)
        simulator.child.signal(SIGTERM)
    }
}
