import Logging
import MQTT
import Outbox

/// What one of the publisher's decisions asks the outside world to do. `PublisherCore` decides and
/// never touches the spool, the MQTT client, the clock or the log itself; the `Publisher` shell performs
/// each action as it is asked and hands back its `PublisherOutcome`, so the decisions are unit-tested by
/// feeding outcomes instead of running a broker.
enum PublisherAction: Sendable, Equatable {
    /// Write these messages to the spool in one transaction, before any of them is sent.
    case spool([OutboxMessage])
    /// Hand a message to the MQTT client.
    case send(topic: String, payload: [UInt8], qos: MQTTQoS, retain: Bool)
    /// Read at most `limit` spooled rows with ids above `after`, oldest first.
    case readSpool(after: Int64, limit: Int)
    /// Delete acknowledged rows.
    case delete([Int64])
    /// Drop rows past the spool's age and size bounds.
    case applyLimits
    /// Write a log line.
    case log(Logger.Level, String, Logger.Metadata = [:])
}

/// How an action went, as the shell reports it back to the core.
enum PublisherOutcome: Sendable {
    /// Done; nothing to report (deleting, logging).
    case done
    /// Spooled: the id of the last row written, the rows the spool's bounds dropped, and the new totals.
    case spooled(lastID: Int64?, dropped: [MessageClass: Int], totals: SpoolTotals)
    /// Bounds applied: what they dropped, and the new totals.
    case trimmed(dropped: [MessageClass: Int], totals: SpoolTotals)
    /// The client took the message under this id.
    case sent(MQTTMessageID)
    /// The client did not take it; `noConnection` when it has no connection to send on.
    case notTaken(noConnection: Bool, reason: String)
    /// The rows read from the spool.
    case rows([SpooledMessage])
    /// The spool failed; its words.
    case failed(String)
}
