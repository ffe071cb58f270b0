import ESG
import Foundation
import PlantModel
import Testing

/// Day records judged against a line's energy baseline: expected energy, EnPI, savings and a CUSUM that
/// stays flat while the line runs as the baseline says, climbs at the rate of an efficiency step, and
/// survives a restart (snapshot round trip) and a reload.
@Suite struct BaselineCusumTests {
    /// 2026-01-01T00:00Z: days are UTC days from here.
    static let epoch: Int64 = 1_767_225_600
    static let spec = BaselineSpec(period: .day, energy: "electricity_import_kwh", intercept: 20_000,
                                   variables: [.init(name: "product_t", coefficient: 1_900, minimum: 45, maximum: 75)])

    static func line(_ id: String = "ew-1", baseline: BaselineSpec? = spec) -> LineDefinition {
        LineDefinition(id: id, name: id, product: ProductBasis(name: "Cu cathode", lceFactor: nil, minimumTonnes: 1), inputs: [
            Fixture.counter(0, "pm-ew/energy_import", .electricityImport, rate: 20_000),
            Fixture.counter(1, "scale-cathode/total", .product, rate: 10),
        ], baseline: baseline)
    }

    /// Tonnes on day `d` (within the baseline's 45…75 t, except day 3) and the energy the line uses: the
    /// baseline's from day 0 to 5, 5 % less from day 6 (the efficiency step).
    static func tonnes(_ d: Int) -> Double { d == 3 ? 80 : 50 + Double((d * 7) % 20) }
    static func energy(_ d: Int) -> Double { (spec.intercept + 1_900 * tonnes(d)) * (d >= 6 ? 0.95 : 1) }

    /// Counter readings every 15 min from day `from` to the start of day `to`, rising linearly within each day.
    static func run(_ f: inout Feeder, days: Range<Int>, counters: inout (Double, Double)) {
        for d in days {
            for q in 0..<96 {
                let s = Double(d * 86_400 + q * 900)
                f.sample(0, counters.0 + energy(d) * Double(q) / 96, at: s)
                f.sample(1, counters.1 + tonnes(d) * Double(q) / 96, at: s)
                f.advance(to: s + 1)
            }
            counters.0 += energy(d)
            counters.1 += tonnes(d)
        }
        let end = Double(days.upperBound * 86_400)
        f.sample(0, counters.0, at: end)
        f.sample(1, counters.1, at: end)
        f.advance(to: end + 10)
    }

    static func days(_ f: Feeder) -> [PeriodRecord] { f.records.filter { $0.period == .day && $0.line == "ew-1" } }

    @Test func cusumIsFlatOnTheBaselineAndClimbsWithAnEfficiencyStep() throws {
        var f = try Feeder(site: Fixture.site(), lines: [Self.line()], epoch: Self.epoch)
        var counters = (1_000.0, 10.0)
        Self.run(&f, days: 0..<12, counters: &counters)
        let days = Self.days(f)
        #expect(days.count == 12)
        var cusum = 0.0
        for (d, day) in days.enumerated() {
            let judged = try #require(day.baseline)
            let expected = Self.spec.intercept + 1_900 * Self.tonnes(d)
            #expect(close(judged.expected, expected, rel: 1e-6))
            #expect(close(judged.enpi, Self.energy(d) / expected, rel: 1e-6))
            cusum += expected - Self.energy(d)
            #expect(close(judged.cusum, cusum, rel: 1e-6), "day \(d)")
            #expect(judged.extrapolated == (d == 3))
            #expect(judged.quality == .good)
        }
        // Flat while the line runs as the baseline says, then +5 % of the expected energy a day.
        #expect(abs(days[5].baseline!.cusum) < 1)
        // The eighth day as docs/energy-performance.md and docs/metrics.md show it (59 t).
        let eighth = try #require(days[7].baseline)
        #expect(close(eighth.expected, 132_100, rel: 1e-9) && close(eighth.enpi, 0.95, rel: 1e-9))
        #expect(close(eighth.savings, 6_605, rel: 1e-6) && close(eighth.cusum, 12_545, rel: 1e-6))
        #expect(days[11].baseline!.cusum > 6 * 0.05 * 100_000)
        // Hours carry no judgement; the day payload carries it after the other fields.
        #expect(f.records.filter { $0.period == .hour }.allSatisfy { $0.baseline == nil })
        let json = days[7].json()
        #expect(json.contains(",\"baseline\":{\"expected\":"))
        #expect(json.contains("\"extrapolated\":false,\"q\":\"good\"}"))
    }

