import Foundation
import TestSupport
import Testing

/// The lithium-hydroxide example on an accelerated plant clock (1440×: a plant day in a real minute) for
/// the report tests: `plantgate sim`, a mosquitto broker, and plantgated on the same clock, started two
/// plant hours before local midnight of 10 March 2026 in Asia/Almaty, so the ledger gets the last hours
/// of the 9th and the whole 10th as day records, with a meter swap on the 10th.
final class ReportPlant: Sendable {
    static let speed = 1440.0
    /// Local midnight of 10 March 2026 in Almaty (UTC+5), less two plant hours.
    static let plantStart = "2026-03-09T17:00:00Z"
    static let dayTopic = "plantgate/kz-lioh/lines/lioh-1/periods/day"

    let directory: URL
    let config: String
    let broker: MosquittoBroker
    let simulator: BuiltExecutable
    let daemon: BuiltExecutable
    let days: TopicRecorder

    /// The `report:` section the footprint needs.
    static let reportSection = """

        report:
          company_name: Example Lithium LLP
          company_ids: ["urn:lei:5493001KJTIIGC8Y1R12"]
          country: KZ
          products:
            lioh-1: {ids: ["urn:gtin:4012345000009"], trade_name: "LiOH·H2O battery grade", description: "Lithium hydroxide monohydrate, battery grade, in 500 kg bags"}

        """

    init() async throws {
        broker = try await MosquittoBroker.start()
        directory = try temporaryDirectory("plantgate-report")
        days = try await TopicRecorder(port: broker.port, filter: Self.dayTopic)
        let port = try FreePort.pair()
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        // Both processes agree on the plant clock through the same anchor, a moment after both have started.
        let anchor = formatter.string(from: Date().addingTimeInterval(2))
        simulator = try BuiltExecutable("plantgate", arguments: [
            "sim", "lithium-hydroxide", "--listen", "127.0.0.1:\(port)", "--speed", "\(Self.speed)", "--seed", "7",
            "--start", Self.plantStart, "--anchor", anchor,
            // The auxiliaries meter is swapped at 04:00 local on the 10th: a meter-reset event for the table.
            "--fault", "pm-aux:replacement@6h+2m",
        ], directory: directory)
        #expect(await eventually(timeout: .seconds(10)) { FreePort.isAccepting(port) && FreePort.isAccepting(port + 1) }, "sim log: \(simulator.log)")
        var text = try String(contentsOf: PlantgateBinary.packageRoot.appendingPathComponent("Deploy/examples/lithium-hydroxide.yaml"), encoding: .utf8)
        for (from, to) in [("port: 1883", "port: \(broker.port)"), ("port: 1502", "port: \(port)"), ("port: 1503", "port: \(port + 1)"),
                           ("interval: 1s", "interval: 250ms"),
                           ("state_dir: /var/lib/plantgate", "state_dir: \(directory.path)/state"),
                           ("control_socket: /run/plantgate/control.sock", "control_socket: \(directory.path)/control.sock")] {
            text = text.replacingOccurrences(of: from, with: to)
        }
        config = directory.appendingPathComponent("plantgate.yaml").path
        try (text + Self.reportSection).write(toFile: config, atomically: true, encoding: .utf8)
        daemon = try BuiltExecutable("plantgated", arguments: ["--config", config], directory: directory,
                                     environment: ["PLANTGATE_SIMULATED_CLOCK": "\(Self.speed)@\(Self.plantStart)@\(anchor)"])
    }

    /// Waits (bounded) for the day record of the 10th (the 9th's, from 22:00 on, closes first), then stops
    /// the daemon in order; true when both happened.
    func runThroughTheFirstDay() async -> Bool {
        let closed = await eventually(timeout: .seconds(150), pollInterval: .milliseconds(200)) {
            self.days.messages.contains { $0.text.contains("\"label\":\"2026-03-10\"") }
        }
        let status = await daemon.terminate()
        return closed && status == 0
    }

    func stop() async {
        _ = await daemon.terminate()
        simulator.child.signal(SIGTERM)
        _ = await simulator.child.waitForExit(timeout: .seconds(5))
        days.stop()
        try? FileManager.default.removeItem(at: directory)
    }
}
