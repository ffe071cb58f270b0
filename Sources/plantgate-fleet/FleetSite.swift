import Foundation

/// What the retained topics of one site say about it, as `plantgate fleet` assembles it.
struct FleetSite: Sendable, Equatable, Codable {
    /// One device's retained health.
    struct Device: Sendable, Equatable, Codable {
        var id: String
        var up: Bool
        var lastError: String?
    }

    /// The newest period record seen while listening (period records are not retained).
    struct PeriodRecord: Sendable, Equatable, Codable {
        var line: String
        var period: String
        var end: String
        var seq: Int?
    }

    var site: String
    /// `online`, `offline`, or nil when the site has no retained status yet.
    var state: String?
    var version: String?
    /// When the gateway's current run started (the `started` of its status).
    var started: String?
    /// The site broker's bridge to this broker: true up, false cut off (its last will), nil no bridge.
    var bridgeUp: Bool?
    var devices: [Device] = []
    /// From `gateway/stats`: durable messages waiting in the outbox.
    var spoolDepth: Int?
    var mqttConnected: Bool?
    /// The `t` of the newest `gateway/stats`: when the gateway last reported.
    var lastReport: String?
    /// Gateway clock minus this machine's, from a `gateway/stats` that arrived live (nil if only retained ones).
    var clockOffsetSeconds: Double?
    /// Set when the gateway runs on an accelerated test clock: its offset means nothing then.
    var simulatedClock: Bool = false
    var lastPeriod: PeriodRecord?

    init(site: String) { self.site = site }

    /// Reachable now: the gateway says online and, where a bridge reports, the site's link is up.
    var isOnline: Bool { state == "online" && bridgeUp != false }

    var devicesDown: [String] { devices.filter { !$0.up }.map(\.id) }

    /// Why this site needs attention, in words; empty when it does not.
    var findings: [String] {
        var findings: [String] = []
        if state == nil { findings.append("no retained status (gateway never connected, or another prefix)") }
        if state == "offline" { findings.append("gateway offline") }
        if bridgeUp == false { findings.append("site link to this broker down") }
        if !devicesDown.isEmpty { findings.append("device\(devicesDown.count == 1 ? "" : "s") down: \(devicesDown.joined(separator: ", "))") }
        return findings
    }
}
