import PlantModel

/// What one input contributed to one window: the hot-path accumulator (a trivial value, no references).
public struct InputTotals: Sendable, Hashable, Codable {
    /// Sum in the role's base unit (kWh, Nm3, m3, t; integrated kWh for power inputs).
    public var sum: Double = 0
    /// The part of `sum` that was spread across a gap or edge rather than measured.
    public var estimated: Double = 0
    /// Window time backed by accepted counter segments or valid trapezoid segments.
    public var coveredNanos: Int64 = 0
    /// Worst quality floor seen (uncertain samples, resets, jumps).
    public var floor: Quality = .good
    public var reasons: ReasonSet = []
    /// Raw counter readings (base units) bracketing the window; NaN when none.
    public var rawStart: Double = .nan
    public var rawEnd: Double = .nan
    /// Level inputs: the wall time (ns) `rawStart` belongs to, the period start when interpolated there.
    /// Their `coveredNanos` is the time from it to the reading or edge behind `rawEnd`.
    public var levelStartNanos: Int64 = 0
    /// Counter inputs: the interpolated edges, the readings either side of them, and the breaks
    /// (rollover, reset or swap, jump), so the record can show how its total was counted.
    public var trail = CounterTrail()

    public init() {}
}
