import Foundation
import Modbus
import Testing
import TestSupport

/// A meter with known values: power 412.75 kW (float32 ABCD at 100) and an energy counter of
/// 123,456,789 Wh (uint32 at 102).
struct KnownMeter: ModbusRequestHandler {
    func reply(to request: ModbusRequest) -> ModbusReply {
        guard request.unit == 1 else { return .silence }
        var table = [UInt16](repeating: 0, count: 200)
        table[100] = 0x43CE; table[101] = 0x6000
        table[102] = 0x075B; table[103] = 0xCD15
        let start = Int(request.address)
        return .registers((0..<Int(request.count)).map { start + $0 < table.count ? table[start + $0] : 0 })
    }
}

/// A config for one TCP meter, a broker and a private state directory.
func gatewayConfig(site: String, brokerPort: Int, meterPort: Int, directory: URL, interval: String = "200ms", logLevel: String = "info",
                   extra: String = "") -> String {
    """
    site: {id: \(site), time_zone: Europe/Berlin}
    mqtt: {host: 127.0.0.1, port: \(brokerPort), prefix: plantgate, keepalive: 5s}
    buses:
      - {id: mcc, tcp: {host: 127.0.0.1, port: \(meterPort)}, response_timeout: 300ms}
    devices:
      - id: pm
        bus: mcc
        unit: 1
        interval: \(interval)
        tags:
          power: {register: "holding:100", type: float32, order: ABCD, unit: kW}
          energy: {register: "holding:102", type: uint32, order: ABCD, unit: Wh, kind: counter}
    lines:
      - id: l1
        name: Line 1
        product: {name: "LiOH·H2O", lce_factor: 0.8804, min_t: 0.2}
        inputs:
          - {tag: pm/energy, role: electricity_import}
          - {tag: pm/power, role: active_power}
    factors:
      grid: {id: test-grid, kgco2e_per_kwh: 0.8, source: test, vintage: 2024}
    state_dir: \(directory.path)/state
    control_socket: \(directory.path)/control.sock
    log_level: \(logLevel)
    \(extra)
    """
}

/// What a daemon test starts from: the shared harness (broker, private directory, plantgated on its
/// config) with `KnownMeter` served in process and a gateway config written for both.
struct GatewaySetup {
    let harness: GatewayHarness
    let meter: ModbusTCPServer

    var broker: MosquittoBroker { harness.broker }
    var directory: URL { harness.directory }
    var configPath: URL { harness.configPath }
    var controlSocket: String { harness.controlSocket }

    static func start(site: String, logLevel: String = "info", extra: String = "") async throws -> GatewaySetup {
        let harness = try await GatewayHarness.start()
        let meter = try ModbusTCPServer(port: 0, handler: KnownMeter())
        meter.start()
        try harness.writeConfig(gatewayConfig(site: site, brokerPort: harness.broker.port, meterPort: meter.port, directory: harness.directory,
                                               logLevel: logLevel, extra: extra))
        return GatewaySetup(harness: harness, meter: meter)
    }

    /// Starts plantgated on the setup's config.
    func startDaemon(environment: [String: String] = [:], privateCopy: Bool = false) throws -> BuiltExecutable {
        try harness.startDaemon(environment: environment, privateCopy: privateCopy)
    }
}

@Suite("plantgated end to end: Modbus server → plantgated → mosquitto → subscriber", .serialized)
struct EndToEndTests {
    @Test func valuesArriveAsPublishedAndStatusFollowsTheDaemon() async throws {
        let setup = try await GatewaySetup.start(site: "e2e")
        defer { setup.meter.stop() }
        let meter = setup.meter
        let recorder = try await setup.harness.recorder("plantgate/e2e/#")

        let daemon = try setup.startDaemon()
        let power = "plantgate/e2e/devices/pm/power"
        #expect(await eventually(timeout: .seconds(15)) { !recorder.objects(on: power).isEmpty }, "log: \(daemon.log)")
        let first = try #require(recorder.objects(on: power).first)
        // How the bus threads are scheduled is said once, for the process, not tagged with one bus.
        let scheduling = daemon.log.split(separator: "\n").filter { $0.contains("bus threads run") }
        #expect(scheduling.count == 1 && !scheduling[0].contains("bus="), "scheduling lines: \(scheduling)")
        #expect(first["v"] as? Double == 412.75)
        #expect(first["u"] as? String == "kW")
        #expect(first["q"] as? String == "good")
        let time = try #require(first["t"] as? String)
        #expect(time.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"#, options: .regularExpression) != nil)

        #expect(await eventually(timeout: .seconds(5)) { !recorder.objects(on: "plantgate/e2e/devices/pm/energy").isEmpty })
        #expect(recorder.objects(on: "plantgate/e2e/devices/pm/energy").first?["v"] as? Double == 123_456_789)
        #expect(recorder.objects(on: "plantgate/e2e/status").first?["state"] as? String == "online")

        // The line's live metrics flow too (power_kw is instantaneous).
        #expect(await eventually(timeout: .seconds(15)) { !recorder.objects(on: "plantgate/e2e/lines/l1/power_kw").isEmpty }, "log: \(daemon.log)")
        #expect(recorder.objects(on: "plantgate/e2e/lines/l1/power_kw").last?["v"] as? Double == 412.75)

        #expect(meter.statistics.nonReadRequests == 0)
        let status = await daemon.terminate()
        #expect(status == 0, "log: \(daemon.log)")
        #expect(await eventually(timeout: .seconds(5)) { recorder.objects(on: "plantgate/e2e/status").last?["state"] as? String == "offline" })
    }

    @Test func killedDaemonIsMarkedOfflineByItsWill() async throws {
        let setup = try await GatewaySetup.start(site: "kill")
        defer { setup.meter.stop() }
        let recorder = try await setup.harness.recorder("plantgate/kill/status")
        let daemon = try setup.startDaemon()
        #expect(await eventually(timeout: .seconds(15)) { recorder.objects(on: "plantgate/kill/status").last?["state"] as? String == "online" })
        await daemon.kill()
        // keepalive 5 s: the broker gives up after 1.5 × keepalive at the latest.
        #expect(await eventually(timeout: .seconds(12)) { recorder.objects(on: "plantgate/kill/status").last?["state"] as? String == "offline" })
    }

    @Test func invalidConfigExitsWithConfigStatusAndNamesTheLine() async throws {
        let directory = try temporaryDirectory()
        let configPath = directory.appendingPathComponent("plantgate.yaml")
        try gatewayConfig(site: "bad", brokerPort: 1, meterPort: 70000, directory: directory)
            .write(to: configPath, atomically: true, encoding: .utf8)
        let daemon = try BuiltExecutable("plantgated", arguments: ["--config", configPath.path], directory: directory)
        #expect(await daemon.child.waitForExit(timeout: .seconds(10)))
        #expect(daemon.child.exitCode == 78)
        #expect(daemon.log.contains("plantgate.yaml:4"), "log: \(daemon.log)")
        #expect(daemon.log.contains("65535"))
    }
}
