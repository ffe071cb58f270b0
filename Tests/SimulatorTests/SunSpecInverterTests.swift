import Foundation
import Modbus
import ModbusProtocol
import PlantModel
import Simulator
import Testing

/// The meter-shelf's SunSpec inverter: its factors change at run time and a plan decodes through them.
@Suite("SunSpec inverter in the simulator")
struct SunSpecInverterTests {
    /// The inverter's tags as `scan --sunspec` prints them, compiled into a read plan.
    static func plan() throws -> PlantPlan {
        let lines = SunSpecInverterPoints.yaml(modelAddress: SunSpecInverterModel.modelAddress).split(separator: "\n").map { "      " + $0 }
        let yaml = (["site: {id: pv}", "mqtt: {host: 127.0.0.1}", "buses:", "  - {id: mcc, tcp: {host: 127.0.0.1, port: 1502}}",
                     "devices:", "  - id: pv-inverter", "    bus: mcc", "    unit: 5", "    tags:"] + lines).joined(separator: "\n")
        return try ConfigLoader.load(yaml: yaml).get().plan
    }

    @Test func powerAndEnergyReadTheSameAcrossAFactorChange() throws {
        let fixture = try SimFixture("meter-shelf")
        let plan = try Self.plan()
        let mcc = try fixture.client("mcc")
        func read(_ name: String) throws -> (value: Double, raw: UInt16) {
            let tag = try #require(plan.tag(path: "pv-inverter/\(name)"))
            let words = try mcc.readRegisters(.holding, unit: 5, address: tag.register.address, count: tag.decode.registerCount)
            let reading = words.withUnsafeBufferPointer { RegisterDecoder.decode(tag.decode, words: $0, at: 0) }
            #expect(reading.quality == .good, "\(name)")
            return (reading.value, words[0])
        }
        fixture.fastForward(to: 299)
        #expect(SunSpecInverterModel.scaleFactor(at: 299) == 0)
        let before = try read("ac_power"), energyBefore = try read("ac_energy").value
        fixture.fastForward(to: 301)
        #expect(SunSpecInverterModel.scaleFactor(at: 301) == 1)
        let after = try read("ac_power"), energyAfter = try read("ac_energy").value
        #expect(abs(before.value - 20_000) < 20_000 * 0.2, "about 20 kW: \(before.value) W")
        #expect(abs(after.value - before.value) < before.value * 0.05, "continuous across the factor change: \(before.value) → \(after.value)")
        #expect(Double(before.raw) > 5 * Double(after.raw), "the raw register dropped tenfold: \(before.raw) → \(after.raw)")
        let truth = fixture.simulation.withPlant { plant, t in plant.meter("pv-inverter")?.truth(at: t)[0] ?? 0 }
        #expect(abs(energyAfter - truth) <= 10, "energy in Wh to the register's 10 Wh step: \(energyAfter) vs \(truth)")
        #expect(energyAfter >= energyBefore)
        #expect(abs(try read("ac_frequency").value - 50) < 0.1)
    }
}
