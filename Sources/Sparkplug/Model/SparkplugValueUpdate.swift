import PlantModel

/// A new value of one metric, with its quality and the time it was read.
public struct SparkplugValueUpdate: Sendable, Hashable {
    /// Metric name as declared in the birth.
    public var metric: String
    /// The value; `nil` (or a NaN double) is published as `is_null`, e.g. when the meter did not answer.
    public var value: SparkplugValue?
    /// Quality, published as the `Quality` property (good 192, uncertain 500 "stale", bad 0).
    public var quality: Quality
    /// Time of the reading (or the end of the window), milliseconds since the Unix epoch.
    public var timestampMs: UInt64

    /// A value update.
    public init(metric: String, value: SparkplugValue?, quality: Quality, timestampMs: UInt64) {
        self.metric = metric
        self.value = value
        self.quality = quality
        self.timestampMs = timestampMs
    }
}
