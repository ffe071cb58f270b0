import PlantModel

/// The JSON publisher as the runtime sees it when Sparkplug runs `instead`: raw tag and live metric
/// messages go to Sparkplug only; health, stats and period records (and the status topic, which the
/// publisher owns) still go out as JSON.
struct JSONTopicsChannel: OutboundChannel {
    let base: any OutboundChannel

    func send(topic: String, payload: [UInt8], kind: OutboundKind) {
        if Self.carries(kind) { base.send(topic: topic, payload: payload, kind: kind) }
    }

    func sendHeld(topic: String, payload: [UInt8], kind: OutboundKind) {
        if Self.carries(kind) { base.sendHeld(topic: topic, payload: payload, kind: kind) }
    }

    /// Raw values and live metrics go out as Sparkplug only.
    private static func carries(_ kind: OutboundKind) -> Bool { kind != .raw && kind != .metric }

    func flush() { base.flush() }

    func figures() -> [ChannelFigure] { base.figures() }

    /// `base` as is, or without raw and metric messages in `instead` mode.
    static func forMode(_ mode: SparkplugConfig.Mode?, base: any OutboundChannel) -> any OutboundChannel {
        mode == .instead ? JSONTopicsChannel(base: base) : base
    }
}
