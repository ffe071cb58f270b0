import Foundation
import Testing
import TestSupport

/// The shared harness on an accelerated plant: the simulator's printed clock, handed to plantgated,
/// puts the daemon's readings on the simulator's plant time.
@Suite("GatewayHarness: broker, simulator and plantgated on one accelerated clock", .serialized)
struct GatewayHarnessTests {
    @Test func theDaemonStampsReadingsOnTheSimulatorsPlantClock() async throws {
        let gateway = try await GatewayHarness.start { _ in ["--speed", "60", "--start", "2026-03-10T08:00:00Z"] }
        let simulator = try #require(gateway.simulator)
        let clock = try #require(await simulator.daemonClock(), "sim log: \(simulator.log)")
        #expect(clock.setting.hasPrefix("60@2026-03-10T08:00:00.000Z@"), "\(clock.setting)")
        let topic = "plantgate/hx/devices/pm-main/power_total"
        let recorder = try await gateway.recorder(topic)
        let daemon = try gateway.startDaemon(config: """
            site: {id: hx, time_zone: UTC}
            mqtt: {host: 127.0.0.1, port: \(gateway.broker.port), prefix: plantgate, keepalive: 5s}
            buses:
              - {id: mcc, tcp: {host: 127.0.0.1, port: \(simulator.port)}}
            devices:
              - {id: pm-main, bus: mcc, unit: 1, interval: 1s, profile: schneider-pm5xxx, only: [power_total]}
            """, clock: clock)
        #expect(await eventually(timeout: .seconds(15)) { recorder.objects(on: topic).count >= 2 }, "log: \(daemon.log)")
        // A minute of plant time per real second: the readings are on 2026-03-10 between 08:00 and 08:30 (a start of a few seconds is minutes of plant time).
        let times = recorder.objects(on: topic).compactMap { $0["t"] as? String }
        #expect(!times.isEmpty && times.allSatisfy { $0.hasPrefix("2026-03-10T08:0") || $0.hasPrefix("2026-03-10T08:1") || $0.hasPrefix("2026-03-10T08:2") }, "\(times)")
        #expect(await daemon.terminate() == 0)
    }
}
