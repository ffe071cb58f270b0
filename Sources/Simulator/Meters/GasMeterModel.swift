/// A gas volume corrector: corrected (Nm3) and line (m3) volume, from a flow, pressure and temperature.
public struct GasMeterModel: MeterPhysics {
    public var flow: RateShape
    /// Absolute line pressure, bar.
    public var pressure: Double
    /// Gas temperature, °C.
    public var temperature: Double

    public init(flow: RateShape, pressure: Double = 5.0, temperature: Double = 12) {
        self.flow = flow
        self.pressure = pressure
        self.temperature = temperature
    }

    public var counters: [CounterChannel] {
        [
            CounterChannel(tag: "volume_corrected", truthKey: "gas_nm3", wrap: 42_949_672.96),
            CounterChannel(tag: "volume_uncorrected", truthKey: "gas_m3", wrap: 42_949_672.96),
        ]
    }

    public var primaryGauge: String { "flow_corrected" }

    func conditions(at t: Double, curve: ProcessCurve) -> (bar: Double, celsius: Double) {
        (pressure + 0.05 * curve.noise.value(stream: flow.stream &+ 7, at: t),
         temperature + 0.8 * curve.noise.value(stream: flow.stream &+ 8, at: t))
    }

    /// Line volume per normal volume at `t` (Boyle–Charles, reference 1.01325 bar, 0 °C).
    func lineVolumeFactor(at t: Double, curve: ProcessCurve) -> Double {
        let (bar, celsius) = conditions(at: t, curve: curve)
        return (1.01325 / bar) * ((celsius + 273.15) / 273.15)
    }

    public func rates(at t: Double, curve: ProcessCurve) -> [Double] {
        let normal = flow.rate(at: t, curve: curve)
        return [normal, normal * lineVolumeFactor(at: t, curve: curve)]
    }

    public func gauges(at t: Double, curve: ProcessCurve) -> [(key: String, value: Double)] {
        [("flow_nm3h", flow.rate(at: t, curve: curve))]
    }

    public func tagValues(at t: Double, curve: ProcessCurve, context: MeterContext) -> [String: Double] {
        let (bar, celsius) = conditions(at: t, curve: curve)
        var values: [String: Double] = ["flow_corrected": flow.rate(at: t, curve: curve), "pressure": bar, "temperature": celsius]
        for (index, channel) in counters.enumerated() where index < context.display.count {
            values[channel.tag] = context.display[index]
        }
        return values
    }
}
