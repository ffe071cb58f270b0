import Foundation
import ESG
import PlantModel
import Testing

/// Calendar 15-minute closed records (metrics.md §1: "calendar 15 min, hour, shift, day").
@Suite struct QuarterHourTests {
    static let line = CounterTests.line()

    /// 1 kWh per second (3600 kW) read every second from 10:00:00 for 31 minutes.
    static func run(zone: String = "UTC", epoch: Int64 = FormulaTests.hour10) throws -> Feeder {
        var f = try Feeder(site: Fixture.site(zone: zone), lines: [line], epoch: epoch)
        for second in 0...1860 {
            f.sample(0, Double(second), at: Double(second))
            f.advance(to: Double(second))
        }
        return f
    }

    @Test func quarterHoursCloseWithTheirOwnTotalsAndSeq() throws {
        let f = try Self.run()
        let quarters = f.records.filter { $0.period == .quarterHour }
        #expect(quarters.map(\.span.label) == ["2024-05-01T10:00+00:00", "2024-05-01T10:15+00:00"])
        #expect(quarters.map(\.seq) == [1, 2])
        for q in quarters {
            #expect(q.span.end - q.span.start == 900_000_000_000)
            let kwh = try #require(q.metric("electricity_import_kwh"))
            #expect(close(kwh.value, 900) && kwh.quality == .good && kwh.coverage == 1)
            #expect(q.metric("peak_demand_kw") == nil)
        }
        #expect(quarters.first?.period.rawValue == "15min")
        #expect(quarters.first?.json().contains(#""period":"15min""#) == true)
        // The hour is still open; the demand blocks of the same 15 min went out as live values.
        #expect(!f.records.contains { $0.period == .hour })
        #expect(f.live.filter { $0.metric == "demand_kw_15m" }.compactMap(\.value.value).allSatisfy { close($0, 3600) })
    }

    /// Under a 480× plant clock the close delay scales to 40 plant minutes; quarters still hold their own energy.
    @Test func aLongCloseDelayDoesNotShiftEnergyBetweenQuarters() throws {
        let settings = EngineSettings(closeDelayNanos: 2_400_000_000_000)
        var f = try Feeder(site: Fixture.site(), lines: [Self.line], settings: settings, epoch: FormulaTests.hour10)
        for second in 0...3600 {
            f.sample(0, Double(second), at: Double(second))
            f.advance(to: Double(second))
        }
        let quarters = f.records.filter { $0.period == .quarterHour }
        #expect(quarters.count == 3)
        for q in quarters {
            let kwh = try #require(q.metric("electricity_import_kwh"))
            #expect(close(kwh.value, 900) && kwh.estimatedShare == 0 && kwh.quality == .good)
        }
    }

    @Test func quarterHoursFollowTheLocalClockInKathmandu() throws {
        // Asia/Kathmandu is +05:45: 10:00Z is 15:45 local, a quarter-hour edge there too.
        let f = try Self.run(zone: "Asia/Kathmandu")
        let labels = f.records.filter { $0.period == .quarterHour }.map(\.span.label)
        #expect(labels == ["2024-05-01T15:45+05:45", "2024-05-01T16:00+05:45"])
    }

    /// A version-2 snapshot (no 15-min kind) restores: hours continue, the 15-min kind starts afresh.
    @Test func snapshotWithoutTheQuarterHourStillRestores() throws {
        var before = try Feeder(site: Fixture.site(), lines: [Self.line], epoch: FormulaTests.hour10)
        for second in 0...1200 {
            before.sample(0, Double(second), at: Double(second))
            before.advance(to: Double(second))
        }
        var old = before.engine.snapshot(at: before.instant(1200))
        #expect(old.version == 3 && old.spans.count == 12)
        // Version 2 had five kinds: drop the last kind's two slots and its seq.
        let inputs = old.inputKeys.count, lines = old.lineIDs.count
        old.version = 2
        old.spans.removeLast(2)
        old.totals.removeLast(2 * inputs)
        old.peaks.removeLast(2 * lines)
        old.peakBlocks.removeLast(2 * lines)
        old.seqs.removeLast(lines)
        let decoded = try JSONDecoder().decode(EngineSnapshot.self, from: JSONEncoder().encode(old))

        var after = try Feeder(site: Fixture.site(), lines: [Self.line], epoch: FormulaTests.hour10)
        after.engine = try MetricEngine(site: Fixture.site(), lines: [Self.line], start: after.instant(1201))
        try after.engine.restore(from: decoded)
        for second in 1201...3610 {
            after.sample(0, Double(second), at: Double(second))
            after.advance(to: Double(second))
        }
        let hour = try #require(after.record(.hour, startingAt: 0))
        #expect(close(hour.metric("electricity_import_kwh")?.value, 3600))
        // The first 15-min record after the restore starts at 10:15 and holds the 1201…1800 s part of it
        // plus the segment across the restart; quarters that follow are whole.
        let quarters = after.records.filter { $0.period == .quarterHour }
        #expect(quarters.map(\.seq) == [1, 2, 3])
        #expect(close(quarters.last?.metric("electricity_import_kwh")?.value, 900))
    }

    @Test func aBrokenSnapshotIsRefusedWithTheFix() throws {
        let f = try Feeder(site: Fixture.site(), lines: [Self.line], epoch: FormulaTests.hour10)
        var old = f.engine.snapshot(at: f.instant(0))
        old.version = 2
        var engine = f.engine
        #expect(throws: ESGConfigurationError.self) { try engine.restore(from: old) }
    }
}
