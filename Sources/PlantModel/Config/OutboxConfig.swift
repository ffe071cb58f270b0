/// `mqtt.outbox:`: bounds of the publisher's outbox (memory queue, offline raw buffer, SQLite spool,
/// in-flight window). A key left out keeps the gateway's default (documented in docs/mqtt.md).
public struct OutboxConfig: Sendable, Hashable {
    /// `max_bytes`: largest accounted size of the spool on disk.
    public var maxBytes: Int?
    /// `max_age`: spooled messages older than this are dropped (and counted).
    public var maxAge: Duration?
    /// `queue_capacity`: messages waiting for the publisher thread before new ones are dropped.
    public var queueCapacity: Int?
    /// `offline_raw_capacity`: raw tag messages kept in memory during an outage before they spill to disk.
    public var offlineRawCapacity: Int?
    /// `inflight_window`: messages handed to the broker and not yet acknowledged, at most.
    public var inflightWindow: Int?

    /// Every bound at the gateway's default.
    public init(maxBytes: Int? = nil, maxAge: Duration? = nil, queueCapacity: Int? = nil, offlineRawCapacity: Int? = nil, inflightWindow: Int? = nil) {
        self.maxBytes = maxBytes
        self.maxAge = maxAge
        self.queueCapacity = queueCapacity
        self.offlineRawCapacity = offlineRawCapacity
        self.inflightWindow = inflightWindow
    }
}
