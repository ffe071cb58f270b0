/// A rate that follows its line's throughput with a given coupling, plus its own wobble.
public struct RateShape: Sendable, Hashable {
    /// The rate at factor 1, in the meter's rate unit (kW, m3/h, Nm3/h, t/h).
    public var nominal: Double
    /// 0: flat; 1: moves fully with the line's throughput.
    public var coupling: Double
    /// Relative amplitude of the meter's own noise.
    public var wobble: Double
    /// Noise stream, distinct per meter.
    public var stream: UInt64

    public init(nominal: Double, coupling: Double = 1, wobble: Double = 0.01, stream: UInt64) {
        self.nominal = nominal
        self.coupling = coupling
        self.wobble = wobble
        self.stream = stream
    }

    /// The rate at `t` simulated seconds; never negative.
    public func rate(at t: Double, curve: ProcessCurve) -> Double {
        let line = 1 + coupling * (curve.factor(at: t) - 1)
        return max(0, nominal * line * curve.wobble(stream: stream, amplitude: wobble, at: t))
    }
}
