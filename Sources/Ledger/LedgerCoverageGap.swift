/// A closed period whose figures cover less than all of it: which metrics, how much, and which inputs
/// had trouble (with the record's reason codes). The record itself has every figure; this is the index
/// an auditor reads first.
public struct LedgerCoverageGap: Sendable, Hashable {
    /// A metric below 100 %: its coverage and estimated share (0…1), as in the record.
    public struct Metric: Sendable, Hashable {
        public var id: String
        public var coverage: Double
        public var estimatedShare: Double

        public init(id: String, coverage: Double, estimatedShare: Double) {
            self.id = id
            self.coverage = coverage
            self.estimatedShare = estimatedShare
        }
    }

    /// An input with what went wrong (`GAP_FILLED`, `DEVICE_DOWN`, `TIMEOUT`, …).
    public struct Input: Sendable, Hashable {
        public var tag: String
        public var reasons: [String]

        public init(tag: String, reasons: [String]) {
            self.tag = tag
            self.reasons = reasons
        }
    }

    public var line: String
    public var period: String
    public var label: String
    /// The period's start and end, RFC 3339, as in the record.
    public var periodStart: String
    public var periodEnd: String
    public var metrics: [Metric]
    public var inputs: [Input]

    public init(line: String, period: String, label: String, periodStart: String, periodEnd: String, metrics: [Metric], inputs: [Input]) {
        self.line = line
        self.period = period
        self.label = label
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.metrics = metrics
        self.inputs = inputs
    }

    /// The lowest coverage of the period's metrics.
    public var coverage: Double { metrics.map(\.coverage).min() ?? 1 }

    var fields: String {
        var out = ",\"line\":" + LedgerJSON.quoted(line) + ",\"period\":" + LedgerJSON.quoted(period)
        out += ",\"label\":" + LedgerJSON.quoted(label) + ",\"period_start\":" + LedgerJSON.quoted(periodStart)
        out += ",\"period_end\":" + LedgerJSON.quoted(periodEnd) + ",\"cov\":" + LedgerJSON.number(coverage)
        out += ",\"metrics\":{" + metrics.map {
            LedgerJSON.quoted($0.id) + ":{\"cov\":" + LedgerJSON.number($0.coverage) + ",\"est\":" + LedgerJSON.number($0.estimatedShare) + "}"
        }.joined(separator: ",") + "}"
        out += ",\"inputs\":{" + inputs.map {
            LedgerJSON.quoted($0.tag) + ":" + "[" + $0.reasons.map(LedgerJSON.quoted).joined(separator: ",") + "]"
        }.joined(separator: ",") + "}"
        return out
    }
}
