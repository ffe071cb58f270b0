import PlantModel

/// Tunables of the metric engine; the defaults suit a 1 s poll cycle.
public struct EngineSettings: Sendable, Hashable, Codable {
    /// The nominal poll interval of counter and power tags.
    public var pollIntervalNanos: Int64
    /// Power samples further apart than this are not bridged by the trapezoid (metrics.md §5.2, max_gap).
    public var maxPowerGapNanos: Int64
    /// A counter segment no longer than this (one poll interval plus jitter) is split across a window
    /// edge as measured; a longer one is split in proportion to time and counted as estimated (§5.3, §5.7).
    public var maxInterpolationGapNanos: Int64
    /// A calendar period closes this long after its end, so the reading that straddles the edge lands first.
    public var closeDelayNanos: Int64
    /// Safety margin on `maxRatePerHour` before a step counts as a JUMP.
    public var jumpMargin: Double
    /// Relative float32 decode noise tolerated on a standing counter (a backwards step this small is 0).
    public var floatJitterRelative: Double
    /// Live (rolling-window) metrics are handed out at most this often.
    public var liveIntervalNanos: Int64
    /// Coverage needed for `good` (with no estimate) and below which a value is `bad` (§5.7).
    public var goodCoverage: Double
    public var minimumCoverage: Double
    /// Whether an uncertain demand block may set the peak (§5.3: not unless configured).
    public var peakIncludesUncertainBlocks: Bool

    public init(
        pollIntervalNanos: Int64 = 1_000_000_000,
        maxPowerGapNanos: Int64 = 10_000_000_000,
        maxInterpolationGapNanos: Int64 = 1_500_000_000,
        closeDelayNanos: Int64 = 5_000_000_000,
        jumpMargin: Double = 0.1,
        floatJitterRelative: Double = 1e-6,
        liveIntervalNanos: Int64 = 5_000_000_000,
        goodCoverage: Double = 0.95,
        minimumCoverage: Double = 0.75,
        peakIncludesUncertainBlocks: Bool = false
    ) {
        self.pollIntervalNanos = pollIntervalNanos
        self.maxPowerGapNanos = maxPowerGapNanos
        self.maxInterpolationGapNanos = maxInterpolationGapNanos
        self.closeDelayNanos = closeDelayNanos
        self.jumpMargin = jumpMargin
        self.floatJitterRelative = floatJitterRelative
        self.liveIntervalNanos = liveIntervalNanos
        self.goodCoverage = goodCoverage
        self.minimumCoverage = minimumCoverage
        self.peakIncludesUncertainBlocks = peakIncludesUncertainBlocks
    }

    /// How old an input's last reading may be for its rolling window to end there rather than now: a
    /// window ends at the last reading so that the poll not yet taken is not counted as missing, until
    /// the reading is older than three polls or the power bridging limit, whichever is longer.
    public var liveLagNanos: Int64 { max(3 * pollIntervalNanos, maxPowerGapNanos) }

    /// The quality mapping of §5.7 from coverage and estimated share.
    public func quality(coverage: Double, estimatedShare: Double) -> Quality {
        if coverage < minimumCoverage { return .bad }
        if coverage >= goodCoverage && estimatedShare <= 0 { return .good }
        return .uncertain
    }
}
