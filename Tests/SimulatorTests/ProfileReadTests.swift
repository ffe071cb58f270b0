import Foundation
import Modbus
import ModbusProtocol
import PlantModel
import Simulator
import Testing

/// The example configs (PlantModel's own compiler and decoder) read plausible values from the simulator.
@Suite("Every tag of the example configs reads a plausible value over Modbus TCP")
struct ProfileReadTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func plausible(_ name: String, _ value: Double) -> Bool {
        switch name {
        case "voltage_an", "voltage_bn", "voltage_cn", "voltage_l1", "voltage_l2", "voltage_l3": abs(value - 230.94) <= 2.31
        case "voltage_ab", "voltage_bc", "voltage_ca": abs(value - 400) <= 4
        case "frequency": abs(value - 50) <= 0.05
        case "power_factor": (0.8...1).contains(value)
        case "system_condition": value == 1
        case "pressure": (4...6).contains(value)
        case "temperature": (0...30).contains(value)
        case "energy_reset_time": value > 1_600_000_000
        case "energy_export", "totalizer_overflow", "demand_last", "demand_peak": value >= 0
        default: value > 0
        }
    }

    @Test(arguments: PlantScenario.names)
    func exampleConfigAgreesWithTheSimulator(scenario: String) throws {
        let path = Self.packageRoot.appendingPathComponent("Deploy/examples/\(scenario).yaml").path
        let loaded = try ConfigLoader.load(data: try #require(FileManager.default.contents(atPath: path)), path: path).get()
        let fixture = try SimFixture(scenario)
        fixture.fastForward(to: 3_600)
        let clients = ["mcc": try fixture.client("mcc"), "field": try fixture.client("field")]
        let plant = fixture.simulation.withPlant { plant, _ in plant }
        for device in loaded.config.devices {
            let meter = try #require(plant.meter(device.id), "simulator has no meter \(device.id)")
            #expect(meter.bus == device.bus && Int(meter.unit) == device.unit, "\(device.id): config says \(device.bus) unit \(device.unit)")
        }
        var checked = 0
        for tag in loaded.plan.tags {
            let device = try #require(loaded.config.devices.first { $0.id == tag.device })
            let client = try #require(clients[device.bus])
            let table: RegisterTable = tag.register.table == .input ? .input : .holding
            let words = try client.readRegisters(table, unit: UInt8(device.unit), address: tag.register.address, count: tag.decode.registerCount)
            let reading = words.withUnsafeBufferPointer { RegisterDecoder.decode(tag.decode, words: $0, at: 0) }
            #expect(reading.quality == .good, "\(tag.path)")
            #expect(Self.plausible(tag.name, reading.value), "\(tag.path) = \(reading.value) \(tag.unit)")
            checked += 1
        }
        #expect(checked >= 40)
    }

    @Test func powerMeterTotalsMatchTheirPhasesAndTheTruth() throws {
        let fixture = try SimFixture()
        fixture.fastForward(to: 1_800)
        let mcc = try fixture.client("mcc")
        let phases = try ["power_a", "power_b", "power_c"].map { try fixture.read(mcc, unit: 1, profile: "schneider-pm5xxx", tag: $0) }
        let total = try fixture.read(mcc, unit: 1, profile: "schneider-pm5xxx", tag: "power_total")
        #expect(abs(phases.reduce(0, +) - total) < 0.01)
        #expect(abs(total - 8_800) < 8_800 * 0.15)
        let auxTotal = try fixture.read(mcc, unit: 3, profile: "eastron-sdm630", tag: "power_total")
        #expect(abs(auxTotal - 250_000) < 250_000 * 0.15)
        // The int64 Wh register is the integral, truncated to whole Wh.
        let wh = try fixture.read(mcc, unit: 1, profile: "schneider-pm5xxx", tag: "energy_import")
        let truth = fixture.simulation.withPlant { plant, t in plant.meter("pm-main")?.truth(at: t)[0] ?? 0 }
        #expect(wh == truth.rounded(.down))
        #expect(abs(truth - 8_800_000 * 0.5) < 8_800_000 * 0.5 * 0.15)
    }

    @Test func ehReadsTheSameOnFC3AndFC4AndVolumeTotalIsOneRequest() throws {
        let fixture = try SimFixture()
        fixture.fastForward(to: 600)
        let field = try fixture.client("field")
        #expect(try field.readRegisters(.holding, unit: 2, address: 2008, count: 2) == field.readRegisters(.input, unit: 2, address: 2008, count: 2))
        let total = try fixture.read(field, unit: 2, profile: "eh-promag", tag: "volume_total")
        let truth = fixture.simulation.withPlant { plant, t in plant.meter("fm-intake")?.truth(at: t)[0] ?? 0 }
        #expect(abs(total - truth) < 1e-4)
    }

    @Test func unmappedRegistersAndUnknownUnitsAreRefused() throws {
        let fixture = try SimFixture()
        let mcc = try fixture.client("mcc")
        let outside = #expect(throws: ModbusError.self) { try mcc.readRegisters(.holding, unit: 1, address: 9000, count: 2) }
        #expect(outside?.kind == .exception(.illegalDataAddress))
        let nobody = #expect(throws: ModbusError.self) { try mcc.readRegisters(.holding, unit: 9, address: 0, count: 2) }
        #expect(nobody?.kind == .exception(.gatewayTargetFailedToRespond))
        // Gaps inside a meter's block read as 0, so a gateway may read across them.
        #expect(try mcc.readRegisters(.holding, unit: 1, address: 3005, count: 14) == [UInt16](repeating: 0, count: 14))
    }
}
