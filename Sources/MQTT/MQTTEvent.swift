/// Something the MQTT client reported about one connection.
public enum MQTTEvent: Sendable {
    /// The broker answered CONNECT (accepted or refused).
    case connected(MQTTConnectResult)
    /// The connection ended, on request or because it was lost (libmosquitto then reconnects).
    case disconnected(MQTTDisconnectReason)
    /// The broker acknowledged a publication (PUBACK for QoS 1, PUBCOMP for QoS 2; sent for QoS 0).
    case published(MQTTMessageID)
    /// A message arrived on a subscription.
    case message(MQTTMessage)
    /// The broker acknowledged a SUBSCRIBE; `grantedQoS` has one entry per topic filter (128 = refused).
    case subscribed(MQTTMessageID, grantedQoS: [Int32])
    /// The broker acknowledged an UNSUBSCRIBE.
    case unsubscribed(MQTTMessageID)
}

/// The broker's answer to CONNECT.
public enum MQTTConnectResult: Sendable {
    /// CONNACK with return code 0: the session is up.
    case accepted
    /// The broker refused; the error names the reason and the fix.
    case refused(MQTTError)
}

/// Why a connection ended.
public enum MQTTDisconnectReason: Sendable {
    /// `MQTTClient.disconnect()` was called.
    case requested
    /// The link broke (broker gone, keepalive timeout, TLS failure...). libmosquitto reconnects with
    /// back-off unless the error is fatal for it (TLS, protocol).
    case lost(MQTTError)
}

/// One message received on a subscription; topic and payload are copies owned by Swift.
public struct MQTTMessage: Sendable, Hashable {
    /// The topic the message was published to.
    public let topic: String
    /// The payload bytes.
    public let payload: [UInt8]
    /// The QoS it was delivered with.
    public let qos: MQTTQoS
    /// Whether the broker delivered it from its retained store.
    public let retain: Bool

    /// A received message.
    public init(topic: String, payload: [UInt8], qos: MQTTQoS, retain: Bool) {
        self.topic = topic
        self.payload = payload
        self.qos = qos
        self.retain = retain
    }

    /// The payload decoded as UTF-8 (invalid bytes are repaired), for text payloads such as JSON.
    public var text: String { String(decoding: payload, as: UTF8.self) }
}
