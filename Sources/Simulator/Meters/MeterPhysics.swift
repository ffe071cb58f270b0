/// What a simulated meter measures, as pure functions of simulated time.
public protocol MeterPhysics: Sendable {
    /// The counters, in the order of `rates(at:curve:)`.
    var counters: [CounterChannel] { get }
    /// The tag a spike fault distorts (`power_total`, `volume_flow`...).
    var primaryGauge: String { get }
    /// Counter rates in truth units per hour at `t` (the simulator integrates exactly these).
    func rates(at t: Double, curve: ProcessCurve) -> [Double]
    /// Instantaneous values for the truth file (`power_kw`, `flow_m3h`...).
    func gauges(at t: Double, curve: ProcessCurve) -> [(key: String, value: Double)]
    /// Every profile tag's engineering value at `t`, counters taken from `context`.
    func tagValues(at t: Double, curve: ProcessCurve, context: MeterContext) -> [String: Double]
}

/// Meter state that is not a pure function of one instant: counters as displayed, reset marker, demand.
public struct MeterContext: Sendable, Hashable {
    /// Counters as the meter shows them, in tag units, before any wrap.
    public var display: [Double]
    /// The reset marker (Schneider energy_reset_time), as a number.
    public var marker: Double
    public var demandLast: Double
    public var demandPresent: Double
    public var demandPeak: Double

    public init(display: [Double], marker: Double = 0, demandLast: Double = 0, demandPresent: Double = 0, demandPeak: Double = 0) {
        self.display = display
        self.marker = marker
        self.demandLast = demandLast
        self.demandPresent = demandPresent
        self.demandPeak = demandPeak
    }
}
