import Foundation
import Modbus
import ModbusProtocol
import TestSupport
import Testing

/// `plantgate sim` always stops: within 2 s of SIGTERM or SIGINT at 1440× while writing truth more
/// often than it can keep up with and answering reads, and the truth file it leaves is whole.
@Suite("plantgate sim stops on a signal at any speed")
struct StopTests {
    @Test(.enabled(if: CommandLineTests.built), arguments: [SIGTERM, SIGINT])
    func stopsWithinTwoSecondsAt1440WithTruth(signal: Int32) async throws {
        let sim = try await FlatOutTruthSim("hydromet-copper")
        let (child, port, truth) = (sim.child, sim.port, sim.truthPath)
        let mcc = ModbusClient(endpoint: .tcp(host: "127.0.0.1", port: port), timeouts: ModbusTimeouts(response: 1))
        try mcc.connect()
        var reads = 0
        #expect(await eventually(timeout: .seconds(20)) {
            if (try? mcc.readRegisters(.holding, unit: 1, address: 3109, count: 2)) != nil { reads += 1 }
            return reads >= 20 && ((try? FileManager.default.attributesOfItem(atPath: truth)[.size] as? Int) ?? 0) > 2_000_000
        })
        let asked = ContinuousClock.now
        child.signal(signal)
        let stopped = await child.waitForExit(timeout: .seconds(10))
        let took = ContinuousClock.now - asked
        let text = sim.log
        #expect(stopped && took < .seconds(2), "stopped: \(stopped) after \(took); log:\n\(text)")
        #expect(child.exitCode == 0, "\(text)")
        #expect(text.contains("stopped; requests by function code") && !text.contains("exiting now"), "\(text)")
        let lines = try TruthLines(path: truth)
        let written = try String(contentsOfFile: truth, encoding: .utf8)
        #expect(written.hasSuffix("\n") && lines.times.count == written.split(separator: "\n").count, "every line whole")
        #expect(lines.firstGap(interval: 0.25) == nil, "\(lines.firstGap(interval: 0.25) ?? "")")
        print("[stop] signal \(signal): exited after \(took), \(lines.times.count) truth lines; \(text.split(separator: "\n").filter { $0.contains("behind") || $0.contains("stopped") })")
    }
}
