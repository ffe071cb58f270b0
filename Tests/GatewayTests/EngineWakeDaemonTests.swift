import Foundation
import Gateway
import Testing
import TestSupport

/// The engine thread of a running plantgated wakes for a round of samples and for work that is due, not
/// on a timer between rounds (read from /proc, as `top -H` would show it).
@Suite("The engine sleeps between rounds (plantgated and a simulator)", .serialized)
struct EngineWakeDaemonTests {
    @Test func aPlantPolledEveryTwoSecondsWakesTheEngineAboutOncePerRound() async throws {
        let gateway = try await GatewayHarness.start { _ in [] }
        let port = try #require(gateway.simulatorPort)
        let config = """
            site: {id: sleepy, time_zone: UTC}
            mqtt: {host: 127.0.0.1, port: \(gateway.broker.port), prefix: plantgate}
            buses:
              - {id: mcc, tcp: {host: 127.0.0.1, port: \(port)}}
            devices:
              - {id: pm-main, bus: mcc, unit: 1, interval: 2s, profile: schneider-pm5xxx, only: [power_total, frequency]}
            """
        let values = try await TopicRecorder(port: gateway.broker.port, filter: "plantgate/sleepy/devices/pm-main/frequency")
        let daemon = try gateway.startDaemon(config: config)
        #expect(await eventually(timeout: .seconds(15)) { !values.objects(on: "plantgate/sleepy/devices/pm-main/frequency").isEmpty },
                "log: \(daemon.log)")

        let pid = daemon.child.pid
        let engine = try #require(ProcThreads.task(named: "engine", of: pid), "log: \(daemon.log)")
        let before = try ProcThreads.voluntarySwitches(task: engine, of: pid)
        try await Task.sleep(for: .seconds(6))
        let wakes = try ProcThreads.voluntarySwitches(task: engine, of: pid) - before
        print("engine thread: \(wakes) sleeps in 6 s, a round every 2 s")
        // 3 rounds, and at most one 10 s figures report in the window; with the old 500 ms timer: 12.
        #expect(wakes <= 6, "the engine thread went to sleep \(wakes) times in 6 s with a round every 2 s")
        #expect(await daemon.terminate() == 0)
    }
}
