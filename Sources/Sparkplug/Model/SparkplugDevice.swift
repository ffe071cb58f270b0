/// A Sparkplug device of this edge node: one meter or one process line, with every metric it has.
public struct SparkplugDevice: Sendable, Hashable {
    /// The `device_id` topic element, e.g. `meter-3` or `lioh-1`.
    public var id: String
    /// Every metric the device's DBIRTH declares, in publication order.
    public var metrics: [SparkplugMetricDefinition]

    /// A device with its metrics.
    public init(id: String, metrics: [SparkplugMetricDefinition]) {
        self.id = id
        self.metrics = metrics
    }
}
