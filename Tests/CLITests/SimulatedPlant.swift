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
        let broker = try await MosquittoBroker.start()
        let directory = try temporaryDirectory("plantgate-plant")
        // The simulator serves bus mcc on PORT and bus field on PORT+1.
        var port = try FreePort.tcp()
        while FreePort.isAccepting(port + 1) { port = try FreePort.tcp() }
        let simulator = try BuiltExecutable("plantgate", arguments: ["sim", "lithium-hydroxide", "--listen", "127.0.0.1:\(port)"] + extra, directory: directory)
        #expect(await eventually(timeout: .seconds(10)) { FreePort.isAccepting(port) && FreePort.isAccepting(port + 1) }, "sim log: \(simulator.log)")
        var text = try String(contentsOf: PlantgateBinary.packageRoot.appendingPathComponent("Deploy/examples/lithium-hydroxide.yaml"), encoding: .utf8)
        for (from, to) in [("port: 1883", "port: \(broker.port)"), ("port: 1502", "port: \(port)"), ("port: 1503", "port: \(port + 1)"),
                           ("state_dir: /var/lib/plantgate", "state_dir: \(directory.path)/state"),
                           ("control_socket: /run/plantgate/control.sock", "control_socket: \(directory.path)/control.sock")] {
            text = text.replacingOccurrences(of: from, with: to)
        }
        let config = directory.appendingPathComponent("plantgate.yaml").path
        try text.write(toFile: config, atomically: true, encoding: .utf8)
        let daemon = try BuiltExecutable("plantgated", arguments: ["--config", config], directory: directory)
        let plant = SimulatedPlant(broker: broker, simulator: simulator, daemon: daemon, directory: directory, config: config)
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
