/// The control-socket protocol between `plantgated` and `plantgate status` / `watch`, version 2.
///
/// One request per connection: the client writes one JSON line (`ControlRequest`), the daemon answers
/// one JSON line (`StatusReport`, `ValuesReport` or `ControlFailure`) with snake_case keys in sorted
/// order (`ControlProtocol.encoder()`) and closes. Fields may be added within a version; none are
/// removed or renamed. Version 1 had camelCase keys.
public enum ControlProtocol {
    public static let version = 2
    /// Where the daemon listens unless the config says otherwise.
    public static let defaultSocketPath = "/run/plantgate/control.sock"
}

/// What the CLI asks for.
public struct ControlRequest: Codable, Sendable, Hashable {
    public enum Command: String, Codable, Sendable { case status, values, rotateKey = "rotate-key" }
    public var command: Command
    /// For `values`: only this device, line, or tags whose `device/tag` path matches this glob.
    public var device: String?
    public var line: String?
    public var tag: String?

    public init(command: Command, device: String? = nil, line: String? = nil, tag: String? = nil) {
        self.command = command
        self.device = device
        self.line = line
        self.tag = tag
    }
}

/// The daemon could not answer; `error` says why in plain words.
public struct ControlFailure: Codable, Sendable, Hashable {
    public var error: String
    public init(error: String) { self.error = error }
}

/// `plantgate status`: the daemon's health at a glance.
public struct StatusReport: Codable, Sendable, Hashable {
    public var protocolVersion: Int
    public var version: String
    public var pid: Int32
    public var startedAt: String
    public var uptimeSeconds: Double
    public var configPath: String
    /// Seconds since the config file was last modified.
    public var configAgeSeconds: Double?
    public var configRevision: String
    public var site: String
    public var broker: BrokerStatus
    public var buses: [BusStatus]
    public var devices: [DeviceStatus]
    public var lines: [LineStatus]
    /// The Sparkplug B session, when `mqtt.sparkplug` is configured.
    public var sparkplug: SparkplugStatus? = nil

    public init(protocolVersion: Int = ControlProtocol.version, version: String, pid: Int32, startedAt: String, uptimeSeconds: Double,
                configPath: String, configAgeSeconds: Double?, configRevision: String, site: String,
                broker: BrokerStatus, buses: [BusStatus], devices: [DeviceStatus], lines: [LineStatus]) {
        self.protocolVersion = protocolVersion
        self.version = version
        self.pid = pid
        self.startedAt = startedAt
        self.uptimeSeconds = uptimeSeconds
        self.configPath = configPath
        self.configAgeSeconds = configAgeSeconds
        self.configRevision = configRevision
        self.site = site
        self.broker = broker
        self.buses = buses
        self.devices = devices
        self.lines = lines
    }
}

public struct BrokerStatus: Codable, Sendable, Hashable {
    public var endpoint: String
    public var connected: Bool
    public var lastError: String?
    /// Messages in the spool file on disk: they survive a crash or power cut.
    public var spoolDepth: Int
    /// Messages held in memory only (queued for the publisher, raw tags and latest values kept while the
    /// broker is away): a crash loses them.
    public var memoryDepth: Int
    public var dropped: Int
    public var published: Int

    public init(endpoint: String, connected: Bool, lastError: String?, spoolDepth: Int, memoryDepth: Int, dropped: Int, published: Int) {
        self.endpoint = endpoint
        self.connected = connected
        self.lastError = lastError
        self.spoolDepth = spoolDepth
        self.memoryDepth = memoryDepth
        self.dropped = dropped
        self.published = published
    }
}

public struct BusStatus: Codable, Sendable, Hashable {
    public var id: String
    public var endpoint: String
    public var connected: Bool
    public var reconnects: Int
    /// Share of wall time the bus spent in requests over the last minute, 0…1.
    public var utilisation: Double
    /// Why the link last failed to open, with its fix, and when (RFC 3339); nil if it never failed.
    public var lastError: String?
    public var lastErrorAt: String?

