import PlantModel

/// One metric over one window: value (nil when suppressed), quality, coverage and estimated share.
public struct MetricValue: Sendable, Hashable {
    public var value: Double?
    public var quality: Quality
    /// Share of window time backed by good inputs, 0…1.
    public var coverage: Double
    /// Share of the total that was spread or filled rather than measured, 0…1.
    public var estimatedShare: Double
    public var reasons: ReasonSet

    public init(value: Double?, quality: Quality, coverage: Double, estimatedShare: Double, reasons: ReasonSet = []) {
        self.value = value
        self.quality = quality
        self.coverage = coverage
        self.estimatedShare = estimatedShare
        self.reasons = reasons
    }
}
