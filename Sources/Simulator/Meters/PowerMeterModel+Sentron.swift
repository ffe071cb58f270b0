import Foundation

extension PowerMeterModel {
    /// A SENTRON PAC's per-phase quantities (SI units: V, A, VA, W, var) from one consistent reading.
    static func sentronPhases(_ r: ElectricalReading) -> [String: Double] {
        var values: [String: Double] = [:]
        let reactiveShare = tan(acos(r.powerFactor))
        for (k, phase) in ["a", "b", "c"].enumerated() {
            values["voltage_\(phase)n"] = r.phaseVoltage[k]
            values["current_\(phase)"] = r.phaseCurrent[k]
            values["power_\(phase)"] = r.phasePowerKW[k] * 1000
            values["reactive_power_\(phase)"] = r.phasePowerKW[k] * 1000 * reactiveShare
            values["apparent_power_\(phase)"] = r.phaseVoltage[k] * r.phaseCurrent[k]
            values["power_factor_\(phase)"] = r.powerFactor
        }
        values["voltage_ab"] = r.lineVoltage[0]
        values["voltage_bc"] = r.lineVoltage[1]
        values["voltage_ca"] = r.lineVoltage[2]
        return values
    }
}
