import Foundation
import ESG
import PlantModel
import Testing

/// `water_storage_change_m3` and `water_balance_closure` (metrics.md §2.3, §5.5) from pond levels.
@Suite struct StorageTests {
    static let day: Int64 = 1_714_521_600  // 2024-05-01T00:00Z
    /// 1000 m3 per metre up to 1 m, then 2000 m3 per metre up to 3 m.
    static let pond = try! StrappingTable.make([(0, 0), (1, 1000), (3, 5000)]).get()
    /// A small tank: 200 m3 per metre, 2 m tall.
    static let tank = try! StrappingTable.make([(0, 0), (2, 400)]).get()
    static let settings = EngineSettings(maxInterpolationGapNanos: 20_000_000_000)

    static func line(tank: Bool = false) -> LineDefinition {
        var inputs = [
            Fixture.counter(0, "fm-intake/volume_total", .waterWithdrawal(source: .groundwater, quality: .fresh), rate: 1000),
            Fixture.counter(1, "fm-discharge/volume_total", .waterDischarge(destination: .surface, quality: .other), rate: 1000),
            LineInput(tag: 2, tagPath: "pond-1/level", role: .storageLevel, strapping: pond),
        ]
        if tank { inputs.append(LineInput(tag: 3, tagPath: "tank-2/level", role: .storageLevel, toBase: 0.001, strapping: Self.tank)) }
        return LineDefinition(id: "water", name: "water", product: ProductBasis(name: "t", lceFactor: nil, minimumTonnes: 1), inputs: inputs)
    }

    /// Feeds every 10 s, 5 s off the clock (so every edge is interpolated), from 60 s before `start`
    /// to `seconds` after it: intake 0.1 × `intake` m3/s, discharge 0.05 m3/s, pond level `level(τ)`.
    static func run(start: Int64, seconds: Double, intake: Double = 1, tank: Bool = false, level: (Double) -> Double) throws -> Feeder {
        var f = try Feeder(site: Fixture.site(), lines: [line(tank: tank)], settings: settings, epoch: start - 60)
        var t = 5.0
        while t <= seconds + 125 {
            f.sample(0, 0.1 * intake * t, at: t)
            f.sample(1, 0.05 * t, at: t)
            f.sample(2, level(t - 60), at: t)
            if tank { f.sample(3, 1500 + 1000 * (t - 60) / 3600, at: t) }  // mm: 1.5 m rising to 2.5 m per hour
            f.advance(to: t)
            t += 10
        }
        return f
    }

    /// Level 0.5 m at midnight rising linearly to 2.5 m at the next midnight.
    static func dayLevel(_ tau: Double) -> Double { 0.5 + 2 * tau / 86_400 }

    @Test func dayStorageChangeAndClosureMatchTheHandBalance() throws {
        let f = try Self.run(start: Self.day, seconds: 86_400, level: Self.dayLevel)
        let day = try #require(f.records.first { $0.period == .day && $0.span.label == "2024-05-01" })
        // V(2.5 m) − V(0.5 m) = (1000 + 1.5 × 2000) − 500 = 3500 m3.
        let change = try #require(day.metric("water_storage_change_m3"))
        #expect(close(change.value, 3500, rel: 1e-9) && change.quality == .good && change.coverage == 1)
        // Withdrawal 8640 m3, discharge 4320 m3: (8640 − 4320 − 3500) / 8640.
        #expect(close(day.metric("water_withdrawal_m3")?.value, 8640, rel: 1e-9))
        let closure = try #require(day.metric("water_balance_closure"))
        #expect(close(closure.value, 820.0 / 8640, rel: 1e-9) && closure.quality == .good)
        let trace = try #require(day.counters.first { $0.tagPath == "pond-1/level" })
        #expect(close(trace.rawStart, 0.5) && close(trace.rawEnd, 2.5) && trace.unit == "m")
        #expect(day.json().contains(#""water_balance_closure":{"v":"#))
    }

