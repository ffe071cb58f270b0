import PlantModel

extension PeriodRecord {
    /// The closed-period payload of mqtt.md, extended with the §2.5 trail (label, hours, reasons,
    /// counters, factors). `v` is `null` for a suppressed value.
    public func json() -> String {
        var out = "{"
        out += "\"line\":" + Self.quoted(line)
        out += ",\"period\":" + Self.quoted(period.rawValue)
        out += ",\"start\":" + Self.quoted(UTCTimestamp.rfc3339(span.start))
        out += ",\"end\":" + Self.quoted(UTCTimestamp.rfc3339(span.end))
        out += ",\"label\":" + Self.quoted(span.label)
        out += ",\"hours\":" + Self.number(span.hours)
        out += ",\"seq\":\(seq)"
        out += ",\"metrics\":{"
        for (i, m) in metrics.enumerated() {
            if i > 0 { out += "," }
            let v = m.value
            out += Self.quoted(m.id) + ":{\"v\":" + (v.value.map(Self.number) ?? "null")
            out += ",\"u\":" + Self.quoted(m.unit) + ",\"q\":" + Self.quoted(v.quality.name)
            out += ",\"cov\":" + Self.number(v.coverage) + ",\"est\":" + Self.number(v.estimatedShare)
            if !v.reasons.isEmpty { out += ",\"reasons\":" + Self.list(v.reasons.codes) }
            out += "}"
        }
        out += "},\"reasons\":" + Self.list(reasons.codes)
        out += ",\"counters\":{"
        for (i, c) in counters.enumerated() {
            if i > 0 { out += "," }
            out += Self.quoted(c.tagPath) + ":{\"start\":" + (c.rawStart.map(Self.number) ?? "null")
            out += ",\"end\":" + (c.rawEnd.map(Self.number) ?? "null") + ",\"u\":" + Self.quoted(c.unit)
            if let counted = c.counted, let trail = c.trail { out += ",\"counted\":" + Self.number(counted) + Self.trailFields(trail) }
            if !c.reasons.isEmpty { out += ",\"reasons\":" + Self.list(c.reasons.codes) }
            out += "}"
        }
        out += "},\"factors\":{"
        for (i, f) in factors.enumerated() {
            if i > 0 { out += "," }
            out += Self.quoted(f.role) + ":{\"id\":" + Self.quoted(f.id) + ",\"value\":" + Self.number(f.value)
            out += ",\"unit\":" + Self.quoted(f.unit) + ",\"source\":" + Self.quoted(f.source)
            if let vintage = f.vintage { out += ",\"vintage\":\(vintage)" }
            out += "}"
        }
        out += "},\"gwp\":" + Self.quoted(gwpSet)
        out += ",\"product_basis\":" + Self.quoted(productBasis)
        if let configRevision { out += ",\"config_revision\":" + Self.quoted(configRevision) }
        if let baseline { out += ",\"baseline\":" + baseline.json() }
        out += "}"
        return out
    }

    static func number(_ x: Double) -> String {
        guard x.isFinite else { return "null" }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return "\(x)"
    }

    static func list(_ items: [String]) -> String { "[" + items.map(quoted).joined(separator: ",") + "]" }

    static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
