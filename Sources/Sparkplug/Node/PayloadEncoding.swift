import SwiftProtobuf
import PlantModel

typealias WirePayload = Org_Eclipse_Tahu_Protobuf_Payload
typealias WireMetric = Org_Eclipse_Tahu_Protobuf_Payload.Metric
typealias WirePropertyValue = Org_Eclipse_Tahu_Protobuf_Payload.PropertyValue

/// Builds Sparkplug B protobuf payloads from plantgate's values.
enum PayloadEncoding {
    /// Metric name of the birth/death sequence number (specification, NBIRTH and NDEATH).
    static let birthDeathSequenceName = "bdSeq"
    /// Metric name of the rebirth request a host writes with NCMD.
    static let rebirthName = "Node Control/Rebirth"
    /// Property key of the engineering unit (the key Ignition and most hosts read).
    static let unitPropertyKey = "engUnit"
    /// Property key of the quality code (specification: Int32, 0 bad, 192 good, 500 stale).
    static let qualityPropertyKey = "Quality"

    /// Sparkplug's quality codes; "uncertain" (stale, estimated, gappy window) maps to STALE, the
    /// only code the specification has between good and bad.
    static func qualityCode(_ quality: Quality) -> UInt32 {
        switch quality {
        case .good: 192
        case .uncertain: 500
        case .bad: 0
        }
    }

    /// The encoded payload. Serialising cannot fail: the schema has no required fields.
    static func encode(timestampMs: UInt64, seq: UInt8?, metrics: [WireMetric]) -> [UInt8] {
        var payload = WirePayload()
        payload.timestamp = timestampMs
        if let seq { payload.seq = UInt64(seq) }
        payload.metrics = metrics
        return (try? payload.serializedBytes()) ?? []
    }

    /// The `bdSeq` metric of NBIRTH and NDEATH (Int64, no alias).
    static func birthDeathSequenceMetric(_ value: UInt8, timestampMs: UInt64) -> WireMetric {
        var metric = WireMetric()
        metric.name = birthDeathSequenceName
        metric.timestamp = timestampMs
        metric.datatype = SparkplugDataType.int64.wireValue
        metric.longValue = UInt64(value)
        return metric
    }

    /// A birth metric: name, alias, datatype, unit and quality properties, current value or null.
    static func birthMetric(
        _ definition: SparkplugMetricDefinition, alias: UInt64, reading: MetricReading?, timestampMs: UInt64
    ) -> WireMetric {
        var metric = WireMetric()
        metric.name = definition.name
        metric.alias = alias
        metric.datatype = definition.dataType.wireValue
        metric.timestamp = reading?.timestampMs ?? timestampMs
        setValue(reading?.value, on: &metric)
        var properties = Org_Eclipse_Tahu_Protobuf_Payload.PropertySet()
        if let unit = definition.unit, !unit.isEmpty {
            properties.keys.append(unitPropertyKey)
            properties.values.append(stringProperty(unit))
        }
        properties.keys.append(qualityPropertyKey)
        properties.values.append(qualityProperty(reading?.quality ?? .bad))
        metric.properties = properties
        return metric
    }

    /// A data metric: alias only (no name, no datatype), timestamp, value, and quality when asked.
    static func dataMetric(alias: UInt64, reading: MetricReading, withQuality: Bool, historical: Bool) -> WireMetric {
        var metric = WireMetric()
        metric.alias = alias
        metric.timestamp = reading.timestampMs
        if historical { metric.isHistorical = true }
        setValue(reading.value, on: &metric)
        if withQuality { metric.properties = qualityProperties(reading.quality) }
        return metric
    }

    /// The quality a code stands for; an unknown code is bad.
    static func quality(code: UInt32) -> Quality {
        [Quality.good, .uncertain].first { qualityCode($0) == code } ?? .bad
    }

    /// A property set holding only the quality.
    static func qualityProperties(_ quality: Quality) -> Org_Eclipse_Tahu_Protobuf_Payload.PropertySet {
        var properties = Org_Eclipse_Tahu_Protobuf_Payload.PropertySet()
        properties.keys.append(qualityPropertyKey)
        properties.values.append(qualityProperty(quality))
        return properties
    }

    static func setValue(_ value: SparkplugValue?, on metric: inout WireMetric) {
        switch value {
        case nil: metric.isNull = true
        case .double(let number): metric.doubleValue = number
        case .int64(let number): metric.longValue = UInt64(bitPattern: number)  // two's complement, per spec
        case .uint64(let number): metric.longValue = number
        case .boolean(let flag): metric.booleanValue = flag
        case .string(let text): metric.stringValue = text
        }
    }

    private static func stringProperty(_ text: String) -> WirePropertyValue {
        var property = WirePropertyValue()
        property.type = SparkplugDataType.string.wireValue
        property.stringValue = text
        return property
    }

    private static func qualityProperty(_ quality: Quality) -> WirePropertyValue {
        var property = WirePropertyValue()
        property.type = 3  // Int32, as the specification demands for Quality
        property.intValue = qualityCode(quality)
        return property
    }
}
