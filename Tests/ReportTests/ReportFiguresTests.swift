import Foundation
import Ledger
import Report
import Testing

/// How days and totals are made: the day's own record where there is one, else its hours summed.
@Suite("Report figures")
struct ReportFiguresTests {
    @Test func aDayWithoutItsRecordIsSummedFromItsHours() throws {
        var fixture = ReportFixture()
        // 22:00 and 23:00 local (UTC here) of the 9th: the ledger starts late in that day.
        try fixture.period("hour", start: "2026-03-09T22:00:00.000Z", end: "2026-03-09T23:00:00.000Z", label: "2026-03-09T22:00+00:00", hours: 1,
                           ["product_t": (1, "t", 1, 0), "electricity_import_kwh": (3000, "kWh", 1, 0), "scope2_lb_tco2e": (2.4, "tCO2e", 1, 0)])
        try fixture.period("hour", start: "2026-03-09T23:00:00.000Z", end: "2026-03-10T00:00:00.000Z", label: "2026-03-09T23:00+00:00", hours: 1,
                           ["product_t": (3, "t", 0.5, 0), "electricity_import_kwh": (5000, "kWh", 0.5, 0.2), "scope2_lb_tco2e": (4.0, "tCO2e", 0.5, 0.2)])
        try fixture.day("2026-03-10")
        let figures = ReportFigures(fixture.input())
        #expect(figures.days.map(\.label) == ["2026-03-09", "2026-03-10"])
        let partial = figures.days[0]
        #expect(partial.source == "2 hour records")
        #expect(partial.value("electricity_import_kwh") == 8000)
        // A ratio of sums (8000 / 4), not the mean of 3000 and 1667.
        #expect(partial.value("sec_electric_kwh_per_t") == 2000)
        #expect(partial.metrics["electricity_import_kwh"]?.coverage == 0.75)
        #expect(abs((partial.metrics["electricity_import_kwh"]?.estimated ?? 0) - 1000.0 / 8000) < 1e-12)
        #expect(figures.days[1].source == "day record")
        #expect(figures.total.value("electricity_import_kwh") == 88_000)
        #expect(figures.start == "2026-03-09T22:00:00.000Z")
        #expect(figures.end == "2026-03-11T00:00:00.000Z")
    }

    @Test func theRangeTakesRecordsThatLieInsideIt() throws {
        var fixture = ReportFixture()
        for date in ["2026-03-10", "2026-03-11", "2026-03-12"] { try fixture.day(date) }
        let figures = ReportFigures(fixture.input(from: "2026-03-11T00:00:00.000Z", to: "2026-03-12T00:00:00.000Z"))
        #expect(figures.days.map(\.label) == ["2026-03-11"])
    }

    @Test func intensitiesWaitForTheMinimumProduct() throws {
        var fixture = ReportFixture()
        try fixture.period("hour", start: "2026-03-09T23:00:00.000Z", end: "2026-03-10T00:00:00.000Z", label: "2026-03-09T23:00+00:00", hours: 1,
                           ["product_t": (0.1, "t", 1, 0), "electricity_import_kwh": (500, "kWh", 1, 0)])
        let day = try #require(ReportFigures(fixture.input()).days.first)
        #expect(day.value("electricity_import_kwh") == 500)
        #expect(day.value("sec_electric_kwh_per_t") == nil)
    }
}
