extension LedgerEvent {
    /// The event as a JSON object (the part before the chain fields).
    public var json: String {
        var out = "{\"event\":" + LedgerJSON.quoted(name)
        switch self {
        case .started(let version, let revision):
            out += ",\"version\":" + LedgerJSON.quoted(version) + ",\"revision\":" + LedgerJSON.quoted(revision)
        case .stopped(let reason):
            out += ",\"reason\":" + LedgerJSON.quoted(reason)
        case .configChanged(let from, let to):
            out += ",\"old_revision\":" + LedgerJSON.quoted(from) + ",\"new_revision\":" + LedgerJSON.quoted(to)
        case .factorChanged(let line, let role, let old, let new):
            out += ",\"line\":" + LedgerJSON.quoted(line) + ",\"role\":" + LedgerJSON.quoted(role)
            out += ",\"old\":" + (old?.json ?? "null") + ",\"new\":" + (new?.json ?? "null")
        case .keyCreated(let key), .keyRotated(let key):
            out += ",\"public_key\":" + LedgerJSON.quoted(key.base64) + ",\"key_id\":" + LedgerJSON.quoted(key.id)
        case .meter(_, let line, let period, let label, let tag, let unit, let before, let after):
            out += ",\"line\":" + LedgerJSON.quoted(line) + ",\"period\":" + LedgerJSON.quoted(period)
            out += ",\"label\":" + LedgerJSON.quoted(label) + ",\"tag\":" + LedgerJSON.quoted(tag)
            out += ",\"u\":" + LedgerJSON.quoted(unit)
            out += ",\"reading_start\":" + (before.map(LedgerJSON.number) ?? "null")
            out += ",\"reading_end\":" + (after.map(LedgerJSON.number) ?? "null")
        case .clockStep(let line, let period, let label):
            out += ",\"line\":" + LedgerJSON.quoted(line) + ",\"period_kind\":" + LedgerJSON.quoted(period)
            out += ",\"label\":" + LedgerJSON.quoted(label)
        case .deviceDown(let outage), .deviceUp(let outage):
            out += outage.fields
        case .coverageGap(let gap):
            out += gap.fields
        }
        return out + "}"
    }
}