    public init(id: String, endpoint: String, connected: Bool, reconnects: Int, utilisation: Double,
                lastError: String? = nil, lastErrorAt: String? = nil) {
        self.id = id
        self.endpoint = endpoint
        self.connected = connected
        self.reconnects = reconnects
        self.utilisation = utilisation
        self.lastError = lastError
        self.lastErrorAt = lastErrorAt
    }
}

public struct DeviceStatus: Codable, Sendable, Hashable {
    public var id: String
    public var bus: String
    public var unit: Int
    public var up: Bool
    /// On the wire `last_poll`, the health topic's name (see `ControlProtocol.wireNames`).
    public var lastGoodPoll: String?
    public var requests: Int
    /// Error counts since start by class: `timeout`, `exception_02`, `garbled`, `connection_lost`…
    public var errors: [String: Int]
    /// Error counts of the last minute by class: what is wrong now (nil from daemons that predate it).
    public var errorsLastMinute: [String: Int]?
    public var latencyP50Ms: Double?
    public var latencyP99Ms: Double?
    /// The last failure with its fix, and when (RFC 3339). A device that is down always has one.
    public var lastError: String?
    public var lastErrorAt: String?
    public var overruns: Int

    public init(id: String, bus: String, unit: Int, up: Bool, lastGoodPoll: String?, requests: Int, errors: [String: Int],
                errorsLastMinute: [String: Int]? = nil,
                latencyP50Ms: Double?, latencyP99Ms: Double?, lastError: String?, lastErrorAt: String?, overruns: Int) {
        self.errorsLastMinute = errorsLastMinute
        self.id = id
        self.bus = bus
        self.unit = unit
        self.up = up
        self.lastGoodPoll = lastGoodPoll
        self.requests = requests
        self.errors = errors
        self.latencyP50Ms = latencyP50Ms
        self.latencyP99Ms = latencyP99Ms
        self.lastError = lastError
        self.lastErrorAt = lastErrorAt
        self.overruns = overruns
    }
}

public struct LineStatus: Codable, Sendable, Hashable {
    public var id: String
    public var metrics: [MetricReading]

    public init(id: String, metrics: [MetricReading]) {
        self.id = id
        self.metrics = metrics
    }
}

/// One live metric as the daemon last computed it.
public struct MetricReading: Codable, Sendable, Hashable {
    public var id: String
    public var value: Double?
    public var unit: String
    public var quality: String
    public var window: String?
    public var time: String

    public init(id: String, value: Double?, unit: String, quality: String, window: String?, time: String) {
        self.id = id
        self.value = value
        self.unit = unit
        self.quality = quality
        self.window = window
        self.time = time
    }
}

/// `plantgate watch`: the latest value of each tag.
public struct ValuesReport: Codable, Sendable, Hashable {
    public var values: [TagReading]
    public var metrics: [LineStatus]

    public init(values: [TagReading], metrics: [LineStatus]) {
        self.values = values
        self.metrics = metrics
    }
}

extension ValuesReport {
    /// One entry of `values`, named apart from the plant model's decoded `TagReading` where both are imported.
    public typealias Value = TagReading
}

public struct TagReading: Codable, Sendable, Hashable {
    public var path: String
    public var value: Double?
    public var unit: String
    public var quality: String
    public var reason: String?
    public var ageSeconds: Double?
    /// Seconds since the tag last read good; nil when it never has.
    public var sinceGoodSeconds: Double?
    public var time: String?

    public init(path: String, value: Double?, unit: String, quality: String, reason: String?, ageSeconds: Double?,
                sinceGoodSeconds: Double? = nil, time: String?) {
        self.path = path
        self.value = value
        self.unit = unit
        self.quality = quality
        self.reason = reason
        self.ageSeconds = ageSeconds
        self.sinceGoodSeconds = sinceGoodSeconds
        self.time = time
    }
}
