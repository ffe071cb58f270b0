import PlantModel

/// The last accepted reading of one counter and the §5.1 delta algorithm that advances it.
public struct CounterState: Sendable, Hashable, Codable {
    /// What one new reading did to the counter.
    public struct Step: Sendable, Hashable {
        /// Amount to count, base units; never negative.
        public var delta: Double
        /// False when the segment is bad (JUMP, BACKWARDS): its time is not covered.
        public var accepted: Bool
        public var reasons: ReasonSet
    }

    public var hasLast = false
    /// Last raw reading in base units (after overflow combination and scale).
    public var last: Double = 0
    public var lastWallNanos: Int64 = 0
    public var lastMonoNanos: Int64 = 0
    /// Set by a restore: the next segment spans a reboot, so its duration comes from wall time.
    public var spansRestart = false
    public var marker: Double = .nan
    public var markerChanged = false

    public init() {}

    /// The §5.1 decision for reading `c1` after `seconds` (> 0). Pure: does not change the state.
    public func step(
        to c1: Double, seconds: Double, maxRatePerHour: Double, modulus: Double,
        margin: Double, jitterRelative: Double
    ) -> Step {
        let c0 = last
        let maxStep = maxRatePerHour * seconds / 3600 * (1 + margin)
        let raw = c1 - c0
        if markerChanged {
            if c1 >= 0 && c1 <= maxStep { return Step(delta: c1, accepted: true, reasons: .reset) }
            return Step(delta: 0, accepted: false, reasons: [.reset, .jump])
        }
        if raw >= 0 {
            if raw > maxStep { return Step(delta: 0, accepted: false, reasons: .jump) }
            return Step(delta: raw, accepted: true, reasons: [])
        }
        if -raw <= abs(c0) * jitterRelative { return Step(delta: 0, accepted: true, reasons: []) }
        if modulus > 0 && c0 > modulus - maxStep && c1 >= 0 && c1 < maxStep {
            return Step(delta: modulus - c0 + c1, accepted: true, reasons: .rollover)
        }
        if c1 >= 0 && c1 <= maxStep { return Step(delta: c1, accepted: true, reasons: .reset) }
        return Step(delta: 0, accepted: false, reasons: .backwards)
    }
}
