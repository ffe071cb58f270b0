import ESG
import PlantModel
import Testing

/// Calendar periods in the site zone: DST days, Almaty's 25 h 29 Feb 2024, shifts over midnight.
@Suite struct CalendarTests {
    /// Closes every period from `startUTC` for `hours` hours and returns the records of one line.
    static func records(zone: String, shifts: [Int] = [], startUTC: Int64, hours: Int64) throws -> [PeriodRecord] {
        var f = try Feeder(site: Fixture.site(zone: zone, shifts: shifts), lines: [Fixture.lioh()], epoch: startUTC)
        f.advance(to: Double(hours * 3600 + 10))
        return f.records
    }

    @Test(arguments: [
        ("Europe/Berlin", Int64(1_711_839_600), "2024-03-31", 23.0),  // 2024-03-30T23:00Z = local midnight
        ("Europe/Berlin", Int64(1_729_980_000), "2024-10-27", 25.0),  // 2024-10-26T22:00Z
        ("Asia/Almaty", Int64(1_709_143_200), "2024-02-29", 25.0),  // 2024-02-28T18:00Z (+06:00)
        ("Asia/Almaty", Int64(1_709_233_200), "2024-03-01", 24.0),  // 2024-02-29T19:00Z (+05:00 from here on)
    ])
    func localDayLength(zone: String, midnightUTC: Int64, label: String, hours: Double) throws {
        let records = try Self.records(zone: zone, startUTC: midnightUTC, hours: 26)
        let day = try #require(records.first { $0.period == .day })
        #expect(day.span.label == label && day.span.hours == hours)
        #expect(day.span.start == midnightUTC * 1_000_000_000)
        let hoursInDay = records.filter { $0.period == .hour && $0.span.start >= day.span.start && $0.span.end <= day.span.end }
        #expect(hoursInDay.count == Int(hours) && hoursInDay.allSatisfy { $0.span.hours == 1 })
        #expect(hoursInDay.map(\.seq) == Array(1...UInt64(hours)))
    }

    @Test func repeatedHourOnAutumnDSTHasDistinctLabels() throws {
        let hours = try Self.records(zone: "Europe/Berlin", startUTC: 1_729_980_000, hours: 25).filter { $0.period == .hour }
        let labels = hours.map(\.span.label)
        #expect(labels.contains("2024-10-27T02:00+02:00") && labels.contains("2024-10-27T02:00+01:00"))
        #expect(Set(labels).count == labels.count)
    }

    @Test func shiftCrossingMidnightBelongsToItsStartDateAndLasts11HoursOnSpringDST() throws {
        // 2024-03-30T17:00Z = 18:00 CET; shifts at 06:00 and 18:00.
        let shifts = try Self.records(zone: "Europe/Berlin", shifts: [360, 1080], startUTC: 1_711_818_000, hours: 24)
            .filter { $0.period == .shift }
        let night = try #require(shifts.first)
        #expect(night.span.label == "2024-03-30 18:00" && night.span.hours == 11)
        let day = try #require(shifts.dropFirst().first)
        #expect(day.span.label == "2024-03-31 06:00" && day.span.hours == 12)
    }
}
