/// A device's outage as the ledger states it: which device, why, from when (and until when, once it
/// answers again), and the line inputs whose figures it leaves uncovered.
public struct LedgerOutage: Sendable, Hashable {
    /// A line input the device feeds: `line` and `device/tag`.
    public struct Input: Sendable, Hashable {
        public var line: String
        public var tag: String

        public init(line: String, tag: String) {
            self.line = line
            self.tag = tag
        }
    }

    public var device: String
    /// The device's last error (e.g. `timeout`, `connection refused`).
    public var reason: String
    /// When it went down and (for `device-up`) came back, RFC 3339.
    public var downAt: String
    public var upAt: String?
    /// Seconds down, for `device-up`.
    public var seconds: Double?
    public var inputs: [Input]

    public init(device: String, reason: String, downAt: String, upAt: String? = nil, seconds: Double? = nil, inputs: [Input]) {
        self.device = device
        self.reason = reason
        self.downAt = downAt
        self.upAt = upAt
        self.seconds = seconds
        self.inputs = inputs
    }

    /// `,"device":…,"reason":…,"down_at":…[,"up_at":…,"down_s":…],"inputs":[{"line":…,"tag":…},…]`
    var fields: String {
        var out = ",\"device\":" + LedgerJSON.quoted(device) + ",\"reason\":" + LedgerJSON.quoted(reason)
        out += ",\"down_at\":" + LedgerJSON.quoted(downAt)
        if let upAt { out += ",\"up_at\":" + LedgerJSON.quoted(upAt) }
        if let seconds { out += ",\"down_s\":" + LedgerJSON.number((seconds * 1000).rounded() / 1000) }
        let list = inputs.map { "{\"line\":" + LedgerJSON.quoted($0.line) + ",\"tag\":" + LedgerJSON.quoted($0.tag) + "}" }
        return out + ",\"inputs\":[" + list.joined(separator: ",") + "]"
    }
}
