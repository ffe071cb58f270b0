import Foundation
import Modbus
import MQTT
import Outbox
import Testing
import TestSupport

/// The broker comes back, or was never reachable: plantgated follows fast and says why in plain words.
@Suite("plantgated and the broker: back fast, failures named", .serialized, .timeLimit(.minutes(3)))
struct BrokerReturnTests {
    @Test("after a 45 s broker outage values flow again within the default reconnect cap (5 s) plus 1 s")
    func backWithinTheCapAfterALongOutage() async throws {
        let setup = try await GatewaySetup.start(site: "back")
        defer { setup.meter.stop() }
        let power = "plantgate/back/devices/pm/power"
        let before = try await setup.harness.recorder(power)
        let daemon = try setup.startDaemon()
        #expect(await eventually(timeout: .seconds(15)) { !before.messages.isEmpty }, "log: \(daemon.log)")

        await setup.broker.stop()
        try await Task.sleep(for: .seconds(45))   // the scenario: the broker is away for 45 s
        try await setup.broker.start()
        let back = ContinuousClock.now
        let after = try await setup.harness.recorder(power)
        #expect(await eventually(timeout: .seconds(20), pollInterval: .milliseconds(20)) { !after.messages.isEmpty }, "log: \(daemon.log)")
        let took = ContinuousClock.now - back
        #expect(took <= .seconds(6), "values flowed again \(took) after the broker was back")
        print("measured: values flowed again \(took) after a 45 s outage")
        #expect(await daemon.terminate() == 0)
    }

    @Test("a broker certificate from another CA: \"certificate verify failed\" in the log and in status within 2 s")
    func wrongCertificateAuthority() async throws {
        let brokerPKI = try await TestCertificates.generate()
        let otherPKI = try await TestCertificates.generate()
        defer { brokerPKI.remove(); otherPKI.remove() }
        let broker = try await MosquittoBroker.start(.init(tls: brokerPKI))
        let failing = try await FailingTLSDaemon(site: "ca", port: try #require(broker.tlsPort), caFile: otherPKI.caFile)
        defer { failing.meter.stop() }
        let (logged, lastError) = await failing.named("certificate verify failed")
        #expect(logged < .seconds(2), "logged \(logged) after the daemon started; log: \(failing.daemon.log)")
        print("measured: certificate verify failed logged \(logged) after the daemon was spawned")
        #expect(lastError.contains("certificate verify failed") && lastError.contains("ca_file"), "status lastError: \(lastError)")
        #expect(!failing.daemon.log.contains("keepalive"))
        #expect(await failing.daemon.terminate() == 0)
    }

    @Test("TLS to a port nobody listens on: \"Connection refused\" in the log and in status, not a keepalive timeout")
    func tlsToClosedPort() async throws {
        let pki = try await TestCertificates.generate()
        defer { pki.remove() }
        let failing = try await FailingTLSDaemon(site: "closed", port: try FreePort.tcp(), caFile: pki.caFile)
        defer { failing.meter.stop() }
        let (logged, lastError) = await failing.named("Connection refused")
        #expect(logged < .seconds(2), "logged \(logged) after the daemon started; log: \(failing.daemon.log)")
        #expect(lastError.contains("Connection refused"), "status lastError: \(lastError)")
        // Well past the 5 s keepalive: still named as refused, never as a keepalive timeout or TLS failure,
        // and the network thread waits out its back-off instead of spinning on the dead socket.
        let cpuBefore = Self.cpuSeconds(failing.daemon.child.pid)
        try await Task.sleep(for: .seconds(7))
        let cpu = Self.cpuSeconds(failing.daemon.child.pid) - cpuBefore
        #expect(!failing.daemon.log.contains("keepalive") && !failing.daemon.log.contains("TLS failed"), "log: \(failing.daemon.log)")
        #expect(cpu < 1.5, "plantgated used \(cpu) CPU-s in 7 s while the broker port was closed")
        print("measured: refused TLS logged \(logged) after spawn; \(cpu) CPU-s over 7 s")
        #expect(await failing.daemon.terminate() == 0)
    }

    /// User + system CPU seconds of a process so far (from /proc/PID/stat, clock ticks of 1/100 s).
    static func cpuSeconds(_ pid: pid_t) -> Double {
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        // Fields after the command name (which may hold spaces) start at state: utime and stime are 14 and 15.
        let fields = stat.split(separator: ")").last?.split(separator: " ") ?? []
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}

/// plantgated configured for TLS to `port` trusting `caFile`, with a meter to poll, started at once.
struct FailingTLSDaemon {
    let meter: ModbusTCPServer
    let daemon: BuiltExecutable
    let socket: String
    let started: ContinuousClock.Instant

    init(site: String, port: Int, caFile: String) async throws {
        meter = try ModbusTCPServer(port: 0, handler: KnownMeter())
        meter.start()
        let directory = try temporaryDirectory()
        let configPath = directory.appendingPathComponent("plantgate.yaml")
        try gatewayConfig(site: site, brokerPort: port, meterPort: meter.port, directory: directory)
            .replacingOccurrences(of: "prefix: plantgate, keepalive: 5s}", with: "prefix: plantgate, keepalive: 5s, tls: {ca_file: \(caFile)}}")
            .write(to: configPath, atomically: true, encoding: .utf8)
        socket = directory.appendingPathComponent("control.sock").path
        daemon = try BuiltExecutable("plantgated", arguments: ["--config", configPath.path], directory: directory)
        started = ContinuousClock.now
    }

    /// How long after the start the log named `words` (15 s at most), and the status's `lastError` once it does too.
    func named(_ words: String) async -> (logged: Duration, lastError: String) {
        _ = await eventually(timeout: .seconds(15), pollInterval: .milliseconds(20)) { daemon.log.contains(words) }
        let logged = ContinuousClock.now - started
        var lastError = ""
        _ = await eventually(timeout: .seconds(5)) {
            lastError = ((await statusReport(socket))?["broker"] as? [String: Any])?["last_error"] as? String ?? ""
            return lastError.contains(words)
        }
        return (logged, lastError)
    }
}
