/// The events that affect the figures, each an entry in the same chain as the period records.
public enum LedgerEvent: Sendable, Hashable {
    /// The daemon started with this software version and configuration revision.
    case started(version: String, revision: String)
    /// The daemon stopped in order (a crash or power loss leaves no entry: the next `start` follows).
    case stopped(reason: String)
    /// The configuration was reloaded with a new revision.
    case configChanged(from: String, to: String)
    /// This box made its signing key; the first entry of a chain, signed with that key.
    case keyCreated(LedgerPublicKey)
    /// The box moves to a new key; signed with the old key, later entries with the new one.
    case keyRotated(to: LedgerPublicKey)
    /// A meter counter did something the engine corrected for in a closed period (ROLLOVER, RESET,
    /// JUMP, BACKWARDS), with the counter readings bracketing that period.
    case meter(reason: String, line: String, period: String, label: String, tag: String, unit: String, before: Double?, after: Double?)
    /// The wall clock stepped against the monotonic clock inside a closed period.
    case clockStep(line: String, period: String, label: String)

    /// The event's name on the wire.
    public var name: String {
        switch self {
        case .started: "start"
        case .stopped: "stop"
        case .configChanged: "config-change"
        case .keyCreated: "key-created"
        case .keyRotated: "key-rotated"
        case .meter(let reason, _, _, _, _, _, _, _): "meter-" + reason.lowercased()
        case .clockStep: "clock-step"
        }
    }

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
        }
        return out + "}"
    }
}
