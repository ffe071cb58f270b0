import PlantModel

extension LiveWindow {
    /// The last topic level of a rolling window (`…/{metric}/1m`); nil for values on the metric's own topic.
    public var topicLevel: String? {
        switch self {
        case .oneMinute, .fifteenMinutes: rawValue
        case .instant, .demandBlock: nil
        }
    }
}

extension MQTTTopics {
    /// `…/lines/{line}/{metric}` or `…/lines/{line}/{metric}/{window}`.
    public func metric(_ update: MetricUpdate) -> String {
        metric(line: update.line, metric: update.metric, window: update.window.topicLevel)
    }

    /// `…/lines/{line}/periods/{period}`.
    public func period(_ record: PeriodRecord) -> String { period(line: record.line, period: record.period.rawValue) }

    /// `…/lines/{line}/todate/{period}`.
    public func toDate(_ record: PeriodRecord) -> String { toDate(line: record.line, period: record.period.rawValue) }

    /// Every topic shape of the contract, with `{placeholders}` as docs/mqtt.md writes them (a test holds
    /// that table to this list). Closed records exist for every period kind but the demand block, which
    /// closes into `demand_kw_15m`; its block under way has a `todate` topic like the others.
    public static var contract: [String] {
        let site = MQTTTopics(prefix: "{prefix}", site: "{site}")
        var shapes = [site.status, site.raw(device: "{device}", tag: "{tag}"), site.health(device: "{device}"),
                      site.metric(line: "{line}", metric: "{metric}")]
        shapes += LiveWindow.allCases.compactMap(\.topicLevel).map { site.metric(line: "{line}", metric: "{metric}", window: $0) }
        shapes += PeriodKind.allCases.filter { $0 != .demandBlock }.map { site.period(line: "{line}", period: $0.rawValue) }
        shapes += PeriodKind.allCases.filter(\.isCalendarWindow).map { site.toDate(line: "{line}", period: $0.rawValue) }
        shapes += [site.stats, site.ledgerKey, site.bridgeNotification, "\(sparkplugNamespace)/{group}/…"]
        return shapes
    }
}
