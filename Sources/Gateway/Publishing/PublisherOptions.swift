import Foundation
import MQTT
import Outbox

/// Everything a `Publisher` needs besides its spool and logger.
public struct PublisherOptions: Sendable {
    /// The broker connection. The publisher sets `will` itself (offline on the status topic) and
    /// `maxInflightMessages` to the in-flight window.
    public var client: MQTTClientOptions
    /// `{prefix}/{site}/status`.
    public var statusTopic: String
    /// The gateway's version, carried in the status payloads.
    public var version: String
    /// When this process started, carried in the status payloads.
    public var started: Date
    /// Queue, spool and in-flight bounds.
    public var limits: OutboxLimits

    /// Options for one broker connection.
    public init(client: MQTTClientOptions, statusTopic: String, version: String, started: Date = Date(), limits: OutboxLimits = OutboxLimits()) {
        self.client = client
        self.statusTopic = statusTopic
        self.version = version
        self.started = started
        self.limits = limits
    }

    /// The client options as the publisher uses them: with the offline last will and the window.
    var effectiveClient: MQTTClientOptions {
        var client = self.client
        client.will = MQTTWill(
            topic: statusTopic, payload: StatusPayload.offline(version: version, started: started), qos: .atLeastOnce, retain: true)
        client.maxInflightMessages = max(1, limits.inflightWindow)
        return client
    }
}
