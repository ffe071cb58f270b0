/// Where the runtime hands messages for the broker. The publisher implements it; tests may record.
///
/// `send` must not block on disk or network: it is called from the engine thread.
public protocol OutboundChannel: Sendable {
    func send(topic: String, payload: [UInt8], kind: OutboundKind)
}

/// How a message is treated on its way out (QoS, retain, durability are the channel's business).
public enum OutboundKind: Sendable, Hashable {
    /// A raw tag value (volatile; spills to disk only during outages).
    case raw
    /// A live line metric (retained, durable).
    case metric
    /// A closed period record (durable; deleted from the spool only after the broker's ack).
    case period
    /// Device health (retained, latest wins).
    case health
    /// Gateway statistics (retained, latest wins).
    case stats
}
