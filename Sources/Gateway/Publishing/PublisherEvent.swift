import MQTT
import Outbox

/// What the publisher thread works through, in arrival order.
enum PublisherEvent: Sendable {
    case message(OutboxMessage)
    case connected
    case refused(MQTTError)
    case lost(MQTTError)
    case disconnectRequested
    case acknowledged(MQTTMessageID)
    case tick
    case shutdown
}
