/// An E+H Promag on a water stream. A discharge meter is tied to its intake: it never passes more.
public struct FlowMeterModel: MeterPhysics {
    /// A discharge stream: `ratio` (±2 %) of the intake, capped at the intake.
    public struct Discharge: Sendable, Hashable {
        public var intake: RateShape
        public var ratio: Double
        public var stream: UInt64

        public init(intake: RateShape, ratio: Double, stream: UInt64) {
            self.intake = intake
            self.ratio = ratio
            self.stream = stream
        }
    }

    public var flow: RateShape
    public var discharge: Discharge?

    /// An intake or recycle stream.
    public init(flow: RateShape) {
        self.flow = flow
        discharge = nil
    }

    /// A discharge stream following `discharge.intake`.
    public init(discharge: Discharge) {
        self.flow = RateShape(nominal: discharge.intake.nominal * discharge.ratio, stream: discharge.stream)
        self.discharge = discharge
    }

    public var counters: [CounterChannel] {
        [CounterChannel(tag: "volume_total", truthKey: "volume_m3", wrap: 10_000_000)]
    }

    public var primaryGauge: String { "volume_flow" }

    /// Volume flow in m3/h at `t`.
    public func flowRate(at t: Double, curve: ProcessCurve) -> Double {
        guard let discharge else { return flow.rate(at: t, curve: curve) }
        let intake = discharge.intake.rate(at: t, curve: curve)
        return min(intake, intake * discharge.ratio * curve.wobble(stream: discharge.stream, amplitude: 0.02, at: t))
    }

    public func rates(at t: Double, curve: ProcessCurve) -> [Double] { [flowRate(at: t, curve: curve)] }

    public func gauges(at t: Double, curve: ProcessCurve) -> [(key: String, value: Double)] {
        [("flow_m3h", flowRate(at: t, curve: curve))]
    }

    public func tagValues(at t: Double, curve: ProcessCurve, context: MeterContext) -> [String: Double] {
        let total = context.display.first ?? 0
        let wraps = (total / 10_000_000).rounded(.down)
        return [
            "volume_flow": flowRate(at: t, curve: curve),
            "totalizer_sum": total - wraps * 10_000_000,
            "totalizer_overflow": wraps * 10_000_000,
            "system_condition": 1,
        ]
    }
}
