/// The events that affect the figures, each an entry in the same chain as the period records.
public enum LedgerEvent: Sendable, Hashable {
    /// The daemon started with this software version and configuration revision.
    case started(version: String, revision: String)
    /// The daemon stopped in order (a crash or power loss leaves no entry: the next `start` follows).
    case stopped(reason: String)
    /// The configuration was reloaded with a new revision.
    case configChanged(from: String, to: String)
    /// A factor a line's figures use changed (nil `old`: newly used; nil `new`: no longer used), found
    /// on a reload or at a start with a changed configuration. One per factor and line.
    case factorChanged(line: String, role: String, old: LedgerFactor?, new: LedgerFactor?)
    /// This box made its signing key; the first entry of a chain, signed with that key.
    case keyCreated(LedgerPublicKey)
    /// The box moves to a new key; signed with the old key, later entries with the new one.
    case keyRotated(to: LedgerPublicKey)
    /// A meter counter did something the engine corrected for in a closed period (ROLLOVER, RESET,
    /// JUMP, BACKWARDS), with the counter readings bracketing that period.
    case meter(reason: String, line: String, period: String, label: String, tag: String, unit: String, before: Double?, after: Double?)
    /// The wall clock stepped against the monotonic clock inside a closed period.
    case clockStep(line: String, period: String, label: String)
    /// A device stopped answering (at `downAt`): `reason` is its last error, `inputs` the line inputs it feeds.
    case deviceDown(LedgerOutage)
    /// The device answers again: the outage from `downAt` to `upAt`.
    case deviceUp(LedgerOutage)
    /// A closed period's figures cover less than all of it: the metrics below 100 % and the inputs with
    /// what went wrong.
    case coverageGap(LedgerCoverageGap)

    /// The event's name on the wire.
    public var name: String {
        switch self {
        case .started: "start"
        case .stopped: "stop"
        case .configChanged: "config-change"
        case .factorChanged: "factor-change"
        case .keyCreated: "key-created"
        case .keyRotated: "key-rotated"
        case .meter(let reason, _, _, _, _, _, _, _): "meter-" + reason.lowercased()
        case .clockStep: "clock-step"
        case .deviceDown: "device-down"
        case .deviceUp: "device-up"
        case .coverageGap: "coverage-gap"
        }
    }
}
