/// MQTT quality of service for a publication or a subscription.
public enum MQTTQoS: Int32, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// QoS 0: fire and forget; lost while the broker is away.
    case atMostOnce = 0
    /// QoS 1: acknowledged by PUBACK; may arrive twice.
    case atLeastOnce = 1
    /// QoS 2: four-way handshake, delivered once.
    case exactlyOnce = 2

    public var description: String { "QoS \(rawValue)" }
}

/// The MQTT protocol revision spoken to the broker.
public enum MQTTProtocolVersion: Sendable, Hashable, CustomStringConvertible {
    /// MQTT 3.1.1 (protocol level 4), what every broker speaks.
    case v3_1_1
    /// MQTT 5 (protocol level 5).
    case v5

    /// The value libmosquitto expects for `MOSQ_OPT_PROTOCOL_VERSION`.
    var mosquittoValue: Int32 {
        switch self {
        case .v3_1_1: 4  // MQTT_PROTOCOL_V311
        case .v5: 5  // MQTT_PROTOCOL_V5
        }
    }

    public var description: String {
        switch self {
        case .v3_1_1: "MQTT 3.1.1"
        case .v5: "MQTT 5"
        }
    }
}

/// The packet identifier libmosquitto gave a PUBLISH, SUBSCRIBE or UNSUBSCRIBE.
///
/// The broker's acknowledgement of that packet carries the same identifier
/// (`MQTTEvent.published`), which is how a caller learns that a message reached the broker.
public struct MQTTMessageID: Hashable, Sendable, CustomStringConvertible {
    /// The raw 16-bit packet identifier as libmosquitto reports it.
    public let rawValue: Int32

    /// Wraps a raw packet identifier.
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public var description: String { "mid \(rawValue)" }
}
