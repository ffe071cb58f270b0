import Foundation
import PlantModel
import Simulator
import Testing

/// The hydromet-copper tankhouse: rectifier DC side and cathode scale agree by Faraday's law.
@Suite struct TankhouseTests {
    static let start = Date(timeIntervalSince1970: 1_767_225_600)

    @Test func anHoursCathodeChargeAndDCEnergyAgreeWithFaraday() throws {
        var plant = try #require(PlantScenario.named("hydromet-copper", start: Self.start, seed: 9))
        plant.advance(to: 3_600)
        let rectifier = try #require(plant.meter("rect-ew")), scale = try #require(plant.meter("scale-cathode"))
        let (kwh, ampereHours) = (rectifier.truth(at: 3_600)[0], rectifier.truth(at: 3_600)[1])
        let cathode = scale.truth(at: 3_600)[0]
        let tankhouse = PlantScenario.copperTankhouse
        let efficiency = cathode / (ampereHours * tankhouse.spec.tonnesPerAmpereHour)
        // 92 % nominal, drifting ±0.5 %; 2.0 V per cell ± 1 %; ~3 t/h of cathode at ~1,830 kWh/t.
        #expect(abs(efficiency - 0.92) < 0.01, "CE \(efficiency)")
        #expect(abs(kwh * 1000 / (ampereHours * Double(tankhouse.spec.cells)) - 2.0) < 0.03)
        #expect(abs(cathode - 3) < 0.4 && abs(kwh / cathode - 1_834) < 60, "\(cathode) t, \(kwh / cathode) kWh/t")
        let tags = rectifier.tagValues(at: 1_800)
        #expect(abs((tags["dc_power"] ?? 0) - (tags["dc_current"] ?? 0) * (tags["dc_voltage"] ?? 0) / 1000) < 1e-6)
        #expect(abs((tags["charge"] ?? 0) * 1000 - rectifier.truth(at: 1_800)[1]) < 1e-6)
    }
}
