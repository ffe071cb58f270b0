import Foundation
import Modbus
import ModbusProtocol
import TestSupport
import Testing

/// Ground truth asked for faster than it can be written never holds up a reply: at 1440× with a line
/// every 250 ms of plant time (5,760 a real second) the writer runs flat out and the meters still answer
/// as fast as without truth.
@Suite("plantgate sim answers at once while its truth writer runs flat out")
struct TruthWhileServingTests {
    @Test(.enabled(if: CommandLineTests.built)) func repliesStayPromptWhileTruthFallsBehind() async throws {
        let sim = try await FlatOutTruthSim("lithium-hydroxide")
        let (child, port) = (sim.child, sim.port)
        let field = ModbusClient(endpoint: .tcp(host: "127.0.0.1", port: port + 1), timeouts: ModbusTimeouts(response: 1))
        try field.connect()
        // Reads spread over 5 real seconds (two hours of plant time), each meter of the field bus in turn.
        var latencies: [Double] = []
        let started = ContinuousClock.now
        while ContinuousClock.now - started < .seconds(5) {
            for unit: UInt8 in [2, 4, 5, 6, 7] {
                let asked = ContinuousClock.now
                _ = try field.readRegisters(.holding, unit: unit, address: unit == 6 || unit == 7 ? 0 : 2008, count: 2)
                let took = ContinuousClock.now - asked
                latencies.append(Double(took.components.seconds) * 1000 + Double(took.components.attoseconds) / 1e15)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        child.signal(SIGTERM)
        #expect(await child.waitForExit(timeout: .seconds(5)))
        latencies.sort()
        let (p50, p99, worst) = (latencies[latencies.count / 2], latencies[latencies.count * 99 / 100], latencies.last ?? 0)
        let text = sim.log
        print("[truth load] \(latencies.count) reads: p50 \(p50) ms, p99 \(p99) ms, worst \(worst) ms; "
              + "\(text.split(separator: "\n").filter { $0.contains("behind") || $0.contains("stopped") })")
        // Generous for a loaded 2-core box; a writer holding the plant's lock stalled replies for seconds.
        #expect(p99 < 50 && worst < 250, "p50 \(p50) ms, p99 \(p99) ms, worst \(worst) ms")
        #expect(text.contains("truth file behind"), "the writer was asked for more than it can do: \(text)")
        #expect(latencies.count >= 100)
    }
}
