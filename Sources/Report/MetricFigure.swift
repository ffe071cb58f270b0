import PlantModel

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

    /// The worse of two qualities by `Quality`'s order; a name it does not know counts as `bad`.
    static func worse(_ a: String, _ b: String) -> String {
        func quality(_ name: String) -> Quality { Quality.allCases.first { $0.name == name } ?? .bad }
        return quality(a) >= quality(b) ? a : b
    }
}
