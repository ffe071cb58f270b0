/// A factor as a figure used it: id, value, unit, source and vintage (a `factors` member of a period record).
public struct LedgerFactor: Sendable, Hashable {
    public var id: String
    public var value: Double
    public var unit: String
    public var source: String
    public var vintage: Int?

    public init(id: String, value: Double, unit: String, source: String, vintage: Int? = nil) {
        self.id = id
        self.value = value
        self.unit = unit
        self.source = source
        self.vintage = vintage
    }

    /// `{"id":…,"value":…,"unit":…,"source":…,"vintage":…}` (`vintage` only when known), as in a record.
    public var json: String {
        var out = "{\"id\":" + LedgerJSON.quoted(id) + ",\"value\":" + LedgerJSON.number(value)
        out += ",\"unit\":" + LedgerJSON.quoted(unit) + ",\"source\":" + LedgerJSON.quoted(source)
        if let vintage { out += ",\"vintage\":\(vintage)" }
        return out + "}"
    }
}
