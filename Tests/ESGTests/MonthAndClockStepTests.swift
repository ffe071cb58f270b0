import ESG
import PlantModel
import Testing

/// Month records with the billing-period peak (metrics.md §2.1 `peak_demand_kw`, day and month) and
/// wall-clock steps (§5.8 CLOCK_STEP).
@Suite struct MonthAndClockStepTests {
    static let line = CounterTests.line()
    /// 2026-01-31T23:00:00Z, an hour before the month ends (UTC site).
    static let lastHourOfJanuary: Int64 = 1_769_900_400
    static let february: Int64 = 1_769_904_000
    static let march: Int64 = 1_772_323_200

    /// Load (kW) by second since 2026-01-31T23:00Z: 1000, a 3000 kW block at 23:30, 500, then 2000 in February.
    static func load(_ t: Double) -> Double {
        switch t {
        case ..<1800: 1000
        case ..<2700: 3000
        case ..<3600: 500
        default: 2000
        }
    }

    @Test func monthRecordCarriesItsOwnPeakAndTheNextMonthStartsAfresh() throws {
        var f = try Feeder(site: Fixture.site(), lines: [Self.line], epoch: Self.lastHourOfJanuary)
        var energy = 0.0
        for step in 0...540 {
            let t = Double(step * 10)
            if step > 0 { energy += Self.load(t - 10) * 10 / 3600 }
            f.sample(0, energy, at: t)
            f.advance(to: t)
        }
        f.advance(to: Double(Self.march - Self.lastHourOfJanuary) + 10)

        let january = try #require(f.records.first { $0.period == .month && $0.span.label == "2026-01" })
        #expect(january.span.start == (Self.february - 31 * 86_400) * 1_000_000_000 && january.span.hours == 744)
        // Blocks: 1000, 1000, 3000, 500 kW; energy 0.5 h × 1000 + 0.25 h × 3000 + 0.25 h × 500 = 1375 kWh.
        #expect(close(january.metric("peak_demand_kw")?.value, 3000))
        #expect(close(january.metric("electricity_import_kwh")?.value, 1375))
        let february = try #require(f.records.first { $0.period == .month && $0.span.label == "2026-02" })
        #expect(february.span.start == Self.february * 1_000_000_000 && february.span.end == Self.march * 1_000_000_000)
        // Two 2000 kW blocks; the block after the last reading has one edge only and stays out of the peak.
        #expect(close(february.metric("peak_demand_kw")?.value, 2000))
        #expect(close(february.metric("electricity_import_kwh")?.value, 1000))
        #expect(january.seq == 1 && february.seq == 2)
        let days = f.records.filter { $0.period == .day }
        #expect(close(days.first { $0.span.label == "2026-01-31" }?.metric("peak_demand_kw")?.value, 3000))
        #expect(close(days.first { $0.span.label == "2026-02-01" }?.metric("peak_demand_kw")?.value, 2000))
    }

    @Test func monthsFollowTheSiteZoneAcrossAlmatysOffsetChange() throws {
        // Asia/Almaty: +06:00 until 2024-02-29T18:00Z, +05:00 after. February 2024 runs from
        // 2024-01-31T18:00Z to 2024-02-29T19:00Z: 29 days and one hour.
        let start: Int64 = 1_708_970_400  // 2024-02-26T18:00Z
        var f = try Feeder(site: Fixture.site(zone: "Asia/Almaty"), lines: [Fixture.lioh()], epoch: start)
        f.advance(to: 5 * 86_400)
        let month = try #require(f.records.first { $0.period == .month })
        #expect(month.span.label == "2024-02")
        #expect(month.span.start == 1_706_724_000 * 1_000_000_000 && month.span.end == 1_709_233_200 * 1_000_000_000)
        #expect(month.span.hours == 29 * 24 + 1)
    }

    /// 1 kWh per monotonic second; at 10:30 the wall clock is stepped back 30 s. Δt stays monotonic, the
    /// hour ends where the corrected wall clock reaches 11:00 (30 real seconds later), and the record says so.
    @Test func wallClockStepIsFlaggedAndDurationsStayMonotonic() throws {
        let epoch: Int64 = FormulaTests.hour10 * 1_000_000_000
        let mono: Int64 = 5_000_000_000_000
        var engine = try MetricEngine(site: Fixture.site(), lines: [Self.line], start: Instant(wallNanos: epoch, monoNanos: mono))
        var records: [PeriodRecord] = []
        for second in Int64(0)...3700 {
            let wall = epoch + (second < 1800 ? second : second - 30) * 1_000_000_000
            let time = Instant(wallNanos: wall, monoNanos: mono + second * 1_000_000_000)
            engine.ingest(Sample(tag: 0, value: Double(second), quality: .good, time: time))
            records += engine.advance(to: time)
        }
        let hour = try #require(records.first { $0.period == .hour })
        let kwh = try #require(hour.metric("electricity_import_kwh"))
        #expect(close(kwh.value, 3630))
        #expect(hour.reasons.contains(.clockStep) && !hour.reasons.contains(.jump) && !hour.reasons.contains(.backwards))
        #expect(hour.reasons.codes.contains("CLOCK_STEP"))
    }
}
