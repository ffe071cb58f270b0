import Foundation
import TestSupport

/// `plantgate sim` at 1440× asked for a truth line every 250 ms of plant time: 5,760 lines a real
/// second, more than it can write, so its truth writer runs flat out. In a scratch directory.
final class FlatOutTruthSim: Sendable {
    let scratch: URL
    let truthPath: String
    let logPath: String
    let child: ChildProcess
    /// Bus mcc's port; bus field is on the next.
    let port: Int

    init(_ scenario: String) async throws {
        scratch = try temporaryDirectory("sim-flat-out")
        let truthPath = scratch.appendingPathComponent("truth.jsonl").path
        self.truthPath = truthPath
        logPath = scratch.appendingPathComponent("sim.log").path
        (child, port) = try await CommandLineTests.spawnSim({
            ["sim", scenario, "--listen", "127.0.0.1:\($0)", "--speed", "1440", "--truth", truthPath, "--truth-interval", "250ms"]
        }, output: logPath)
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    deinit {
        child.signal(SIGKILL)
        try? FileManager.default.removeItem(at: scratch)
    }
}
