/// A belt weigh-scale counting product: rate = load × speed, total = ∫rate.
public struct BeltScaleModel: MeterPhysics {
    public var product: RateShape
    /// Belt speed, m/s.
    public var beltSpeed: Double
    /// An electrowinning tankhouse whose stripped cathode the scale weighs (its rate replaces `product`'s).
    public var tankhouse: Tankhouse?

    public init(product: RateShape, beltSpeed: Double = 1.2, tankhouse: Tankhouse? = nil) {
        self.product = product
        self.beltSpeed = beltSpeed
        self.tankhouse = tankhouse
    }

    func rate(at t: Double, curve: ProcessCurve) -> Double {
        tankhouse?.platingTonnesPerHour(at: t, curve: curve) ?? product.rate(at: t, curve: curve)
    }

    public var counters: [CounterChannel] {
        [CounterChannel(tag: "total", truthKey: "product_t", wrap: 4_294_967.296)]
    }

    public var primaryGauge: String { "rate" }

    public func rates(at t: Double, curve: ProcessCurve) -> [Double] { [rate(at: t, curve: curve)] }

    public func gauges(at t: Double, curve: ProcessCurve) -> [(key: String, value: Double)] {
        [("rate_th", rate(at: t, curve: curve))]
    }

    public func tagValues(at t: Double, curve: ProcessCurve, context: MeterContext) -> [String: Double] {
        let tph = rate(at: t, curve: curve)
        let speed = beltSpeed * (1 + 0.002 * curve.noise.value(stream: product.stream &+ 5, at: t))
        let harvests = tankhouse?.harvests(atEpoch: curve.startEpoch + t) ?? 0
        return ["rate": tph, "total": context.display.first ?? 0, "speed": speed, "load": tph * 1000 / 3600 / speed, "harvests": harvests]
    }
}
