import MQTT
import Outbox

/// The publisher's figures, for `gateway/stats`, the control socket and tests.
public struct PublisherStats: Sendable, Hashable {
    /// Whether the broker accepted the current connection.
    public var connected = false
    /// `host:port` of the broker of the current (or last) connection; nil before the first.
    public var broker: String?
    /// The last connection or spool problem in words (e.g. an `MQTTError` message); nil once healthy again.
    public var lastError: String?
    /// Accepted connections since start (1 + reconnects).
    public var connects = 0
    /// Messages handed to the MQTT client (live and replayed).
    public var published = 0
    /// Spooled messages the broker acknowledged (and that were then deleted from the spool).
    public var acknowledged = 0
    /// Messages sent again from the spool or memory after an outage or restart (flagged `"hist":true`).
    public var replayed = 0
    /// Rows in the spool.
    public var spoolDepth = 0
    /// Accounted bytes in the spool.
    public var spoolBytes = 0
    /// Messages held in memory: queued for the publisher thread, raw tags and latest-wins values kept
    /// while the broker is away.
    public var memoryDepth = 0
    /// Spooled messages handed to the broker and not acknowledged yet.
    public var inflight = 0
    /// Messages dropped per class: full queue, spool bounds (size, age), or rejected by the client.
    public var dropped: [MessageClass: Int] = [:]

    /// An empty record.
    public init() {}

    /// Adds the counts since start of `earlier` (a publisher this one replaced); states and depths stay.
    public mutating func `continue`(from earlier: PublisherStats) {
        connects += earlier.connects
        published += earlier.published
        acknowledged += earlier.acknowledged
        replayed += earlier.replayed
        for (messageClass, count) in earlier.dropped { dropped[messageClass, default: 0] += count }
    }

    /// Dropped messages over all classes.
    public var totalDropped: Int { dropped.values.reduce(0, +) }
}