    @Test func shorterPeriodsCarryTheChangeButNoClosure() throws {
        let f = try Self.run(start: Self.day, seconds: 86_400, level: Self.dayLevel)
        let hours = f.records.filter { $0.period == .hour && $0.span.start >= Self.day * 1_000_000_000 }
        #expect(hours.count == 24 && hours.allSatisfy { $0.metric("water_balance_closure") == nil })
        // First hour: level 0.5 → 0.5 + 2/24 m, all below 1 m: 1000 × 2/24 m3.
        #expect(close(hours.first?.metric("water_storage_change_m3")?.value, 2000.0 / 24, rel: 1e-9))
        // Changes of consecutive hours add up to the day's.
        let sum = hours.compactMap { $0.metric("water_storage_change_m3")?.value }.reduce(0, +)
        #expect(close(sum, 3500, rel: 1e-9))
        let quarter = try #require(f.record(.quarterHour, startingAt: 60))
        #expect(close(quarter.metric("water_storage_change_m3")?.value, 2000.0 / 96, rel: 1e-9))
        #expect(quarter.metric("water_balance_closure") == nil)
        // Rolling windows have no edges to take levels at.
        #expect(!f.live.contains { $0.metric == "water_storage_change_m3" || $0.metric == "water_balance_closure" })
    }

    @Test func closureIsBadWithoutWithdrawal() throws {
        let f = try Self.run(start: Self.day, seconds: 86_400, intake: 0, level: Self.dayLevel)
        let day = try #require(f.records.first { $0.period == .day && $0.span.label == "2024-05-01" })
        let closure = try #require(day.metric("water_balance_closure"))
        #expect(closure.value == nil && closure.quality == .bad)
        #expect(close(day.metric("water_storage_change_m3")?.value, 3500, rel: 1e-9))
    }

    @Test func storagesOfALineAddUpAndALevelAboveTheTableIsFlagged() throws {
        let hour10 = FormulaTests.hour10
        let f = try Self.run(start: hour10, seconds: 3600, tank: true) { 1 + $0 / 3600 }
        let hour = try #require(f.record(.hour, startingAt: 60))
        // Pond 1 → 2 m: 3000 − 1000 = 2000 m3. Tank 1.5 → 2.5 m, clamped at its 2 m top: 400 − 300 = 100 m3.
        let change = try #require(hour.metric("water_storage_change_m3"))
        #expect(close(change.value, 2100, rel: 1e-9))
        #expect(change.quality == .uncertain && change.reasons.contains(.outOfRange))
        #expect(close(hour.counters.first { $0.tagPath == "tank-2/level" }?.rawEnd, 2.5))
    }

    @Test func anEdgeInsideAPollingGapShortensTheCoverage() throws {
        // Level 1 + τ/7200 m read every 5 s, with no readings from 10:50 to 11:10.
        let hour10 = FormulaTests.hour10
        var f = try Feeder(site: Fixture.site(), lines: [Self.line()], settings: Self.settings, epoch: hour10)
        var tau = -55.0
        while tau <= 7_300 {
            if tau <= 3000 || tau >= 4200 { f.sample(2, 1 + tau / 7200, at: tau) }
            f.advance(to: tau)
            tau += 5
        }
        // 10:00–10:50 measured: 2000 × 3000/7200 m3 over 50 of 60 minutes; 11:10–12:00 likewise.
        let h10 = try #require(f.record(.hour, startingAt: 0)?.metric("water_storage_change_m3"))
        let h11 = try #require(f.record(.hour, startingAt: 3600)?.metric("water_storage_change_m3"))
        for h in [h10, h11] {
            #expect(close(h.value, 2000 * 3000 / 7200.0, rel: 1e-9))
            #expect(close(h.coverage, 3000 / 3600.0) && h.quality == .uncertain)
        }
    }

    @Test func aRestartKeepsTheLevelAtThePeriodStart() throws {
        let hour10 = FormulaTests.hour10
        let level = { (tau: Double) in 1 + tau / 3600 }
        var before = try Feeder(site: Fixture.site(), lines: [Self.line()], settings: Self.settings, epoch: hour10)
        var tau = -55.0
        while tau <= 1800 { before.sample(2, level(tau), at: tau); before.advance(to: tau); tau += 10 }
        let snapshot = try JSONDecoder().decode(EngineSnapshot.self, from: JSONEncoder().encode(before.engine.snapshot(at: before.instant(1800))))
        var after = try Feeder(site: Fixture.site(), lines: [Self.line()], settings: Self.settings, epoch: hour10)
        after.monoBase = 7_000_000_000
        after.engine = try MetricEngine(site: Fixture.site(), lines: [Self.line()], settings: Self.settings, start: after.instant(1900))
        try after.engine.restore(from: snapshot)
        tau = 1905
        while tau <= 3700 { after.sample(2, level(tau), at: tau); after.advance(to: tau); tau += 10 }
        let change = try #require(after.record(.hour, startingAt: 0)?.metric("water_storage_change_m3"))
        // 1 → 2 m on the pond: 2000 m3, the whole hour between the two edge levels.
        #expect(close(change.value, 2000, rel: 1e-9) && change.coverage == 1 && change.quality == .good)
    }
}
