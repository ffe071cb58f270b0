/// A Siemens SITRANS F 6000 transmitter on a process stream: MAG 6000 (volume) or MASS 6000 (Coriolis).
///
/// Both totalizers count the same stream (totalizer 2 as a second, independently resettable total). The
/// registers show SI units: flow per second, totals in m3 (MAG) or kg (MASS).
public struct SitransFlowModel: MeterPhysics {
    /// Volume flow in m3/h.
    public var flow: RateShape
    /// Coriolis: density (kg/m3) of the liquor; nil for the electromagnetic MAG 6000.
    public var density: Double?

    public init(flow: RateShape, density: Double? = nil) {
        self.flow = flow
        self.density = density
    }

    /// Truth in m3 (MAG) or kg (MASS), both totalizers from the same rate.
    public var counters: [CounterChannel] {
        let key = density == nil ? "volume_m3" : "mass_kg"
        return [CounterChannel(tag: "totalizer_1", truthKey: key), CounterChannel(tag: "totalizer_2", truthKey: key + "_2")]
    }

    public var primaryGauge: String { density == nil ? "volume_flow" : "mass_flow" }

    func liquorDensity(at t: Double, curve: ProcessCurve) -> Double {
        (density ?? 1000) * curve.wobble(stream: flow.stream &+ 7, amplitude: 0.003, at: t)
    }

    public func rates(at t: Double, curve: ProcessCurve) -> [Double] {
        let m3h = flow.rate(at: t, curve: curve)
        let rate = density == nil ? m3h : m3h * liquorDensity(at: t, curve: curve)
        return [rate, rate]
    }

    public func gauges(at t: Double, curve: ProcessCurve) -> [(key: String, value: Double)] {
        let m3h = flow.rate(at: t, curve: curve)
        guard density != nil else { return [("flow_m3h", m3h)] }
        return [("flow_m3h", m3h), ("mass_flow_kgh", m3h * liquorDensity(at: t, curve: curve))]
    }

    public func tagValues(at t: Double, curve: ProcessCurve, context: MeterContext) -> [String: Double] {
        let m3s = flow.rate(at: t, curve: curve) / 3600
        var values = ["volume_flow": m3s]
        if density != nil {
            let rho = liquorDensity(at: t, curve: curve)
            values["density"] = rho
            values["mass_flow"] = m3s * rho
            values["temperature"] = 22 + 0.5 * curve.noise.value(stream: flow.stream &+ 9, at: t)
        }
        for (index, channel) in counters.enumerated() where index < context.display.count {
            values[channel.tag] = context.display[index]
        }
        return values
    }
}
