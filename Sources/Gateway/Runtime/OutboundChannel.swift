/// Where the runtime hands messages for the broker. The publisher implements it; tests may record.
///
/// `send` must not block on disk or network: it is called from the engine thread.
public protocol OutboundChannel: Sendable {
    func send(topic: String, payload: [UInt8], kind: OutboundKind)
    /// As `send`, but whoever carries the message on may wait for `flush()` to be woken: the engine hands
    /// over a round of samples' messages with one wake-up of the publisher, not one per message (a woken
    /// publisher took the core from the engine once per message: 370 preemptions a second at 2,700 msg/s).
    func sendHeld(topic: String, payload: [UInt8], kind: OutboundKind)
    /// Wakes the channel for what `sendHeld` handed over.
    func flush()
    /// The channel's own figures for `gateway/stats` (spool depth, drops, …), in the order to publish them.
    /// Called from the engine thread every 10 s: must not block on disk or network.
    func figures() -> [ChannelFigure]
}

extension OutboundChannel {
    /// A channel without figures of its own.
    public func figures() -> [ChannelFigure] { [] }
    /// A channel that has nothing to wake sends at once.
    public func sendHeld(topic: String, payload: [UInt8], kind: OutboundKind) { send(topic: topic, payload: payload, kind: kind) }
    public func flush() {}
}

/// One named figure a channel adds to `gateway/stats`.
public enum ChannelFigure: Sendable, Hashable {
    /// A count or size: `"spool_depth":12`.
    case count(String, Int)
    /// A yes/no state: `"mqtt_connected":true`.
    case flag(String, Bool)
    /// A word: `"mqtt_broker":"127.0.0.1:1883"`.
    case text(String, String)
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
