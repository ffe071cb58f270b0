import Foundation
import TestSupport
import Testing

/// The lithium-hydroxide example on an accelerated plant clock (1440×: a plant day in a real minute) for
/// the report tests: `plantgate sim`, a mosquitto broker, and plantgated on the same clock (one `GatewayHarness`), started two
/// plant hours before local midnight of 10 March 2026 in Asia/Almaty, so the ledger gets the last hours
/// of the 9th and the whole 10th as day records, with a meter swap on the 10th.
final class ReportPlant: Sendable {
    static let speed = 1440.0
    /// Local midnight of 10 March 2026 in Almaty (UTC+5), less two plant hours.
    static let plantStart = "2026-03-09T17:00:00Z"
    static let dayTopic = "plantgate/kz-lioh/lines/lioh-1/periods/day"

    let harness: GatewayHarness
    let daemon: BuiltExecutable
    let days: TopicRecorder
    var directory: URL { harness.directory }
    var config: String { harness.configPath.path }

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
        harness = try await GatewayHarness.start("plantgate-report") { _ in
            // The auxiliaries meter is swapped at 04:00 local on the 10th: a meter-reset event for the table.
            ["--speed", "\(Self.speed)", "--seed", "7", "--start", Self.plantStart, "--fault", "pm-aux:replacement@6h+2m"]
        }
        days = try await harness.recorder(Self.dayTopic)
        let port = try #require(harness.simulatorPort)
        var text = try String(contentsOf: PlantgateBinary.packageRoot.appendingPathComponent("Deploy/examples/lithium-hydroxide.yaml"), encoding: .utf8)
        for (from, to) in [("port: 1883", "port: \(harness.broker.port)"), ("port: 1502", "port: \(port)"), ("port: 1503", "port: \(port + 1)"),
                           ("interval: 1s", "interval: 250ms"),
                           ("state_dir: /var/lib/plantgate", "state_dir: \(harness.stateDirectory)"),
                           ("control_socket: /run/plantgate/control.sock", "control_socket: \(harness.controlSocket)")] {
            text = text.replacingOccurrences(of: from, with: to)
        }
        try harness.writeConfig(text + Self.reportSection)
        // The daemon's plant clock is the one the simulator prints: both run on the same anchor.
        daemon = try harness.startDaemon(clock: await harness.simulator?.daemonClock())
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
        await harness.simulator?.kill()
        days.stop()
        try? FileManager.default.removeItem(at: directory)
    }
}
