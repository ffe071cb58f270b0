import MQTT
import Outbox

/// What the publisher thread works through, in arrival order.
enum PublisherEvent: Sendable {
    case message(OutboxMessage)
    /// The broker accepted the connection: its `host:port` and the endpoint in words, for the log.
    case connected(broker: String, endpoint: String)
    case refused(MQTTError)
    case lost(MQTTError)
    case disconnectRequested
    case acknowledged(MQTTMessageID)
    /// The core's `nextDeadline` has come.
    case deadline
    case shutdown
}
