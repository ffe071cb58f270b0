import Foundation
import PlantModel

/// A three-phase power meter on a load that follows its line (main incomer, rectifier, pumps).
public struct PowerMeterModel: MeterPhysics {
    /// Register conventions of the meter being simulated.
    public enum Style: Sendable, Hashable {
        /// schneider-pm5xxx: kW, int64 Wh counters, 4Q power factor, demand.
        case schneider
        /// eastron-sdm630: W, float32 kWh counters.
        case eastron
        /// siemens-pac3200/4200: W, VA, var per phase, float64 Wh counters.
        case siemens
    }

    public var style: Style
    public var load: RateShape
    /// Lagging power factor around which the meter wanders (±0.008).
    public var powerFactor: Double
    /// Relative ripple (an EW rectifier's), with its period in seconds.
    public var ripple: Double
    public var ripplePeriod: Double

    public init(style: Style, load: RateShape, powerFactor: Double, ripple: Double = 0, ripplePeriod: Double = 600) {
        self.style = style
        self.load = load
        self.powerFactor = powerFactor
        self.ripple = ripple
        self.ripplePeriod = ripplePeriod
    }

    public var counters: [CounterChannel] {
        let factor = style == .eastron ? 0.001 : 1
        return [
            CounterChannel(tag: "energy_import", truthKey: "import_wh", displayFactor: factor),
            CounterChannel(tag: "energy_export", truthKey: "export_wh", displayFactor: factor),
            CounterChannel(tag: "reactive_import", truthKey: "reactive_import_varh", displayFactor: factor),
        ]
    }

    public var primaryGauge: String { "power_total" }

    /// Total active power (kW) and power factor at `t`: all the counters need.
    func activePower(at t: Double, curve: ProcessCurve) -> (kW: Double, pf: Double) {
        var power = load.rate(at: t, curve: curve)
        if ripple > 0 { power *= 1 + ripple * sin(2 * Double.pi * t / ripplePeriod) }
        return (power, min(0.995, powerFactor + 0.008 * curve.noise.value(stream: load.stream &+ 3, at: t)))
    }

    /// Every electrical quantity at `t`.
    public func reading(at t: Double, curve: ProcessCurve) -> ElectricalReading {
        let noise = curve.noise
        let (power, pf) = activePower(at: t, curve: curve)
        // The grid is shared: voltages and frequency come from scenario-wide streams.
        let volts = (0..<3).map { 230.94 * (1 + 0.004 * noise.value(stream: 901 &+ UInt64($0), at: t)) }
        let ua = 0.01 * noise.value(stream: load.stream &+ 1, at: t)
        let ub = 0.01 * noise.value(stream: load.stream &+ 2, at: t)
        let frequency = 50 + 0.03 * noise.value(stream: 910, at: t)
        return ElectricalReading(totalKW: power, powerFactor: pf, phaseVoltage: volts, shares: [1 + ua, 1 + ub, 1 - ua - ub], frequency: frequency)
    }

    public func rates(at t: Double, curve: ProcessCurve) -> [Double] {
        let (power, pf) = activePower(at: t, curve: curve)
        let reactive = power * tan(acos(pf))
        return [max(0, power) * 1000, max(0, -power) * 1000, max(0, reactive) * 1000]
    }

    public func gauges(at t: Double, curve: ProcessCurve) -> [(key: String, value: Double)] {
        let r = reading(at: t, curve: curve)
        return [("power_kw", r.totalKW), ("reactive_kvar", r.reactiveKvar), ("power_factor", r.powerFactor)]
    }

    public func tagValues(at t: Double, curve: ProcessCurve, context: MeterContext) -> [String: Double] {
        let r = reading(at: t, curve: curve)
        var values: [String: Double] = [:]
        switch style {
        case .schneider:
            for (k, suffix) in ["a", "b", "c"].enumerated() {
                values["current_\(suffix)"] = r.phaseCurrent[k]
                values["voltage_\(suffix)n"] = r.phaseVoltage[k]
                values["power_\(suffix)"] = r.phasePowerKW[k]
            }
            values["voltage_ab"] = r.lineVoltage[0]
            values["voltage_bc"] = r.lineVoltage[1]
            values["voltage_ca"] = r.lineVoltage[2]
            values["power_total"] = r.totalKW
            values["reactive_power_total"] = r.reactiveKvar
            values["apparent_power_total"] = r.apparentKVA
            values["power_factor"] = PowerFactor.encodeSchneider4Q(pf: r.powerFactor, leading: false)
            values["energy_reset_time"] = context.marker
            values["demand_last"] = context.demandLast
            values["demand_present"] = context.demandPresent
            values["demand_peak"] = context.demandPeak
        case .eastron:
            for k in 0..<3 {
                values["voltage_l\(k + 1)"] = r.phaseVoltage[k]
                values["current_l\(k + 1)"] = r.phaseCurrent[k]
                values["power_l\(k + 1)"] = r.phasePowerKW[k] * 1000
            }
            values["power_total"] = r.totalKW * 1000
            values["apparent_power_total"] = r.apparentKVA * 1000
            values["reactive_power_total"] = r.reactiveKvar * 1000
            values["power_factor"] = r.powerFactor
        case .siemens:
            values.merge(Self.sentronPhases(r)) { _, new in new }
        }
        values["frequency"] = r.frequency
        for (index, channel) in counters.enumerated() where index < context.display.count {
            values[channel.tag] = context.display[index]
        }
        return values
    }
}
