import Foundation
import MQTT
import Outbox
import PlantModel

/// Hands the runtime's messages to the durable publisher with the QoS, retain flag and class the MQTT
/// contract gives each kind (docs/mqtt.md).
public struct PublisherChannel: OutboundChannel {
    let publisher: Publisher
    let rawQoS: MQTTQoS
    let retainRaw: Bool

    public init(publisher: Publisher, publish: PublishOptions) {
        self.publisher = publisher
        self.rawQoS = publish.rawQoS >= 2 ? .exactlyOnce : publish.rawQoS == 1 ? .atLeastOnce : .atMostOnce
        self.retainRaw = publish.retainRaw
    }

    public func send(topic: String, payload: [UInt8], kind: OutboundKind) {
        publisher.publish(message(topic: topic, payload: payload, kind: kind))
    }

    public func sendHeld(topic: String, payload: [UInt8], kind: OutboundKind) {
        publisher.publish(message(topic: topic, payload: payload, kind: kind), wakes: false)
    }

    public func flush() { publisher.flush() }

    private func message(topic: String, payload: [UInt8], kind: OutboundKind) -> OutboxMessage {
        switch kind {
        case .raw: OutboxMessage(topic: topic, payload: payload, qos: rawQoS, retain: retainRaw, messageClass: .raw)
        case .metric: OutboxMessage(topic: topic, payload: payload, qos: .atLeastOnce, retain: true, messageClass: .metric)
        case .period: OutboxMessage(topic: topic, payload: payload, qos: .atLeastOnce, retain: false, messageClass: .period)
        case .health: OutboxMessage(topic: topic, payload: payload, qos: .atLeastOnce, retain: true, messageClass: .health)
        case .stats: OutboxMessage(topic: topic, payload: payload, qos: .atMostOnce, retain: true, messageClass: .stats)
        }
    }

    /// The publisher's figures as `gateway/stats` fields (docs/mqtt.md, "Gateway statistics").
    public func figures() -> [ChannelFigure] {
        let stats = publisher.stats
        var figures: [ChannelFigure] = [
            .flag("mqtt_connected", stats.connected), .count("mqtt_connects", stats.connects),
            // With mqtt.hosts a reader of one broker learns which one the gateway is on.
            .text("mqtt_broker", stats.broker ?? ""),
            .count("published", stats.published), .count("acknowledged", stats.acknowledged), .count("replayed", stats.replayed),
            .count("inflight", stats.inflight), .count("memory_depth", stats.memoryDepth),
            .count("spool_depth", stats.spoolDepth), .count("spool_bytes", stats.spoolBytes),
            .count("dropped_total", stats.totalDropped),
        ]
        for messageClass in Self.droppable {
            figures.append(.count("dropped_\(messageClass)", stats.dropped[messageClass] ?? 0))
        }
        return figures
    }

    /// Classes whose drops are reported, most expendable first.
    private static let droppable: [MessageClass] = [.raw, .metric, .period, .health, .stats]
}
