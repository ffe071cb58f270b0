/// Everything needed to open one MQTT connection. A plain value: build it from the config file.
public struct MQTTClientOptions: Sendable {
    /// Broker host name or IP address. A literal IP address avoids a blocking DNS lookup in `connect()`.
    public var host: String
    /// Broker TCP port (1883 plain, 8883 TLS by convention).
    public var port: Int
    /// Further brokers for failover: after a failed attempt or a lost connection the next one in
    /// `[host:port] + fallbackBrokers` is tried, wrapping around.
    public var fallbackBrokers: [MQTTBrokerAddress] = []
    /// With fallbacks, go back to the first broker once it accepts TCP connections again (checked
    /// every back-off cap while connected to another).
    public var preferFirst: Bool = true
    /// Client identifier; keep it stable per box so the broker can resume a persistent session.
    public var clientID: String
    /// Keepalive interval in seconds; the broker drops the link after 1.5 × this without traffic.
    public var keepaliveSeconds: Int
    /// Start a clean session (`true`) or resume the broker's stored session for `clientID`.
    public var cleanSession: Bool
    /// MQTT 3.1.1 or MQTT 5.
    public var protocolVersion: MQTTProtocolVersion
    /// Username and password, if the broker requires them.
    public var credentials: MQTTCredentials?
    /// TLS settings; `nil` means plain TCP.
    public var tls: MQTTTLSOptions?
    /// Message the broker publishes for us if the connection dies without a DISCONNECT.
    public var will: MQTTWill?
    /// Exponential back-off between reconnect attempts.
    public var reconnect: MQTTReconnectBackoff
    /// How many QoS 1/2 messages may await acknowledgement at once (libmosquitto queues the rest).
    public var maxInflightMessages: Int

    /// Options with the defaults plantgate uses: keepalive 30 s, clean session, MQTT 3.1.1,
    /// reconnect back-off 1 s doubling up to 5 s, 20 messages in flight.
    public init(
        host: String,
        port: Int = 1883,
        clientID: String,
        keepaliveSeconds: Int = 30,
        cleanSession: Bool = true,
        protocolVersion: MQTTProtocolVersion = .v3_1_1,
        credentials: MQTTCredentials? = nil,
        tls: MQTTTLSOptions? = nil,
        will: MQTTWill? = nil,
        reconnect: MQTTReconnectBackoff = MQTTReconnectBackoff(),
        maxInflightMessages: Int = 20
    ) {
        self.host = host
        self.port = port
        self.clientID = clientID
        self.keepaliveSeconds = keepaliveSeconds
        self.cleanSession = cleanSession
        self.protocolVersion = protocolVersion
        self.credentials = credentials
        self.tls = tls
        self.will = will
        self.reconnect = reconnect
        self.maxInflightMessages = maxInflightMessages
    }

    /// `mqtt://host:port` or `mqtts://host:port` of the first broker, for messages that name the broker.
    public var endpoint: String { endpoint(ofBroker: 0) }

    /// Every broker in the order tried: `host`:`port` first, then `fallbackBrokers`.
    public var brokers: [MQTTBrokerAddress] { [MQTTBrokerAddress(host: host, port: port)] + fallbackBrokers }

    /// The endpoint of broker `index` in `brokers`.
    public func endpoint(ofBroker index: Int) -> String {
        let all = brokers
        return all[index % all.count].endpoint(tls: tls != nil)
    }
}

/// Username and password for the broker. The password never appears in any description.
public struct MQTTCredentials: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The MQTT username.
    public var username: String
    /// The password, as read by the caller from the configured password file.
    public var password: String?

    /// Credentials for `username`; `password` comes from a file the caller has read.
    public init(username: String, password: String?) {
        self.username = username
        self.password = password
    }

    public var description: String { "user \(username), password \(password == nil ? "none" : "<redacted>")" }
    public var debugDescription: String { description }
}

/// TLS settings for the broker connection.
public struct MQTTTLSOptions: Sendable {
    /// PEM file with the CA certificate(s) that signed the broker's certificate.
    public var caFile: String
    /// PEM client certificate, for brokers that require certificate authentication.
    public var certificateFile: String?
    /// PEM private key (unencrypted) matching `certificateFile`.
    public var keyFile: String?
    /// Skip the check that the broker's certificate names `host`. Commissioning only: log it loudly.
    public var allowInsecure: Bool

    /// TLS trusting `caFile`, optionally presenting a client certificate and key.
    public init(caFile: String, certificateFile: String? = nil, keyFile: String? = nil, allowInsecure: Bool = false) {
        self.caFile = caFile
        self.certificateFile = certificateFile
        self.keyFile = keyFile
        self.allowInsecure = allowInsecure
    }
}

/// The last will: published by the broker when this client vanishes without a DISCONNECT.
public struct MQTTWill: Sendable {
    /// Topic of the will message, e.g. `plantgate/site/status`.
    public var topic: String
    /// Payload bytes, e.g. the UTF-8 of `offline`.
    public var payload: [UInt8]
    /// QoS the broker uses to deliver the will.
    public var qos: MQTTQoS
    /// Whether the broker retains the will, so late subscribers see the box is offline.
    public var retain: Bool

    /// A will with raw payload bytes.
    public init(topic: String, payload: [UInt8], qos: MQTTQoS = .atLeastOnce, retain: Bool = true) {
        self.topic = topic
        self.payload = payload
        self.qos = qos
        self.retain = retain
    }

    /// A will with a UTF-8 text payload.
    public init(topic: String, text: String, qos: MQTTQoS = .atLeastOnce, retain: Bool = true) {
        self.init(topic: topic, payload: Array(text.utf8), qos: qos, retain: retain)
    }
}

/// Exponential back-off between reconnect attempts, run by the client's network thread.
///
/// The cap is also the longest a client stays away after the broker is back, so it is short by
/// default (5 s): an attempt is one TCP connect, cheap for the broker even from many gateways.
public struct MQTTReconnectBackoff: Sendable, Hashable {
    /// First delay after a lost connection or failed attempt, in milliseconds (at least 10).
    public var initialDelayMilliseconds: Int
    /// Largest delay, in milliseconds; the delay doubles up to this cap.
    public var maximumDelayMilliseconds: Int

    /// Back-off starting at `initialDelay`, doubling up to `maximumDelay`.
    public init(initialDelay: Duration = .seconds(1), maximumDelay: Duration = .seconds(5)) {
        initialDelayMilliseconds = Self.milliseconds(initialDelay)
        maximumDelayMilliseconds = Self.milliseconds(maximumDelay)
    }

    /// Back-off starting at `initialDelaySeconds`, doubling up to `maximumDelaySeconds`.
    public init(initialDelaySeconds: Int, maximumDelaySeconds: Int) {
        self.init(initialDelay: .seconds(initialDelaySeconds), maximumDelay: .seconds(maximumDelaySeconds))
    }

    /// The wait before the next attempt after `failures` failures in a row (none: at once).
    public func delayMilliseconds(afterFailures failures: Int) -> Int {
        guard failures > 0 else { return 0 }
        let initial = max(10, initialDelayMilliseconds)
        let cap = max(initial, maximumDelayMilliseconds)
        return min(cap, initial << min(failures - 1, 20))
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(clamping: seconds) &* 1_000 &+ Int(attoseconds / 1_000_000_000_000_000)
    }
}
