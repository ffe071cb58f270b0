import PlantModel

/// A metric's value as last read or published; `value == nil` means "no value" (`is_null`).
struct MetricReading: Sendable, Equatable {
    var value: SparkplugValue?
    var quality: Quality
    var timestampMs: UInt64

    /// Whether a host that saw `self` needs `other` to stay current (value or quality changed).
    func differs(from other: MetricReading) -> Bool {
        value != other.value || quality != other.quality
    }
}
