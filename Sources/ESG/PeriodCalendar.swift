import Foundation
import PlantModel

/// Computes calendar periods in the site's IANA zone. Only `advance` and `init` call it, never `ingest`.
struct PeriodCalendar: Sendable {
    let calendar: Calendar
    let zone: TimeZone
    let shiftStarts: [Int]
    let blockMinutes: Int

    init(site: SiteDefinition) throws(ESGConfigurationError) {
        guard let zone = TimeZone(identifier: site.timeZone) else {
            throw ESGConfigurationError(
                "site '\(site.id)': unknown time zone '\(site.timeZone)'; use an IANA name such as Europe/Berlin or Asia/Almaty")
        }
        guard [5, 10, 15, 20, 30, 60].contains(site.demandIntervalMinutes) else {
            throw ESGConfigurationError(
                "site '\(site.id)': demand interval \(site.demandIntervalMinutes) min does not divide the hour; use 15, 30 or 60")
        }
        let shifts = site.shiftStarts.sorted()
        guard shifts.allSatisfy({ (0..<1440).contains($0) }), Set(shifts).count == shifts.count else {
            throw ESGConfigurationError(
                "site '\(site.id)': shift starts \(site.shiftStarts) must be distinct minutes after midnight in 0..<1440")
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        self.calendar = calendar
        self.zone = zone
        self.shiftStarts = shifts
        self.blockMinutes = site.demandIntervalMinutes
    }

    var hasShifts: Bool { !shiftStarts.isEmpty }

    /// The period of `kind` that contains the instant `wallNanos`.
    func span(_ kind: PeriodKind, containing wallNanos: Int64) -> PeriodSpan {
        let date = Date(timeIntervalSince1970: Double(wallNanos) / 1e9)
        switch kind {
        case .hour:
            return localFloor(wallNanos, stepSeconds: 3600, labelTime: true)
        case .demandBlock:
            return localFloor(wallNanos, stepSeconds: Int64(blockMinutes) * 60, labelTime: true)
        case .quarterHour:
            return localFloor(wallNanos, stepSeconds: 900, labelTime: true)
        case .day:
            let start = calendar.startOfDay(for: date)
            let next = calendar.date(byAdding: .day, value: 1, to: start) ?? start.addingTimeInterval(86_400)
            let end = calendar.startOfDay(for: next.addingTimeInterval(3600))
            return PeriodSpan(start: nanos(start), end: nanos(end), label: localDate(start))
        case .shift:
            return shift(containing: date)
        case .month:
            let parts = calendar.dateComponents([.year, .month], from: date)
            let start = calendar.date(from: parts).map { calendar.startOfDay(for: $0) } ?? calendar.startOfDay(for: date)
            let next = calendar.date(byAdding: .month, value: 1, to: start) ?? start.addingTimeInterval(31 * 86_400)
            let end = calendar.startOfDay(for: next)
            return PeriodSpan(start: nanos(start), end: nanos(end), label: String(localDate(start).prefix(7)))
        case .harvest:
            // Harvests end when the count steps, not on the calendar; never asked for (`MetricEngine.kinds`).
            return PeriodSpan(start: wallNanos, end: .max, label: "")
        }
    }

    /// The period of `kind` that follows `span`.
    func span(_ kind: PeriodKind, after span: PeriodSpan) -> PeriodSpan {
        self.span(kind, containing: span.end)
    }

    private func localFloor(_ wallNanos: Int64, stepSeconds: Int64, labelTime: Bool) -> PeriodSpan {
        let seconds = floorDiv(wallNanos, 1_000_000_000)
        let offset = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(seconds))))
        let localStart = floorDiv(seconds + offset, stepSeconds) * stepSeconds
        let start = localStart - offset
        let end = start + stepSeconds
        let label = localStamp(Date(timeIntervalSince1970: Double(start)))
        return PeriodSpan(start: start * 1_000_000_000, end: end * 1_000_000_000, label: label)
    }

    private func shift(containing date: Date) -> PeriodSpan {
        let today = calendar.startOfDay(for: date)
        var starts: [Date] = []
        for dayOffset in -1...1 {
            guard let day = calendar.date(byAdding: .day, value: dayOffset, to: today) else { continue }
            let parts = calendar.dateComponents([.year, .month, .day], from: day)
            for minute in shiftStarts {
                var c = parts
                c.hour = minute / 60
                c.minute = minute % 60
                if let d = calendar.date(from: c) { starts.append(d) }
            }
        }
        starts.sort()
        let index = starts.lastIndex(where: { $0 <= date }) ?? 0
        let start = starts[index]
        let end = index + 1 < starts.count ? starts[index + 1] : start.addingTimeInterval(86_400)
        let parts = calendar.dateComponents([.hour, .minute], from: start)
        let label = localDate(start) + " " + pad(parts.hour ?? 0) + ":" + pad(parts.minute ?? 0)
        return PeriodSpan(start: nanos(start), end: nanos(end), label: label)
    }

    private func localDate(_ date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return "\(c.year ?? 0)-\(pad(c.month ?? 0))-\(pad(c.day ?? 0))"
    }

    private func localStamp(_ date: Date) -> String {
        let c = calendar.dateComponents([.hour, .minute], from: date)
        let offset = zone.secondsFromGMT(for: date)
        let sign = offset < 0 ? "-" : "+"
        let minutes = abs(offset) / 60
        return localDate(date) + "T" + pad(c.hour ?? 0) + ":" + pad(c.minute ?? 0) + sign + pad(minutes / 60) + ":" + pad(minutes % 60)
    }

    private func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    private func nanos(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1e3).rounded()) * 1_000_000 }
}

func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}
