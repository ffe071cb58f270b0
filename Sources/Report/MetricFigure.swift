/// One metric of a period as the record states it: value, unit, quality, coverage, estimated share.
public struct MetricFigure: Sendable, Hashable {
    /// nil when the record has `null` (e.g. an intensity while the product is under the line's minimum).
    public var value: Double?
    public var unit: String
    /// `good`, `uncertain` or `bad`.
    public var quality: String
    /// Share of the period's time backed by good inputs, 0…1.
    public var coverage: Double?
    /// Share of the total that was spread or filled rather than measured, 0…1.
    public var estimated: Double?

    public init(value: Double?, unit: String, quality: String = "good", coverage: Double? = nil, estimated: Double? = nil) {
        self.value = value
        self.unit = unit
        self.quality = quality
        self.coverage = coverage
        self.estimated = estimated
    }

    /// The worse of two qualities (`bad` < `uncertain` < `good`).
    static func worse(_ a: String, _ b: String) -> String {
        let order = ["bad", "uncertain", "good"]
        return (order.firstIndex(of: a) ?? 0) <= (order.firstIndex(of: b) ?? 0) ? a : b
    }
}
