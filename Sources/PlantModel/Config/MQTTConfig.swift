/// `mqtt:`: the broker connection and how raw tags are published.
public struct MQTTConfig: Sendable, Hashable {
    public var host: String = "127.0.0.1"
    public var port: Int = 1883
    /// `mqtt.hosts:`: brokers tried in turn (failover) in place of `host`/`port`; empty: `host`/`port` alone.
    public var hosts: [TCPAddress] = []
    /// `mqtt.prefer_first:`: with `hosts`, go back to the first broker once it answers again.
    public var preferFirst: Bool = true
    /// nil: `plantgate-<site id>`.
    public var clientID: String?
    public var prefix: String = "plantgate"
    public var keepalive: Duration = .seconds(30)
    /// `mqtt.reconnect:`: the wait before the first retry after a lost connection, doubling up to `max`.
    public var reconnect: ReconnectConfig = ReconnectConfig()
    public var qos: Int = 1
    public var protocolVersion: MQTTProtocolVersion = .v311
    public var username: String?
    /// The password is only ever read from this file, never written in the config.
    public var passwordFile: String?
    public var tls: TLSConfig?
    public var publish: PublishOptions = PublishOptions()
    /// `mqtt.outbox:`: queue, spool and in-flight bounds; nil fields keep the gateway's defaults.
    public var outbox: OutboxConfig = OutboxConfig()
    /// `mqtt.sparkplug:`; nil: no Sparkplug B edge node.
    public var sparkplug: SparkplugConfig?

    public init() {}

    /// The brokers in the order they are tried: `hosts`, or `host`/`port` alone.
    public var brokers: [TCPAddress] {
        hosts.isEmpty ? [TCPAddress(host: host, port: port)] : hosts
    }
}

/// `mqtt.sparkplug:`: publish as a Sparkplug B 3.0 edge node (each meter and each line a device).
public struct SparkplugConfig: Sendable, Hashable {
    /// Whether the JSON raw and metric topics are still published.
    public enum Mode: String, Sendable, Hashable, CaseIterable {
        /// JSON topics and Sparkplug both.
        case alongside
        /// Sparkplug replaces the JSON raw tag and line metric topics (status, health, stats and periods stay).
        case instead
    }

    /// The `group_id` topic level (often the site).
    public var groupID: String
    /// The `edge_node_id` topic level (this box).
    public var edgeNodeID: String
    /// The primary host application whose STATE gates births; nil: none.
    public var primaryHostID: String?
    public var mode: Mode = .alongside

    /// A Sparkplug section with both ids.
    public init(groupID: String, edgeNodeID: String, primaryHostID: String? = nil, mode: Mode = .alongside) {
        self.groupID = groupID
        self.edgeNodeID = edgeNodeID
        self.primaryHostID = primaryHostID
        self.mode = mode
    }
}

/// `mqtt.reconnect: {min, max}`: exponential back-off between attempts to reach the broker. `max` is
/// also how long the gateway may stay away after the broker is back.
public struct ReconnectConfig: Sendable, Hashable {
    public var min: Duration = .seconds(1)
    public var max: Duration = .seconds(5)

    public init() {}
}

/// MQTT protocol level.
public enum MQTTProtocolVersion: String, Sendable, Hashable, CaseIterable {
    case v311 = "3.1.1"
    case v5 = "5"
}

/// `mqtt.tls:`.
public struct TLSConfig: Sendable, Hashable {
    public var caFile: String?
    public var certFile: String?
    public var keyFile: String?
    /// Skip server certificate checks: commissioning only, logged loudly.
    public var insecure: Bool = false

    public init(caFile: String? = nil, certFile: String? = nil, keyFile: String? = nil, insecure: Bool = false) {
        self.caFile = caFile
        self.certFile = certFile
        self.keyFile = keyFile
        self.insecure = insecure
    }
}

/// `mqtt.publish:`: raw tag publishing policy.
public struct PublishOptions: Sendable, Hashable {
    public enum Mode: String, Sendable, Hashable, CaseIterable {
        case everyPoll = "every_poll"
        case onChange = "on_change"
    }

    /// A change smaller than this is not a change (`on_change` only).
    public enum Deadband: Sendable, Hashable {
        case absolute(Double)
        case percent(Double)
    }

    public var raw: Mode = .everyPoll
    public var deadband: Deadband = .absolute(0)
    /// With `on_change`, publish anyway after this long without a change.
    public var maxSilence: Duration = .seconds(60)
    public var rawQoS: Int = 0
    public var retainRaw: Bool = false
    /// Each raw value carries `"src"`: bus, unit id, register, function code and config revision.
    public var provenance: Bool = false
    /// How often the rolling-window metrics (`…/1m`, `…/15m`) and `power_kw` are published.
    public var liveInterval: Duration = .seconds(5)
    /// How often the open periods' totals so far (`…/lines/{line}/todate/{period}`) are published.
    public var toDateInterval: Duration = .seconds(10)

    public init() {}
}
