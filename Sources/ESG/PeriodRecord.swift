import PlantModel

/// The closed-period record of metrics.md §2.5: the durable total ESG reports are built from.
public struct PeriodRecord: Sendable, Hashable {
    /// One metric's total over the period.
    public struct Metric: Sendable, Hashable {
        public var id: String
        public var unit: String
        public var value: MetricValue
    }

    /// Raw counter readings bracketing the period for one input (base units), for traceability.
    public struct CounterTrace: Sendable, Hashable {
        public var tagPath: String
        public var unit: String
        public var rawStart: Double?
        public var rawEnd: Double?
        public var reasons: ReasonSet
    }

    /// A factor used, with its id and value (grid, market instrument/residual, fuels, LCE).
    public struct FactorUse: Sendable, Hashable {
        public var role: String
        public var id: String
        public var value: Double
        public var unit: String
        public var source: String
        public var vintage: Int?
    }

    public var line: String
    public var period: PeriodKind
    public var span: PeriodSpan
    /// +1 per line and period kind; a subscriber sees gaps and duplicates.
    public var seq: UInt64
    public var metrics: [Metric]
    public var reasons: ReasonSet
    public var counters: [CounterTrace]
    public var factors: [FactorUse]
    public var gwpSet: String
    public var productBasis: String
    /// The configuration revision a reload brought in while the period was open (reason CONFIG); nil otherwise.
    public var configRevision: String? = nil

    /// The metric with `id`, if the record carries it.
    public func metric(_ id: String) -> MetricValue? { metrics.first { $0.id == id }?.value }
}
