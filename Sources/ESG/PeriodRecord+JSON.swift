import PlantModel

extension PeriodRecord {
    /// The closed-period payload of mqtt.md, extended with the §2.5 trail (label, hours, reasons,
    /// counters, factors). `v` is `null` for a suppressed value. The ledger signs these bytes: any change
    /// to them is a change of the contract.
    public func json() -> String { String(decoding: jsonBytes(), as: UTF8.self) }

    /// `json()` as the bytes published.
    public func jsonBytes() -> [UInt8] {
        var writer = JSONWriter(capacity: 512 + 160 * (metrics.count + counters.count))
        writer.beginObject()
        writer.key("line"); writer.string(line)
        writer.key("period"); writer.string(period.rawValue)
        writer.key("start"); writer.timestamp(wallNanos: span.start)
        writer.key("end"); writer.timestamp(wallNanos: span.end)
        writer.key("label"); writer.string(span.label)
        writer.key("hours"); writer.number(span.hours)
        writer.key("seq"); writer.integer(unsigned: seq)
        writer.key("metrics"); writeMetrics(into: &writer)
        writer.key("reasons"); writer.strings(reasons.codes)
        writer.key("counters")
        writer.beginObject()
        for counter in counters {
            writer.key(counter.tagPath)
            writer.beginObject()
            writer.key("start"); writer.number(counter.rawStart)
            writer.key("end"); writer.number(counter.rawEnd)
            writer.key("u"); writer.string(counter.unit)
            if let counted = counter.counted, let trail = counter.trail {
                writer.key("counted"); writer.number(counted)
                Self.writeTrail(trail, into: &writer)
            }
            if !counter.reasons.isEmpty { writer.key("reasons"); writer.strings(counter.reasons.codes) }
            writer.endObject()
        }
        writer.endObject()
        writer.key("factors")
        writer.beginObject()
        for factor in factors {
            writer.key(factor.role)
            writer.beginObject()
            writer.key("id"); writer.string(factor.id)
            writer.key("value"); writer.number(factor.value)
            writer.key("unit"); writer.string(factor.unit)
            writer.key("source"); writer.string(factor.source)
            if let vintage = factor.vintage { writer.key("vintage"); writer.integer(Int64(vintage)) }
            writer.endObject()
        }
        writer.endObject()
        writer.key("gwp"); writer.string(gwpSet)
        writer.key("product_basis"); writer.string(productBasis)
        if let configRevision { writer.key("config_revision"); writer.string(configRevision) }
        if let baseline { writer.key("baseline"); baseline.write(into: &writer) }
        writer.endObject()
        return writer.payload
    }

    /// `{"metric":{"v":…,"u":…,"q":…,"cov":…,"est":…,"reasons":[…]},…}`: every metric as the record
    /// prints it (the period-to-date payload prints them the same way, so its last one equals the record).
    public func writeMetrics(into writer: inout JSONWriter) {
        writer.beginObject()
        for metric in metrics {
            writer.key(metric.id)
            writer.beginObject()
            writer.key("v"); writer.number(metric.value.value)
            writer.key("u"); writer.string(metric.unit)
            writer.key("q"); writer.string(metric.value.quality.name)
            writer.key("cov"); writer.number(metric.value.coverage)
            writer.key("est"); writer.number(metric.value.estimatedShare)
            if !metric.value.reasons.isEmpty { writer.key("reasons"); writer.strings(metric.value.reasons.codes) }
            writer.endObject()
        }
        writer.endObject()
    }
}
