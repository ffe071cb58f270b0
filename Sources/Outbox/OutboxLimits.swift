import PlantModel

/// Bounds of the outbox, in memory and on disk; set in YAML under `mqtt.outbox:` (`max_bytes`, `max_age`,
/// `queue_capacity`, `offline_raw_capacity`, `inflight_window`).
public struct OutboxLimits: Sendable, Hashable {
    /// Largest total size of spooled messages (payload + topic + row overhead). Past it, the oldest raw
    /// tags go first, then metrics, then period records.
    public var maxBytes: Int
    /// Spooled messages older than this are dropped (counted per class).
    public var maxAge: Duration
    /// Messages `publish` may queue for the publisher thread; past it, `publish` drops and counts.
    public var queueCapacity: Int
    /// Raw tag messages kept in memory while the broker is away before they spill to the spool.
    public var offlineRawCapacity: Int
    /// Spooled messages handed to the broker and not yet acknowledged, at most.
    public var inflightWindow: Int

    /// Defaults: 256 MB and 7 days on disk, 20 000 queued, 10 000 raw offline in memory, 64 in flight.
    public init(
        maxBytes: Int = 256 * 1024 * 1024, maxAge: Duration = .seconds(7 * 24 * 3600), queueCapacity: Int = 20_000,
        offlineRawCapacity: Int = 10_000, inflightWindow: Int = 64
    ) {
        self.maxBytes = maxBytes
        self.maxAge = maxAge
        self.queueCapacity = queueCapacity
        self.offlineRawCapacity = offlineRawCapacity
        self.inflightWindow = inflightWindow
    }
}

extension OutboxLimits {
    /// The defaults, with every bound `mqtt.outbox` sets replaced.
    public init(_ config: OutboxConfig) {
        self.init()
        if let value = config.maxBytes { maxBytes = value }
        if let value = config.maxAge { maxAge = value }
        if let value = config.queueCapacity { queueCapacity = value }
        if let value = config.offlineRawCapacity { offlineRawCapacity = value }
        if let value = config.inflightWindow { inflightWindow = value }
    }
}
