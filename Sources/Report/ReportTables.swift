/// The report's tables: range totals, one row per day, every event, and the metrics the records lack.
enum ReportTables {
    /// The columns of the daily and total tables: heading and metric.
    static let columns: [(heading: String, id: String)] = [
        ("Product t", MetricID.product), ("Electricity kWh", MetricID.electricity), ("Energy GJ", MetricID.energyTotal),
        ("kWh/t", MetricID.specificElectricity), ("GJ/t", MetricID.specificEnergy),
        ("Withdrawal m3", MetricID.withdrawal), ("Discharge m3", MetricID.discharge), ("Consumption m3", MetricID.consumption),
        ("Recycled m3", MetricID.recycled), ("Water m3/t", MetricID.waterIntensity),
        ("Scope 1 tCO2e", MetricID.scope1), ("Scope 2 LB tCO2e", MetricID.scope2Location), ("Scope 2 MB tCO2e", MetricID.scope2Market),
        ("kgCO2e/t (LB)", MetricID.ghgIntensity), ("kgCO2e/t (MB)", MetricID.ghgIntensityMarket),
    ]

    static func totals(_ figures: ReportFigures) -> String {
        var out = "<h2>Totals and intensities over the range</h2>\n<table id=\"totals\"><tr><th>Days</th><th>Hours</th>"
        for column in shownColumns(figures) { out += "<th>\(HTMLText.escape(column.heading))</th>" }
        out += "<th>Coverage</th><th>Estimated</th></tr>\n"
        out += cells(figures.total, figures, first: "\(figures.days.count)")
        return out + "</table>\n"
    }

    static func days(_ figures: ReportFigures) -> String {
        var out = "<h2>Per day</h2>\n<table id=\"days\"><tr><th>Day</th><th>Hours</th>"
        for column in shownColumns(figures) { out += "<th>\(HTMLText.escape(column.heading))</th>" }
        out += "<th>Coverage</th><th>Estimated</th><th>From</th></tr>\n"
        for day in figures.days {
            out += cells(day, figures, first: day.label, extra: day.source)
        }
        return out + "</table>\n"
    }

    static func events(_ events: [EventRow]) -> String {
        var out = "<h2>Events</h2>\n"
        guard !events.isEmpty else { return out + "<p class=\"note\" id=\"no-events\">No events in this range.</p>\n" }
        out += "<table id=\"events\" class=\"events\"><tr><th>n</th><th>Appended (UTC)</th><th>Event</th><th>Details</th><th>Meaning</th></tr>\n"
        for event in events {
            out += "<tr><td>\(event.number)</td><td>\(HTMLText.escape(event.at))</td><td>\(HTMLText.escape(event.event))</td>"
            out += "<td>\(HTMLText.escape(event.details.joined(separator: ", ")))</td><td>\(HTMLText.escape(event.meaning))</td></tr>\n"
        }
        return out + "</table>\n"
    }

    /// A note for each column the records never carry (e.g. market-based Scope 2 where it is not configured).
    static func missing(_ ids: Set<String>) -> String {
        let absent = columns.filter { !ids.contains($0.id) }
        guard !absent.isEmpty else { return "" }
        let names = absent.map { "\($0.heading) (\($0.id))" }.joined(separator: "; ")
        return "<p class=\"note\" id=\"missing-metrics\">Not in the records of this line, so not shown: \(HTMLText.escape(names)). "
            + "The line has no input or factor for them (for market-based Scope 2: factors.market in the configuration).</p>\n"
    }

    /// The columns the records carry.
    private static func shownColumns(_ figures: ReportFigures) -> [(heading: String, id: String)] {
        columns.filter { figures.metricIDs.contains($0.id) }
    }

    private static func cells(_ day: DayFigures, _ figures: ReportFigures, first: String, extra: String? = nil) -> String {
        var out = "<tr class=\"day\"><td>\(HTMLText.escape(first))</td><td>\(NumberText.display(day.hours))</td>"
        for column in shownColumns(figures) {
            let metric = day.metrics[column.id]
            let quality = metric?.quality ?? "bad"
            out += "<td class=\"\(HTMLText.escape(quality))\" title=\"\(HTMLText.escape(quality))\">\(NumberText.display(metric?.value))</td>"
        }
        out += "<td>\(NumberText.percent(day.coverage))</td><td>\(NumberText.percent(day.estimated))</td>"
        if let extra { out += "<td>\(HTMLText.escape(extra))</td>" }
        return out + "</tr>\n"
    }
}
