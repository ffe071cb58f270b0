import PlantModel
import SwiftProtobuf

@testable import Sparkplug

/// A small plant as the daemon would map it: gateway figures on the node, one meter, one line.
enum PlantFixture {
    static let start: UInt64 = 1_795_770_900_000  // 2026-11-27T09:15:00Z

    static func configuration(primaryHost: String? = nil) throws -> SparkplugNodeConfiguration {
        try SparkplugNodeConfiguration(groupID: "lithium-site", edgeNodeID: "plantgate-1", primaryHostID: primaryHost)
    }

    static let nodeMetrics = [
        SparkplugMetricDefinition(name: "gateway/poll_rate", dataType: .double, unit: "1/s"),
        SparkplugMetricDefinition(name: "gateway/spool_depth", dataType: .uint64),
        SparkplugMetricDefinition(name: "gateway/version", dataType: .string),
    ]

    static let meter = SparkplugDevice(id: "meter-3", metrics: [
        SparkplugMetricDefinition(name: "active_power", dataType: .double, unit: "kW"),
        SparkplugMetricDefinition(name: "energy_import", dataType: .uint64, unit: "kWh"),
        SparkplugMetricDefinition(name: "breaker_closed", dataType: .boolean),
    ])

    static let line = SparkplugDevice(id: "lioh-1", metrics: [
        SparkplugMetricDefinition(name: "electricity_intensity", dataType: .double, unit: "kWh/t"),
        SparkplugMetricDefinition(name: "net_water_balance", dataType: .int64, unit: "m3"),
    ])

    static func node(primaryHost: String? = nil, storedBirthDeathSequence: UInt8? = nil) throws -> SparkplugNode {
        try SparkplugNode(
            configuration: configuration(primaryHost: primaryHost), nodeMetrics: nodeMetrics, devices: [meter, line],
            storedBirthDeathSequence: storedBirthDeathSequence)
    }

    static func update(_ metric: String, _ value: SparkplugValue?, _ quality: Quality = .good, at time: UInt64 = start) -> SparkplugValueUpdate {
        SparkplugValueUpdate(metric: metric, value: value, quality: quality, timestampMs: time)
    }

    /// A node that is connected and born, with the births it published.
    static func bornNode() throws -> (SparkplugNode, [SparkplugMessage]) {
        var node = try node()
        _ = node.prepareConnection(at: start)
        let births = node.connected(at: start)
        return (node, births)
    }
}

/// Decodes with the generated types (the project's own decoder).
func decoded(_ message: SparkplugMessage) throws -> Org_Eclipse_Tahu_Protobuf_Payload {
    try Org_Eclipse_Tahu_Protobuf_Payload(serializedBytes: message.payload)
}

extension Org_Eclipse_Tahu_Protobuf_Payload.Metric {
    /// Property `key`'s value, if present.
    func property(_ key: String) -> Org_Eclipse_Tahu_Protobuf_Payload.PropertyValue? {
        properties.keys.firstIndex(of: key).map { properties.values[$0] }
    }
}