    @Test func cusumSurvivesASnapshotRoundTripAndAReload() throws {
        var reference = try Feeder(site: Fixture.site(), lines: [Self.line()], epoch: Self.epoch)
        var restarted = try Feeder(site: Fixture.site(), lines: [Self.line()], epoch: Self.epoch)
        var a = (1_000.0, 10.0), b = (1_000.0, 10.0)
        Self.run(&reference, days: 0..<12, counters: &a)
        Self.run(&restarted, days: 0..<8, counters: &b)
        let saved = try JSONEncoder().encode(restarted.engine.snapshot(at: restarted.instant(8 * 86_400 + 10)))
        var engine = try MetricEngine(site: Fixture.site(), lines: [Self.line()], start: restarted.instant(8 * 86_400 + 20))
        try engine.restore(from: JSONDecoder().decode(EngineSnapshot.self, from: saved))
        restarted.engine = engine
        Self.run(&restarted, days: 8..<12, counters: &b)
        let cusums = { (f: Feeder) in Self.days(f).map { $0.baseline?.cusum } }
        #expect(cusums(restarted).count == 12 && cusums(restarted) == cusums(reference))

        // A reload with the same baseline keeps the sum; a new baseline starts a fresh one.
        let before = try #require(cusums(reference).last ?? nil)
        var kept = try MetricEngine(site: Fixture.site(), lines: [Self.line()], start: reference.instant(12 * 86_400 + 20))
        try kept.adopt(reference.engine, now: reference.instant(12 * 86_400 + 20), revision: "r2")
        var refitted = Self.spec
        refitted.intercept = 19_000
        var fresh = try MetricEngine(site: Fixture.site(), lines: [Self.line(baseline: refitted)], start: reference.instant(12 * 86_400 + 20))
        try fresh.adopt(reference.engine, now: reference.instant(12 * 86_400 + 20), revision: "r3")
        #expect(kept.snapshot(at: reference.instant(12 * 86_400 + 30)).baselineCusums == [BaselineCusum(model: Self.spec.identity, cusum: before)])
        #expect(fresh.snapshot(at: reference.instant(12 * 86_400 + 30)).baselineCusums == [BaselineCusum(model: refitted.identity, cusum: 0)])
    }

    @Test func aLineWithoutBaselineKeepsItsRecordAndSnapshotAsBefore() throws {
        var f = try Feeder(site: Fixture.site(), lines: [Self.line(baseline: nil)], epoch: Self.epoch)
        var counters = (1_000.0, 10.0)
        Self.run(&f, days: 0..<2, counters: &counters)
        #expect(Self.days(f).count == 2 && Self.days(f).allSatisfy { $0.baseline == nil && !$0.json().contains("baseline") })
        let snapshot = try JSONEncoder().encode(f.engine.snapshot(at: f.instant(2 * 86_400 + 20)))
        #expect(!String(decoding: snapshot, as: UTF8.self).contains("baselineCusums"))
    }

    @Test func aPeriodWithoutProductIsWithheldAndLeavesTheCusum() throws {
        var f = try Feeder(site: Fixture.site(), lines: [Self.line()], epoch: Self.epoch)
        var counters = (1_000.0, 10.0)
        Self.run(&f, days: 0..<7, counters: &counters)
        // Day 7: the energy meter reads on, the scale is silent.
        for q in 0...96 {
            let s = Double(7 * 86_400 + q * 900)
            f.sample(0, counters.0 + Self.energy(7) * Double(q) / 96, at: s)
            f.advance(to: s + 1)
        }
        f.advance(to: Double(8 * 86_400 + 10))
        let days = Self.days(f)
        let withheld = try #require(days.last?.baseline)
        #expect(days.count == 8 && withheld.quality == .bad && withheld.expected == nil && withheld.savings == nil)
        #expect(withheld.cusum == days[6].baseline?.cusum)
        #expect(days.last!.json().contains("\"baseline\":{\"expected\":null,\"enpi\":null,\"savings\":null,"))
    }

    @Test func aBaselineNamingAMetricTheLineLacksIsRefused() {
        var wrong = Self.spec
        wrong.variables[0].name = "ore_grade"
        #expect(throws: ESGConfigurationError.self) {
            _ = try MetricEngine(site: Fixture.site(), lines: [Self.line(baseline: wrong)], start: Instant(wallNanos: 0, monoNanos: 0))
        }
        var shifts = Self.spec
        shifts.period = .shift
        #expect(throws: ESGConfigurationError.self) {
            _ = try MetricEngine(site: Fixture.site(), lines: [Self.line(baseline: shifts)], start: Instant(wallNanos: 0, monoNanos: 0))
        }
    }
}
