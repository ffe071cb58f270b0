import ControlProtocol
import Foundation
import Gateway
import Testing
import TestSupport

/// A meter that stops answering (its server SIGSTOPped) is reported down by the running daemon within
/// 3 s of its first unanswered request, on the health topic and in `status`, with default bus settings.
@Suite("A dead meter is noticed in seconds (plantgated and a stopped simulator)", .serialized)
struct DeadMeterDaemonTests {
    @Test func aStoppedSimulatorIsReportedDownWithinThreeSeconds() async throws {
        let gateway = try await GatewayHarness.start { _ in [] }
        let broker = gateway.broker
        let simulator = try #require(gateway.simulator)
        let port = simulator.port
        defer { simulator.process.child.signal(SIGCONT); simulator.process.child.signal(SIGKILL) }
        let socket = gateway.controlSocket
        // Default response_timeout, retries and soft_errors; the bus is named, not numbered.
        let config = """
            site: {id: dead, time_zone: UTC}
            mqtt: {host: 127.0.0.1, port: \(broker.port), prefix: plantgate, keepalive: 5s}
            buses:
              - {id: mcc, tcp: {host: localhost, port: \(port)}}
            devices:
              - {id: pm-main, bus: mcc, unit: 1, interval: 1s, profile: schneider-pm5xxx, only: [power_total, apparent_power_total, frequency]}
            """
        let health = try await TopicRecorder(port: broker.port, filter: "plantgate/dead/devices/pm-main/health")
        let power = try await TopicRecorder(port: broker.port, filter: "plantgate/dead/devices/pm-main/power_total")
        let daemon = try gateway.startDaemon(config: config)
        #expect(await eventually(timeout: .seconds(15)) { health.objects(on: "plantgate/dead/devices/pm-main/health").last?["up"] as? Bool == true },
                "log: \(daemon.log)")
        #expect(await eventually(timeout: .seconds(5)) { power.objects(on: "plantgate/dead/devices/pm-main/power_total").count >= 3 })

        simulator.process.child.signal(SIGSTOP)
        let stopped = Date()
        var healthDown: Date?, statusDown: Date?
        #expect(await eventually(timeout: .seconds(15), pollInterval: .milliseconds(20)) {
            if healthDown == nil, health.objects(on: "plantgate/dead/devices/pm-main/health").last?["up"] as? Bool == false { healthDown = Date() }
            if statusDown == nil, let report = try? await daemonStatus(socket: socket), report.devices.first?.up == false { statusDown = Date() }
            return healthDown != nil && statusDown != nil
        }, "log: \(daemon.log)")

        // The first unanswered request: one interval after the last answered one (sample times are request times).
        let samples = power.objects(on: "plantgate/dead/devices/pm-main/power_total")
        let format = ISO8601DateFormatter()
        format.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let lastGood = try #require(samples.last { $0["q"] as? String == "good" }.flatMap { ($0["t"] as? String).flatMap(format.date(from:)) })
        let firstMissed = lastGood.addingTimeInterval(1)
        let viaHealth = try #require(healthDown).timeIntervalSince(firstMissed)
        let viaStatus = try #require(statusDown).timeIntervalSince(firstMissed)
        print("dead meter (plantgated, defaults, 1 s interval): down on the health topic \(viaHealth) s, in status \(viaStatus) s after the first unanswered request (\(try #require(healthDown).timeIntervalSince(stopped)) s after SIGSTOP)")
        #expect(viaHealth <= 3.0 && viaStatus <= 3.0, "health \(viaHealth) s, status \(viaStatus) s")
        #expect(viaHealth >= 1.5, "down after \(viaHealth) s: sooner than soft_errors failed cycles allow")

        // Its values went bad on the first failed cycle, and the health topic says why.
        let afterGood = samples.drop { $0["q"] as? String != "good" || ($0["t"] as? String).flatMap(format.date(from:)) != lastGood }.dropFirst()
        #expect(afterGood.first?["q"] as? String == "bad" && afterGood.first?["reason"] as? String == "TIMEOUT", "\(Array(afterGood.prefix(2)))")
        let down = try #require(health.objects(on: "plantgate/dead/devices/pm-main/health").last)
        #expect((down["last_error"] as? String)?.contains("no reply in time") == true)
        #expect(down["last_error_at"] is String)

        simulator.process.child.signal(SIGCONT)
        #expect(await eventually(timeout: .seconds(10)) { health.objects(on: "plantgate/dead/devices/pm-main/health").last?["up"] as? Bool == true })
        #expect(await daemon.terminate() == 0)
    }
}
