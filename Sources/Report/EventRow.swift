import Foundation
import Ledger

/// An event of the ledger as a table row: entry number, when, what, and its fields.
public struct EventRow: Sendable, Hashable {
    public var number: UInt64
    /// Append time (RFC 3339 UTC).
    public var at: String
    /// The event name (`start`, `meter-reset`, `config-change` …).
    public var event: String
    /// The event's other fields as `name=value`, in the order written.
    public var details: [String]

    /// The event of `entry` if it is one and concerns `line` (site-wide events concern every line).
    public init?(entry: LedgerEntry, line: String) {
        guard entry.header.kind == "event", let event = entry.header.event,
              let object = (try? JSONSerialization.jsonObject(with: Data(entry.bytes))) as? [String: Any] else { return nil }
        if let other = object["line"] as? String, other != line { return nil }
        number = entry.header.number
        at = entry.header.at
        self.event = event
        let skipped: Set<String> = ["event", "ledger", "hash", "sig"]
        details = object.keys.filter { !skipped.contains($0) }.sorted().map { key in
            switch object[key] {
            case let text as String: "\(key)=\(text)"
            case let number as NSNumber: "\(key)=\(number)"
            case is NSNull: "\(key)=null"
            default: "\(key)=…"
            }
        }
    }

    /// What the event means for the figures, in one line (docs/verifying.md, Events).
    public var meaning: String {
        switch event {
        case "key-created": "the box made its signing key"
        case "key-rotated": "the box moved to a new key (announced with the old one)"
        case "start": "plantgated started"
        case "stop": "plantgated stopped in order"
        case "config-change": "the configuration was reloaded with a new revision"
        case "meter-rollover": "a counter wrapped at its modulus; corrected"
        case "meter-reset": "a counter was reset or the meter swapped; counted from the new meter's reading"
        case "meter-jump": "a counter jumped beyond its plausible rate; the step was dropped"
        case "meter-backwards": "a counter went backwards; the step was dropped"
        case "clock-step": "the wall clock stepped; durations kept the monotonic clock"
        default: "see docs/verifying.md"
        }
    }
}
