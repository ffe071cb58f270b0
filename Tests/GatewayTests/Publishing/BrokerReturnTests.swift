import Foundation
import Modbus
import MQTT
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
        let before = try await TopicRecorder(port: setup.broker.port, filter: power)
        let daemon = try BuiltExecutable("plantgated", arguments: ["--config", setup.configPath.path], directory: setup.directory)
        #expect(await eventually(timeout: .seconds(15)) { !before.messages.isEmpty }, "log: \(daemon.log)")

        await setup.broker.stop()
        try await Task.sleep(for: .seconds(45))   // the scenario: the broker is away for 45 s
        try await setup.broker.start()
        let back = ContinuousClock.now
        let after = try await TopicRecorder(port: setup.broker.port, filter: power)
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
        let meter = try ModbusTCPServer(port: 0, handler: KnownMeter())
        meter.start()
        defer { meter.stop() }
        let directory = try temporaryDirectory()
        let configPath = directory.appendingPathComponent("plantgate.yaml")
        let tlsPort = try #require(broker.tlsPort)
        try gatewayConfig(site: "ca", brokerPort: broker.port, meterPort: meter.port, directory: directory)
            .replacingOccurrences(of: "port: \(broker.port), prefix: plantgate, keepalive: 5s}",
                                  with: "port: \(tlsPort), prefix: plantgate, keepalive: 5s, tls: {ca_file: \(otherPKI.caFile)}}")
            .write(to: configPath, atomically: true, encoding: .utf8)
        let socket = directory.appendingPathComponent("control.sock").path
        let daemon = try BuiltExecutable("plantgated", arguments: ["--config", configPath.path], directory: directory)
        let started = ContinuousClock.now
        #expect(await eventually(timeout: .seconds(15), pollInterval: .milliseconds(20)) { daemon.log.contains("certificate verify failed") },
                "log: \(daemon.log)")
        let logged = ContinuousClock.now - started
        #expect(logged < .seconds(2), "logged \(logged) after the daemon started")
        print("measured: certificate verify failed logged \(logged) after the daemon was spawned")
        #expect(!daemon.log.contains("keepalive"))
        var lastError = ""
        #expect(await eventually(timeout: .seconds(5)) {
            lastError = ((await statusReport(socket))?["broker"] as? [String: Any])?["lastError"] as? String ?? ""
            return lastError.contains("certificate verify failed")
        }, "status lastError: \(lastError)")
        #expect(lastError.contains("ca_file"))
        #expect(await daemon.terminate() == 0)
    }

    @Test("TLS to a port nobody listens on: \"Connection refused\" in the log and in status, not a keepalive timeout")
    func tlsToClosedPort() async throws {
        let pki = try await TestCertificates.generate()
        defer { pki.remove() }
        let meter = try ModbusTCPServer(port: 0, handler: KnownMeter())
        meter.start()
        defer { meter.stop() }
        let directory = try temporaryDirectory()
        let configPath = directory.appendingPathComponent("plantgate.yaml")
        let closedPort = try FreePort.tcp()
        try gatewayConfig(site: "closed", brokerPort: closedPort, meterPort: meter.port, directory: directory)
            .replacingOccurrences(of: "prefix: plantgate, keepalive: 5s}", with: "prefix: plantgate, keepalive: 5s, tls: {ca_file: \(pki.caFile)}}")
            .write(to: configPath, atomically: true, encoding: .utf8)
        let socket = directory.appendingPathComponent("control.sock").path
        let daemon = try BuiltExecutable("plantgated", arguments: ["--config", configPath.path], directory: directory)
        let started = ContinuousClock.now
        #expect(await eventually(timeout: .seconds(15), pollInterval: .milliseconds(20)) { daemon.log.contains("Connection refused") },
                "log: \(daemon.log)")
        let logged = ContinuousClock.now - started
        #expect(logged < .seconds(2), "logged \(logged) after the daemon started")
        var lastError = ""
        #expect(await eventually(timeout: .seconds(5)) {
            lastError = ((await statusReport(socket))?["broker"] as? [String: Any])?["lastError"] as? String ?? ""
            return lastError.contains("Connection refused")
        }, "status lastError: \(lastError)")
        // Well past the 5 s keepalive: still named as refused, never as a keepalive timeout or TLS failure,
        // and the network thread waits out its back-off instead of spinning on the dead socket.
        let cpuBefore = Self.cpuSeconds(daemon.child.pid)
        try await Task.sleep(for: .seconds(7))
        let cpu = Self.cpuSeconds(daemon.child.pid) - cpuBefore
        #expect(!daemon.log.contains("keepalive") && !daemon.log.contains("TLS failed"), "log: \(daemon.log)")
        #expect(cpu < 1.5, "plantgated used \(cpu) CPU-s in 7 s while the broker port was closed")
        print("measured: refused TLS logged \(logged) after spawn; \(cpu) CPU-s over 7 s")
        #expect(await daemon.terminate() == 0)
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
