import PlantModel
import SwiftProtobuf

/// How kept values wait in a store-and-forward outbox: one device's updates as a Sparkplug B payload
/// with metric names and datatypes (never aliases, never `seq`), so a record written by one process
/// replays in another, where aliases and `seq` are assigned at replay time.
public enum BacklogRecord {
    /// The stored bytes of one device's kept updates.
    public static func encode(_ updates: [SparkplugValueUpdate]) -> [UInt8] {
        let metrics = updates.map { update in
            let value = update.value?.publishable
            var metric = WireMetric()
            metric.name = update.metric
            metric.timestamp = update.timestampMs
            if let value { metric.datatype = value.dataType.wireValue }
            PayloadEncoding.setValue(value, on: &metric)
            metric.properties = PayloadEncoding.qualityProperties(update.quality)
            return metric
        }
        return PayloadEncoding.encode(timestampMs: updates.first?.timestampMs ?? 0, seq: nil, metrics: metrics)
    }

    /// The updates of a stored record.
    /// - Throws: `SparkplugError` (`.malformedRecord`) when the bytes are not such a record.
    public static func decode(_ bytes: [UInt8]) throws(SparkplugError) -> [SparkplugValueUpdate] {
        guard let payload = try? WirePayload(serializedBytes: bytes) else {
            throw SparkplugError(.malformedRecord, "a stored Sparkplug record is not a Sparkplug B payload (\(bytes.count) bytes)")
        }
        return payload.metrics.map { metric in
            let quality = PayloadEncoding.quality(code: metric.properties.values.first?.intValue ?? PayloadEncoding.qualityCode(.bad))
            return SparkplugValueUpdate(metric: metric.name, value: value(of: metric), quality: quality, timestampMs: metric.timestamp)
        }
    }

    private static func value(of metric: WireMetric) -> SparkplugValue? {
        guard !metric.isNull else { return nil }
        switch metric.datatype {
        case SparkplugDataType.double.wireValue: return .double(metric.doubleValue)
        case SparkplugDataType.int64.wireValue: return .int64(Int64(bitPattern: metric.longValue))
        case SparkplugDataType.uint64.wireValue: return .uint64(metric.longValue)
        case SparkplugDataType.boolean.wireValue: return .boolean(metric.booleanValue)
        case SparkplugDataType.string.wireValue: return .string(metric.stringValue)
        default: return nil
        }
    }
}
