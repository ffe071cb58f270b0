import PlantModel

/// An electrowinning rectifier's controller: DC current, voltage over the cells in series, DC power,
/// and its DC energy (kWh) and charge (kAh) counters.
public struct RectifierModel: MeterPhysics {
    public var tankhouse: Tankhouse

    public init(tankhouse: Tankhouse) { self.tankhouse = tankhouse }

    /// Truth in kWh and Ah; the charge register shows kAh.
    public var counters: [CounterChannel] {
        [CounterChannel(tag: "dc_energy", truthKey: "dc_kwh", wrap: 429_496_729.6),
         CounterChannel(tag: "charge", truthKey: "charge_ah", displayFactor: 0.001, wrap: 4_294_967.296)]
    }

    public var primaryGauge: String { "dc_current" }

    public func rates(at t: Double, curve: ProcessCurve) -> [Double] {
        let amperes = tankhouse.amperes(at: t, curve: curve)
        return [tankhouse.dcVolts(at: t, curve: curve) * amperes / 1000, amperes]
    }

    public func gauges(at t: Double, curve: ProcessCurve) -> [(key: String, value: Double)] {
        [("dc_current_a", tankhouse.amperes(at: t, curve: curve)), ("cell_voltage_v", tankhouse.cellVolts(at: t, curve: curve)),
         ("current_efficiency", tankhouse.currentEfficiency(at: t, curve: curve))]
    }

    public func tagValues(at t: Double, curve: ProcessCurve, context: MeterContext) -> [String: Double] {
        let amperes = tankhouse.amperes(at: t, curve: curve)
        let volts = tankhouse.dcVolts(at: t, curve: curve)
        var values = ["dc_current": amperes, "dc_voltage": volts, "dc_power": amperes * volts / 1000]
        for (index, channel) in counters.enumerated() where index < context.display.count {
            values[channel.tag] = context.display[index]
        }
        return values
    }
}
