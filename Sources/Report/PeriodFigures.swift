import Foundation
import Ledger

/// A closed period record of the ledger, read for the report: when, how long, and its metrics.
public struct PeriodFigures: Sendable, Hashable {
    public var line: String
    /// `15min`, `hour`, `shift`, `day` or `month`.
    public var period: String
    /// UTC RFC 3339, as in the record.
    public var start: String
    public var end: String
    /// Site-local name of the period; its first 10 characters are the local date.
    public var label: String
    public var hours: Double
    public var metrics: [String: MetricFigure]
    public var reasons: [String]
    /// The ledger entry number.
    public var number: UInt64
    /// The factors the record used, by role (`grid`, `natural_gas` …): id, source, unit and vintage.
    public var factors: [String: FactorUse]

    /// The record of `entry`; nil when the entry is not a period record.
    public init?(entry: LedgerEntry) {
        guard entry.header.kind == "period",
              let object = (try? JSONSerialization.jsonObject(with: Data(entry.bytes))) as? [String: Any],
              let line = object["line"] as? String, let period = object["period"] as? String,
              let start = object["start"] as? String, let end = object["end"] as? String else { return nil }
        self.line = line
        self.period = period
        self.start = start
        self.end = end
        label = object["label"] as? String ?? start
        hours = (object["hours"] as? NSNumber)?.doubleValue ?? 0
        reasons = object["reasons"] as? [String] ?? []
        number = entry.header.number
        var metrics: [String: MetricFigure] = [:]
        for (id, value) in object["metrics"] as? [String: Any] ?? [:] {
            guard let fields = value as? [String: Any] else { continue }
            metrics[id] = MetricFigure(value: (fields["v"] as? NSNumber)?.doubleValue, unit: fields["u"] as? String ?? "",
                                       quality: fields["q"] as? String ?? "bad", coverage: (fields["cov"] as? NSNumber)?.doubleValue,
                                       estimated: (fields["est"] as? NSNumber)?.doubleValue)
        }
        self.metrics = metrics
        var factors: [String: FactorUse] = [:]
        for (role, value) in object["factors"] as? [String: Any] ?? [:] {
            guard let fields = value as? [String: Any], let id = fields["id"] as? String else { continue }
            factors[role] = FactorUse(id: id, source: fields["source"] as? String ?? "", unit: fields["unit"] as? String ?? "",
                                      vintage: (fields["vintage"] as? NSNumber)?.intValue)
        }
        self.factors = factors
    }

    /// The local date the period belongs to (`YYYY-MM-DD`).
    public var localDate: String { String(label.prefix(10)) }
}

/// A factor as a record names it.
public struct FactorUse: Sendable, Hashable {
    public var id: String
    public var source: String
    /// E.g. `kgCO2e/kWh`; a calorific value or an LCE factor has another unit.
    public var unit: String
    public var vintage: Int?
}
