import Foundation
import Modbus
import ModbusProtocol
import Simulator
import TestSupport
import Testing

@Suite("RTU serving and fault files")
struct SerialAndFileTests {
    @Test func fieldBusAnswersOnASerialLine() throws {
        let line = try SocatPair()
        defer { line.stop() }
        guard let plant = PlantScenario.named("lithium-hydroxide", start: SimFixture.start, seed: 2) else { throw FixtureError("no scenario") }
        let simulation = try Simulation(scenario: plant, clock: ManualClock(120))
        let servers = try PlantServers(simulation: simulation, mccPort: 0, fieldPort: 0, serial: [SerialSettings(device: line.first, baud: 38400, parity: .even)])
        try servers.start()
        defer { servers.stop() }
        let client = ModbusClient(endpoint: .rtu(SerialSettings(device: line.second, baud: 38400, parity: .even)), timeouts: ModbusTimeouts(response: 0.5, byte: 0.05))
        try client.connect()
        let flow = SimFixture.decode(try client.readRegisters(.holding, unit: 2, address: 2008, count: 2), profile: "eh-promag", tag: "volume_flow")
        #expect(abs(flow - 28) < 28 * 0.15)
        let rate = SimFixture.decode(try client.readRegisters(.holding, unit: 7, address: 0, count: 2), profile: "belt-scale", tag: "rate")
        #expect(abs(rate - 2.5) < 2.5 * 0.15)
        // pm-main sits on bus mcc, not on this line: silence, as on a real RS-485 bus.
        let error = #expect(throws: ModbusError.self) { try client.readRegisters(.holding, unit: 1, address: 3059, count: 2) }
        #expect(error?.kind == .timeout)
        #expect(servers.descriptions.contains { $0.hasPrefix("serving bus field on rtu \(line.first)") })
    }

    @Test(arguments: ["comm-faults.yaml", "counter-events.yaml"])
    func exampleFaultFilesLoadAgainstTheScenario(file: String) throws {
        let path = ProfileReadTests.packageRoot.appendingPathComponent("Deploy/scenarios/\(file)").path
        let schedule = try FaultFile.load(path: path)
        #expect(!schedule.faults.isEmpty)
        guard let plant = PlantScenario.named("lithium-hydroxide", start: SimFixture.start) else { throw FixtureError("no scenario") }
        _ = try Simulation(scenario: plant, schedule: schedule, clock: ManualClock())
    }

    @Test(arguments: [
        ("faults:\n  - {meter: pm-aux, kind: timeot}\n", "bad.yaml:2", "timeout"),
        ("faults:\n  - {meter: pm-aux, kind: slow, delay: soon}\n", "bad.yaml:2", "250ms"),
        ("faults:\n  - {kind: timeout}\n", "bad.yaml:2", "meter:"),
        ("faults:\n  - {meter: pm-main, kind: exception, code: 99}\n", "bad.yaml:2", "illegal_data_address"),
        ("fault:\n  - {meter: pm-aux, kind: timeout}\n", "bad.yaml:1", "faults:"),
    ])
    func badFaultFilesNameTheLineAndTheFix(yaml: String, origin: String, fix: String) {
        let error = #expect(throws: FaultScheduleError.self) { try FaultFile.parse(yaml: yaml, file: "bad.yaml") }
        #expect(error?.origin == origin)
        #expect(error?.message.contains(fix) == true, "\(error?.message ?? "")")
    }

    @Test func unknownMeterAndNonWrappingRolloverAreRefused() throws {
        guard let plant = PlantScenario.named("hydromet-copper", start: SimFixture.start) else { throw FixtureError("no scenario") }
        let unknown = #expect(throws: FaultScheduleError.self) {
            try Simulation(scenario: plant, schedule: FaultSchedule(faults: [try FaultFlag.parse("pm-main:timeout@1s")]), clock: ManualClock())
        }
        #expect(unknown?.message.contains("pm-rectifier") == true)
        let rollover = #expect(throws: FaultScheduleError.self) {
            try Simulation(scenario: plant, schedule: FaultSchedule(faults: [try FaultFlag.parse("pm-rectifier:rollover@1s")]), clock: ManualClock())
        }
        #expect(rollover?.message.contains("reset") == true)
    }
}
