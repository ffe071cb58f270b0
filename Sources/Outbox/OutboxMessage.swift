import Foundation
import MQTT

/// One message on its way to the broker: what `Publisher.publish(_:)` takes and what the spool stores.
public struct OutboxMessage: Sendable, Hashable {
    /// Full topic, e.g. `plantgate/site1/lines/lioh-1/periods/hour`.
    public var topic: String
    /// Payload bytes: a JSON object on plantgate's own topics, a Sparkplug B record in the Sparkplug outbox.
    public var payload: [UInt8]
    /// QoS to publish with (period records and metrics: QoS 1).
    public var qos: MQTTQoS
    /// Whether the broker keeps it as the topic's retained message.
    public var retain: Bool
    /// What kind of data this is; decides spooling and drop order.
    public var messageClass: MessageClass
    /// Wall-clock time the message was made; bounds its age in the spool.
    public var created: Date

    /// A message with raw payload bytes.
    public init(topic: String, payload: [UInt8], qos: MQTTQoS, retain: Bool, messageClass: MessageClass, created: Date = Date()) {
        self.topic = topic
        self.payload = payload
        self.qos = qos
        self.retain = retain
        self.messageClass = messageClass
        self.created = created
    }

    /// A message with a UTF-8 text payload (JSON).
    public init(topic: String, text: String, qos: MQTTQoS, retain: Bool, messageClass: MessageClass, created: Date = Date()) {
        self.init(topic: topic, payload: Array(text.utf8), qos: qos, retain: retain, messageClass: messageClass, created: created)
    }

    /// Bytes the spool accounts for this message (payload, topic and a fixed row overhead).
    public var spoolSize: Int { payload.count + topic.utf8.count + 32 }
}

/// A message read back from the spool, with the row id that orders it and deletes it after the ack.
public struct SpooledMessage: Sendable, Hashable {
    /// Row id: increases with every append and is never reused, so it is the replay order.
    public let id: Int64
    /// The message as appended.
    public let message: OutboxMessage

    /// A spooled row.
    public init(id: Int64, message: OutboxMessage) {
        self.id = id
        self.message = message
    }
}
