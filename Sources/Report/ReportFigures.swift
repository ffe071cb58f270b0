import Ledger

/// The line's figures in the range: one row per local day, the range's totals, and the events.
///
/// A period record is in the range when it starts at or after `from` and ends at or before `to`; an event
/// when it was appended in [from, to). A day with its own `day` record takes that record's figures; a day
/// without one (the range or the ledger starts or ends inside it) is summed from its hour records.
public struct ReportFigures: Sendable {
    public var days: [DayFigures]
    public var total: DayFigures
    public var events: [EventRow]
    /// Period records of the line in the range, of every kind.
    public var recordCount: Int
    /// First start and last end of the records used (UTC), nil when there are none.
    public var start: String?
    public var end: String?
    /// The metric ids the records carry.
    public var metricIDs: Set<String>

    public init(_ input: ReportInput) {
        let line = input.line
        let periods = input.entries.compactMap(PeriodFigures.init(entry:)).filter { record in
            record.line == line.id && Self.within(record.start, record.end, input.from, input.to)
        }
        recordCount = periods.count
        metricIDs = Set(periods.flatMap { $0.metrics.keys })
        var byDate: [String: (day: PeriodFigures?, hours: [PeriodFigures])] = [:]
        for record in periods {
            switch record.period {
            case "day": byDate[record.localDate, default: (day: nil, hours: [])].day = record
            case "hour": byDate[record.localDate, default: (day: nil, hours: [])].hours.append(record)
            default: break
            }
        }
        days = byDate.keys.sorted().compactMap { date in
            guard let entry = byDate[date] else { return nil }
            if let day = entry.day {
                return DayFigures(label: date, source: "day record", hours: day.hours, metrics: day.metrics)
            }
            let hours = entry.hours.map { DayFigures(label: $0.label, source: "hour", hours: $0.hours, metrics: $0.metrics) }
            return DayFigures.sum(hours, label: date, source: "\(hours.count) hour record" + (hours.count == 1 ? "" : "s"),
                                  minimumTonnes: line.minimumTonnes)
        }
        let used = periods.filter { record in
            record.period == "day" || (record.period == "hour" && byDate[record.localDate]?.day == nil)
        }
        start = used.map(\.start).min()
        end = used.map(\.end).max()
        total = DayFigures.sum(days, label: "range", source: "\(days.count) day" + (days.count == 1 ? "" : "s"), minimumTonnes: line.minimumTonnes)
        events = input.entries.compactMap { EventRow(entry: $0, line: line.id) }.filter { event in
            (input.from.map { event.at >= $0 } ?? true) && (input.to.map { event.at < $0 } ?? true)
        }
    }

    /// True when [start, end) lies inside [from, to) (RFC 3339 UTC strings with milliseconds compare as times).
    static func within(_ start: String, _ end: String, _ from: String?, _ to: String?) -> Bool {
        (from.map { start >= $0 } ?? true) && (to.map { end <= $0 } ?? true)
    }
}
