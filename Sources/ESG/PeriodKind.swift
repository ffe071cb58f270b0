/// The calendar windows the engine closes, aligned in the site's time zone (metrics.md §5.8).
public enum PeriodKind: String, Sendable, Hashable, Codable, CaseIterable {
    case hour, day, shift
    /// The clock-aligned demand block (15, 30 or 60 min); closes into `demand_kw_15m`, not a record.
    case demandBlock = "demand_block"
    /// The local calendar month: the billing period of `peak_demand_kw` (metrics.md §2.1).
    case month
    /// The clock-aligned quarter hour (:00, :15, :30, :45 local), a closed record like an hour's;
    /// always 15 min, whatever the site's demand interval. Topic `…/periods/15min`.
    case quarterHour = "15min"
    /// An electrowinning harvest cycle: from one harvest to the next, as the line's harvest count steps.
    /// Not a calendar window: `MetricEngine` closes it when the count steps. Topic `…/periods/harvest`.
    case harvest

    /// Whether the calendar makes its windows (all but `harvest`): only those have a running "so far" (`todate`).
    public var isCalendarWindow: Bool { self != .harvest }
}

/// One calendar period: UTC bounds and the site-local label.
public struct PeriodSpan: Sendable, Hashable, Codable {
    /// Start and end, nanoseconds since the Unix epoch (UTC); end is exclusive.
    public var start: Int64
    public var end: Int64
    /// Site-local label: `2024-10-27` for a day, `2024-10-27T02:00+01:00` for an hour, `2024-03-30 18:00` for a shift.
    public var label: String

    public init(start: Int64, end: Int64, label: String) {
        self.start = start
        self.end = end
        self.label = label
    }

    /// Actual length in hours (23 or 25 on DST days).
    public var hours: Double { Double(end - start) / 3.6e12 }
}
