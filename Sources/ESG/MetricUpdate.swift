import PlantModel

/// Which window a live metric value describes.
public enum LiveWindow: String, Sendable, Hashable, CaseIterable {
    case instant
    case oneMinute = "1m"
    case fifteenMinutes = "15m"
    /// The last completed clock-aligned demand block (`demand_kw_15m`).
    case demandBlock = "block"
}

/// One live value for `{prefix}/{site}/lines/{line}/{metric}`. Holds only shared strings, so handing
/// one out copies references and never allocates.
public struct MetricUpdate: Sendable, Hashable {
    public var line: String
    public var metric: String
    public var unit: String
    public var window: LiveWindow
    public var value: MetricValue
    /// End of the window or time of the reading, nanoseconds since the epoch (UTC).
    public var wallNanos: Int64

    public init(line: String, metric: String, unit: String, window: LiveWindow, value: MetricValue, wallNanos: Int64) {
        self.line = line
        self.metric = metric
        self.unit = unit
        self.window = window
        self.value = value
        self.wallNanos = wallNanos
    }
}
