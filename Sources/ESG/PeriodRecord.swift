import PlantModel

/// The closed-period record of metrics.md §2.5: the durable total ESG reports are built from.
public struct PeriodRecord: Sendable, Hashable {
    /// One metric's total over the period.
    public struct Metric: Sendable, Hashable {
        public var id: String
        public var unit: String
        public var value: MetricValue
    }

    /// How one input's share of the period was counted (base units), for traceability: for a counter
    /// its trail (edges interpolated between the readings either side, breaks) and what it counted;
    /// for a level the levels at the edges.
    public struct CounterTrace: Sendable, Hashable {
        public var tagPath: String
        public var unit: String
        public var rawStart: Double?
        public var rawEnd: Double?
        public var reasons: ReasonSet
        /// Counters only: what the period counted from this input (`trail.end − trail.start − breaks' offsets`).
        public var counted: Double?
        /// Counters only.
        public var trail: CounterTrail?

        public init(tagPath: String, unit: String, rawStart: Double?, rawEnd: Double?, reasons: ReasonSet,
                    counted: Double? = nil, trail: CounterTrail? = nil) {
            self.tagPath = tagPath
            self.unit = unit
            self.rawStart = rawStart
            self.rawEnd = rawEnd
            self.reasons = reasons
            self.counted = counted
            self.trail = trail
        }
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
    /// The period judged against the line's energy baseline; nil for lines without one and other period kinds.
    public var baseline: BaselineJudgement? = nil

    /// The metric with `id`, if the record carries it.
    public func metric(_ id: String) -> MetricValue? { metrics.first { $0.id == id }?.value }
}
