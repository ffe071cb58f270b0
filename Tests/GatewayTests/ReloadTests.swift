import ControlProtocol
import Foundation
import Gateway
import Modbus
import ModbusProtocol
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A meter whose power register counts its requests, so every poll publishes a new value (holding 100,
/// float32 ABCD) — and an input register table (FC04) that answers "server device failure".
final class CountingMeter: ModbusRequestHandler, @unchecked Sendable {
    private let lock = NSLock()
    private var served = 0

    func reply(to request: ModbusRequest) -> ModbusReply {
        if request.functionCode == 4 { return .exception(.serverDeviceFailure) }
        let count = lock.withLock { served += 1; return served }
        let bits = Float(count).bitPattern
        var table = [UInt16](repeating: 0, count: 200)
        table[100] = UInt16(bits >> 16); table[101] = UInt16(bits & 0xFFFF)
        let start = Int(request.address)
        return .registers((0..<Int(request.count)).map { start + $0 < table.count ? table[start + $0] : 0 })
    }
}

/// A meter that drops the connection on every request: the worst dead meter for the log.
struct HangingUpMeter: ModbusRequestHandler {
    func reply(to request: ModbusRequest) -> ModbusReply { .disconnect }
}

/// A meter that fails every other request ("server device busy"): a flapping device.
final class FlappingMeter: ModbusRequestHandler, @unchecked Sendable {
    private let lock = NSLock()
    private var served = 0

    func reply(to request: ModbusRequest) -> ModbusReply {
        let count = lock.withLock { served += 1; return served }
        return count % 2 == 0 ? .exception(.serverDeviceBusy) : .registers([UInt16](repeating: 0x4000, count: Int(request.count)))
    }
}

/// A config with buses and devices given as YAML lines; no line, so only raw values flow.
private func busConfig(site: String, brokerPort: Int, directory: URL, buses: [String], devices: [String]) -> String {
    """
    site: {id: \(site), time_zone: Europe/Berlin}
    mqtt: {host: 127.0.0.1, port: \(brokerPort), prefix: plantgate, keepalive: 5s}
    buses:
    \(buses.map { "  - \($0)" }.joined(separator: "\n"))
    devices:
    \(devices.joined(separator: "\n"))
    factors:
      grid: {id: test-grid, kgco2e_per_kwh: 0.8, source: test, vintage: 2024}
    state_dir: \(directory.path)/state
    control_socket: \(directory.path)/control.sock
    log_level: info
    """
}

private func device(_ id: String, bus: String, unit: Int, interval: String, extraTag: String = "") -> String {
    """
      - id: \(id)
        bus: \(bus)
        unit: \(unit)
        interval: \(interval)
        tags:
          power: {register: "holding:100", type: float32, order: ABCD, unit: kW}
    \(extraTag.isEmpty ? "" : "      \(extraTag)")
    """
}

/// The daemon's status through `plantgate status --json` on its control socket.
private func status(_ directory: URL) async throws -> StatusReport? {
    let result = try await ProcessRunner.run(BuiltExecutable.path("plantgate"),
                                             ["status", "--socket", directory.appendingPathComponent("control.sock").path, "--json"])
    guard let line = result.outputLines.first else { return nil }
    return try? ControlProtocol.decoder().decode(StatusReport.self, from: Data(line.utf8))
}

/// Sample times (`t`) of every value received on `topic`, sorted, in seconds.
private func sampleTimes(_ recorder: TopicRecorder, _ topic: String) -> [Double] {
    let format = ISO8601DateFormatter()
    format.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return recorder.objects(on: topic).compactMap { ($0["t"] as? String).flatMap(format.date(from:))?.timeIntervalSince1970 }.sorted()
}

@Suite("SIGHUP keeps unchanged buses polling; a dead meter does not flood the log", .serialized)
struct ReloadTests {
    @Test func anUnchangedBusKeepsPollingWhileAChangedOneRestartsAndARemovedDeviceDisappears() async throws {
        let gateway = try await GatewayHarness.start()
        let broker = gateway.broker
        let meterA = try ModbusTCPServer(port: 0, handler: CountingMeter())
        let meterB = try ModbusTCPServer(port: 0, handler: CountingMeter())
        meterA.start()
        meterB.start()
        defer { meterA.stop(); meterB.stop() }
        let directory = gateway.directory
        let busA = "{id: mcc, tcp: {host: 127.0.0.1, port: \(meterA.port)}, response_timeout: 300ms}"
        let before = busConfig(site: "rld", brokerPort: broker.port, directory: directory,
                               buses: [busA, "{id: field, tcp: {host: 127.0.0.1, port: \(meterB.port)}, response_timeout: 300ms}"],
                               devices: [device("pm", bus: "mcc", unit: 1, interval: "100ms"),
                                         device("fm", bus: "field", unit: 1, interval: "200ms"),
                                         device("fm-old", bus: "field", unit: 2, interval: "200ms")])
        try gateway.writeConfig(before)
        let recorder = try await gateway.recorder("plantgate/rld/devices/#")
        let daemon = try gateway.startDaemon()
        let pmPower = "plantgate/rld/devices/pm/power"
        #expect(await eventually(timeout: .seconds(15)) { recorder.objects(on: "plantgate/rld/devices/fm-old/power").count >= 5 }, "log: \(daemon.log)")
        var pmRequestsBefore = 0
        #expect(await eventually(timeout: .seconds(10)) {
            let report = try? await status(directory)
            pmRequestsBefore = report?.devices.first { $0.id == "pm" }?.requests ?? 0
            return pmRequestsBefore >= 30 && report?.devices.map(\.id) == ["pm", "fm", "fm-old"]
        }, "log: \(daemon.log)")

        // Bus field changes (timeout, one device gone), bus extra is new, bus mcc is untouched.
        let after = busConfig(site: "rld", brokerPort: broker.port, directory: directory,
                              buses: [busA, "{id: field, tcp: {host: 127.0.0.1, port: \(meterB.port)}, response_timeout: 400ms}",
                                      "{id: extra, tcp: {host: 127.0.0.1, port: \(meterB.port)}, response_timeout: 300ms}"],
                              devices: [device("pm", bus: "mcc", unit: 1, interval: "100ms"),
                                        device("fm", bus: "field", unit: 1, interval: "200ms"),
                                        device("x1", bus: "extra", unit: 3, interval: "200ms")])
        try gateway.writeConfig(after)
        let reloadedAt = Date().timeIntervalSince1970
        daemon.child.signal(SIGHUP)
        #expect(await eventually(timeout: .seconds(15)) { daemon.log.contains("configuration reloaded") }, "log: \(daemon.log)")
        #expect(daemon.log.contains("configuration reloaded: kept bus mcc, restarted bus field, added bus extra"), "log: \(daemon.log)")

        // The kept bus's statistics continue (a new poller would start from zero), it never reconnected,
        // and it connected once: a new poller would log its own "bus connected".
        let report = try #require(await status(directory))
        let pmAfter = try #require(report.devices.first { $0.id == "pm" })
        #expect(pmAfter.requests >= pmRequestsBefore)
        #expect(report.buses.first { $0.id == "mcc" }?.reconnects == 0)
        let mccConnects = daemon.log.split(separator: "\n").filter { $0.contains("bus connected") && $0.contains("bus=mcc") }
        #expect(mccConnects.count == 1, "log: \(daemon.log)")
        // The removed device is gone; the new bus's device polls.
        #expect(await eventually(timeout: .seconds(10)) {
            let now = try? await status(directory)
            return now?.devices.map(\.id) == ["pm", "fm", "x1"] && now?.devices.allSatisfy(\.up) == true
        }, "log: \(daemon.log)")
        #expect(await eventually(timeout: .seconds(10)) { !recorder.objects(on: "plantgate/rld/devices/x1/power").isEmpty })

        // Bus mcc's samples kept flowing through the swap: no gap over ~2 poll intervals around the reload.
        #expect(await eventually(timeout: .seconds(10)) { (sampleTimes(recorder, pmPower).last ?? 0) > reloadedAt + 2 })
        let times = sampleTimes(recorder, pmPower).filter { $0 > reloadedAt - 2 && $0 < reloadedAt + 2 }
        let gaps = zip(times.dropFirst(), times).map { $0 - $1 }
        #expect(times.count >= 30, "samples around the reload: \(times.count)")
        #expect((gaps.max() ?? 1) < 0.25, "largest gap between pm samples around the reload: \(gaps.max() ?? -1) s")
        #expect(await daemon.terminate() == 0)
    }

    @Test func deadHalfFailingAndFlappingMetersWriteABoundedNumberOfLogLines() async throws {
        let gateway = try await GatewayHarness.start()
        let broker = gateway.broker
        let dead = try ModbusTCPServer(port: 0, handler: HangingUpMeter())
        let half = try ModbusTCPServer(port: 0, handler: CountingMeter())
        let flapping = try ModbusTCPServer(port: 0, handler: FlappingMeter())
        dead.start()
        half.start()
        flapping.start()
        defer { dead.stop(); half.stop(); flapping.stop() }
        let directory = gateway.directory
        try gateway.writeConfig(busConfig(site: "rlg", brokerPort: broker.port, directory: directory,
                      buses: ["{id: deadbus, tcp: {host: 127.0.0.1, port: \(dead.port)}, response_timeout: 100ms}",
                              "{id: halfbus, tcp: {host: 127.0.0.1, port: \(half.port)}, response_timeout: 100ms}",
                              "{id: flapbus, tcp: {host: 127.0.0.1, port: \(flapping.port)}, response_timeout: 100ms}"],
                      devices: [device("deadmeter", bus: "deadbus", unit: 1, interval: "100ms"),
                                device("halfmeter", bus: "halfbus", unit: 1, interval: "100ms",
                                       extraTag: "flow: {register: \"input:10\", type: float32, order: ABCD, unit: m3/h}"),
                                device("flapmeter", bus: "flapbus", unit: 1, interval: "100ms")]))
        let daemon = try gateway.startDaemon()
        // At 10 Hz for several seconds: each meter fails at least 40 times.
        #expect(await eventually(timeout: .seconds(20)) {
            let devices = (try? await status(directory))?.devices ?? []
            return devices.count == 3 && devices.allSatisfy { $0.errors.values.reduce(0, +) >= 40 }
        }, "log: \(daemon.log)")
        let lines = daemon.log.split(separator: "\n")
        let deadLines = lines.filter { $0.contains("deadbus") || $0.contains("deadmeter") }
        let halfLines = lines.filter { $0.contains("halfbus") || $0.contains("halfmeter") }
        let flapLines = lines.filter { $0.contains("flapbus") || $0.contains("flapmeter") }
        // dead: connected, reconnected, the failure (+ down, a summary); half: connected, the failure (+ a summary).
        #expect(deadLines.count <= 5, "dead meter log lines:\n\(deadLines.joined(separator: "\n"))")
        #expect(halfLines.count <= 3, "half-failing meter log lines:\n\(halfLines.joined(separator: "\n"))")
        // flapping: connected, the failure, the first recovery, the failure again; then one condition, summarised.
        #expect(flapLines.count <= 5, "flapping meter log lines:\n\(flapLines.joined(separator: "\n"))")
        #expect(flapLines.contains { $0.contains("device answers again") }, "the first recovery is logged:\n\(flapLines.joined(separator: "\n"))")
        #expect(deadLines.contains { $0.contains("connection") }, "the failure itself is logged:\n\(deadLines.joined(separator: "\n"))")
        #expect(halfLines.contains { $0.contains("exception 4") }, "the failure itself is logged:\n\(halfLines.joined(separator: "\n"))")
        #expect(await daemon.terminate() == 0)
    }
}
