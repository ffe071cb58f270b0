import ControlProtocol
import Foundation
import Gateway
import Modbus
import ModbusProtocol
import Testing
import TestSupport

/// The daemon's status through `plantgate status --json` on a control socket.
func daemonStatus(socket: String) async throws -> StatusReport? {
    let result = try await ProcessRunner.run(BuiltExecutable.path("plantgate"), ["status", "--socket", socket, "--json"])
    return result.outputLines.first.flatMap { try? ControlProtocol.decoder().decode(StatusReport.self, from: Data($0.utf8)) }
}

/// Every device that is down says why, with the time: in `status`, `status --json`, its health topic
/// and gateway/stats, whatever kept its bus from connecting; and a bus named by IPv6 works.
@Suite("A down device carries its reason", .serialized)
struct DownReasonTests {
    @Test func busesThatCannotConnectShowTheirErrorEverywhere() async throws {
        let gateway = try await GatewayHarness.start()
        let broker = gateway.broker
        let v6 = try ModbusTCPServer(host: "::1", port: 0, handler: KnownMeter())
        v6.start()
        defer { v6.stop() }
        // Held for the whole test: a port freed at once could be taken by another test's server meanwhile.
        let closed = try FreePort.refusing()
        let missingSerial = gateway.directory.appendingPathComponent("ttyUSB-unplugged").path
        let socket = gateway.controlSocket
        func device(_ id: String, _ bus: String) -> String {
            #"  - {id: \#(id), bus: \#(bus), unit: 1, interval: 500ms, tags: {power: {register: "holding:100", type: float32, order: ABCD, unit: kW}}}"#
        }
        let config = """
            site: {id: why, time_zone: UTC}
            mqtt: {host: 127.0.0.1, port: \(broker.port), prefix: plantgate, keepalive: 5s}
            buses:
              - {id: dns, tcp: {host: mcc-gw-3.invalid, port: 1502}}
              - {id: closed, tcp: {host: 127.0.0.1, port: \(closed.port)}}
              - {id: rs485, serial: {device: \(missingSerial), baud: 9600}}
              - {id: v6, tcp: {host: "[::1]:\(v6.port)"}}
            devices:
            \(device("gw", "dns"))
            \(device("off", "closed"))
            \(device("rs", "rs485"))
            \(device("six", "v6"))
            """
        let health = try await TopicRecorder(port: broker.port, filter: "plantgate/why/devices/+/health")
        let stats = try await TopicRecorder(port: broker.port, filter: "plantgate/why/gateway/stats")
        let daemon = try gateway.startDaemon(config: config)

        let expected = [
            "gw": ("host_not_found", "cannot resolve host mcc-gw-3.invalid: Name or service not known"),
            "off": ("refused", "connection refused"),
            "rs": ("no_such_device", "no such device \(missingSerial)"),
        ]
        var report: StatusReport?
        #expect(await eventually(timeout: .seconds(15)) {
            report = try? await daemonStatus(socket: socket)
            guard let devices = report?.devices else { return false }
            return devices.first { $0.id == "six" }?.up == true && expected.keys.allSatisfy { id in devices.first { $0.id == id }?.lastError != nil }
        }, "log: \(daemon.log)")
        let devices = try #require(report?.devices)
        for (id, (counter, text)) in expected {
            let device = try #require(devices.first { $0.id == id })
            #expect(!device.up)
            #expect(device.lastError?.contains(text) == true, "\(id): \(device.lastError ?? "nil")")
            #expect(device.lastErrorAt != nil, "\(id) error without its time")
            #expect((device.errorsLastMinute?[counter] ?? 0) >= 1, "\(id): \(device.errorsLastMinute ?? [:])")
            #expect((device.errors[counter] ?? 0) >= 1)
        }
        #expect(devices.first { $0.id == "rs" }?.lastError?.contains("/dev/serial/by-id/") == true)
        #expect(devices.first { $0.id == "off" }?.lastError?.contains("baud") == false)
        #expect(devices.first { $0.id == "six" }?.lastError == nil)
        let dnsBus = try #require(report?.buses.first { $0.id == "dns" })
        #expect(dnsBus.lastError?.contains("cannot resolve host mcc-gw-3.invalid") == true && dnsBus.lastErrorAt != nil)
        #expect(report?.buses.first { $0.id == "v6" }?.endpoint == "tcp [::1]:\(v6.port)")

        let table = try await ProcessRunner.run(BuiltExecutable.path("plantgate"), ["status", "--socket", socket])
        #expect(table.standardOutput.contains("bus dns cannot connect (at "), "\(table.standardOutput)")
        #expect(table.standardOutput.contains("gw: down, error now at "), "\(table.standardOutput)")

        // The health topic names the reason and its time without waiting for the minute's republication.
        #expect(await eventually(timeout: .seconds(10)) {
            health.objects(on: "plantgate/why/devices/gw/health").contains { ($0["last_error"] as? String)?.contains("cannot resolve host") == true }
        })
        let gwHealth = try #require(health.objects(on: "plantgate/why/devices/gw/health").last)
        #expect(gwHealth["up"] as? Bool == false)
        #expect(gwHealth["last_error_at"] is String)
        #expect(((gwHealth["errors_last_minute"] as? [String: Any])?["host_not_found"] as? Int ?? 0) >= 1)

        // gateway/stats lists each down device with its reason (published every 10 s).
        var down: [String: Any] = [:]
        #expect(await eventually(timeout: .seconds(15)) {
            guard let last = stats.objects(on: "plantgate/why/gateway/stats").last, let listed = last["down"] as? [String: Any] else { return false }
            down = listed
            return listed["six"] == nil && expected.keys.allSatisfy { ((listed[$0] as? [String: Any])?["error"] as? String) != nil }
        }, "stats: \(stats.objects(on: "plantgate/why/gateway/stats"))")
        #expect(((down["off"] as? [String: Any])?["error"] as? String)?.contains("connection refused") == true, "off: \(down["off"] ?? "nil")")
        #expect(await daemon.terminate() == 0)
        withExtendedLifetime(closed) {}
    }
}
