import ESG
import PlantModel

extension Payloads {
    /// A period so far, on `…/lines/{line}/todate/{period}` (retained): the period's `start`, `end` and
    /// `label`, `t` (where the line's data reaches), `open` (false only on the last one, sent at the close
    /// with the closed record's figures), and every metric with `v`, `u`, `q`, `cov`, `est` (and `reasons`),
    /// printed as the closed record prints them, so the last one equals the record byte for byte.
    public static func toDate(_ record: PeriodRecord, asOfWallNanos: Int64, open: Bool) -> [UInt8] {
        var writer = JSONWriter(capacity: 256 + 96 * record.metrics.count)
        writer.beginObject()
        writer.key("line"); writer.string(record.line)
        writer.key("period"); writer.string(record.period.rawValue)
        writer.key("start"); writer.timestamp(wallNanos: record.span.start)
        writer.key("end"); writer.timestamp(wallNanos: record.span.end)
        writer.key("label"); writer.string(record.span.label)
        writer.key("t"); writer.timestamp(wallNanos: asOfWallNanos)
        writer.key("open"); writer.bool(open)
        writer.key("metrics"); record.writeMetrics(into: &writer)
        writer.key("reasons"); writer.strings(record.reasons.codes)
        if let revision = record.configRevision { writer.key("config_revision"); writer.string(revision) }
        writer.endObject()
        return writer.bytes
    }

    /// `"reasons":[…]` when there are any.
    static func reasons(_ reasons: ReasonSet, into writer: inout JSONWriter) {
        guard !reasons.isEmpty else { return }
        writer.key("reasons"); writer.strings(reasons.codes)
    }
}
