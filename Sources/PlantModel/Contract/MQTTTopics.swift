/// The MQTT contract's topics (docs/mqtt.md), the one place they are spelled: the daemon publishes on
/// them, `plantgate fleet` subscribes to them, and a test holds docs/mqtt.md's table to them.
///
/// Every topic of a gateway is `{prefix}/{site}/…`; the bridge notification sits beside the sites
/// (`{prefix}/_bridge/{site}`) so a site broker's own copy does not travel its bridge.
public struct MQTTTopics: Sendable, Hashable {
    /// `mqtt.prefix`.
    public var prefix: String
    /// `site.id`; `+` for a subscription filter across sites.
    public var site: String

    public init(prefix: String, site: String) {
        self.prefix = prefix
        self.site = site
    }

    /// The Sparkplug B 3.0 namespace element: `spBv1.0/{group}/…`.
    public static let sparkplugNamespace = "spBv1.0"

    private var head: String { "\(prefix)/\(site)" }

    /// `{prefix}/{site}/status`: `online` on connect, `offline` as last will (retained).
    public var status: String { "\(head)/status" }

    /// `{prefix}/{site}/devices/{device}/{tag}`: a tag's raw values (`tag` is its topic level).
    public func raw(device: String, tag: String) -> String { "\(head)/devices/\(device)/\(tag)" }

    /// `{prefix}/{site}/devices/{device}/health`.
    public func health(device: String) -> String { "\(head)/devices/\(device)/health" }

    /// `{prefix}/{site}/gateway/stats`.
    public var stats: String { "\(head)/gateway/stats" }

    /// `{prefix}/{site}/ledger/key`: the public key that signs period records.
    public var ledgerKey: String { "\(head)/ledger/key" }

    /// `{prefix}/{site}/lines/{line}/{metric}`, or `…/{metric}/{window}` for a rolling window (`1m`, `15m`).
    public func metric(line: String, metric: String, window: String? = nil) -> String {
        guard let window else { return "\(head)/lines/\(line)/\(metric)" }
        return "\(head)/lines/\(line)/\(metric)/\(window)"
    }

    /// `{prefix}/{site}/lines/{line}/periods/{period}`: one closed-period record.
    public func period(line: String, period: String) -> String { "\(head)/lines/\(line)/periods/\(period)" }

    /// `{prefix}/{site}/lines/{line}/todate/{period}`: the open period so far.
    public func toDate(line: String, period: String) -> String { "\(head)/lines/\(line)/todate/\(period)" }

    /// `{prefix}/_bridge/{site}`: not published by the gateway; a site broker's bridge notification on
    /// the central broker (`notification_topic` in Deploy/fleet).
    public var bridgeNotification: String { "\(prefix)/_bridge/\(site)" }
}
