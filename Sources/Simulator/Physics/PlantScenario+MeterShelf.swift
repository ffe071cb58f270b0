import Foundation

extension PlantScenario {
    /// One meter of each further built-in profile, for commissioning rehearsals and profile tests: a
    /// SENTRON PAC3200 and PAC4200 on bus mcc, a SITRANS MAG 6000 and MASS 6000 on bus field, and a
    /// SunSpec PV inverter (model 103 at 40069) on bus mcc unit 5.
    static func meterShelf(start: Date, seed: UInt64) -> PlantScenario {
        let curve = ProcessCurve(startEpoch: start.timeIntervalSince1970, utcOffsetHours: 0, seed: seed)
        let meters = [
            SimulatedMeter(id: "pac-feeder", bus: "mcc", unit: 1, profile: profile("siemens-pac3200"),
                           physics: PowerMeterModel(style: .siemens, load: RateShape(nominal: 180, coupling: 0.5, wobble: 0.03, stream: 210), powerFactor: 0.9),
                           curve: curve),
            SimulatedMeter(id: "pac-incomer", bus: "mcc", unit: 2, profile: profile("siemens-pac4200"),
                           physics: PowerMeterModel(style: .siemens, load: RateShape(nominal: 1_200, coupling: 0.7, stream: 220), powerFactor: 0.93),
                           curve: curve),
            SimulatedMeter(id: "mag-raw", bus: "field", unit: 3, profile: profile("siemens-mag6000"),
                           physics: SitransFlowModel(flow: RateShape(nominal: 45, coupling: 0.8, wobble: 0.02, stream: 230)), curve: curve),
            SimulatedMeter(id: "mass-pls", bus: "field", unit: 4, profile: profile("siemens-mass6000"),
                           physics: SitransFlowModel(flow: RateShape(nominal: 12, coupling: 0.9, wobble: 0.02, stream: 240), density: 1_150), curve: curve),
            SimulatedMeter(id: "pv-inverter", bus: "mcc", unit: 5, profile: SunSpecInverterModel.profile,
                           physics: SunSpecInverterModel(power: RateShape(nominal: 20, coupling: 0, wobble: 0.05, stream: 250)), curve: curve),
        ]
        return PlantScenario(name: "meter-shelf", summary: "one meter per Siemens profile and a SunSpec inverter", start: start, seed: seed, curve: curve, meters: meters)
    }
}
