import ESG
import Foundation
import PlantModel
import Testing

/// Demand blocks, edge splitting, snapshot/restore and a seeded random stream.
@Suite struct WindowTests {
    static let line = CounterTests.line()

    @Test func blockDemandInterpolatesCounterAtEdgesAndSetsPeak() throws {
        let settings = EngineSettings(maxInterpolationGapNanos: 90_000_000_000)
        var f = try Feeder(site: Fixture.site(), lines: [Self.line], settings: settings, epoch: FormulaTests.hour10)
        // Polls every 60 s at :30; load 1000 kW until 10:15:10, then 2000 kW.
        var samples: [(Double, Double)] = []
        var e = 0.0
        var t = -30.0
        while t <= 3600 {
            samples.append((t, e))
            let next = t + 60
            let split = min(max(910, t), next)
            e += 1000 * (split - t) / 3600 + 2000 * (next - split) / 3600
            t = next
        }
        for (t, e) in samples where t >= 0 {
            f.sample(0, e, at: t)
            f.advance(to: t)
        }
        f.advance(to: 86_400 + 3600)
        func interpolated(_ tb: Double) -> Double {
            let i = samples.lastIndex { $0.0 <= tb }!
            let (t0, e0) = samples[i], (t1, e1) = samples[i + 1]
            return e0 + (e1 - e0) * (tb - t0) / (t1 - t0)
        }
        let blocks = f.live.filter { $0.metric == "demand_kw_15m" }
        let second = try #require(blocks.first { $0.wallNanos == f.instant(1800).wallNanos })
        #expect(close(second.value.value, (interpolated(1800) - interpolated(900)) / 0.25, rel: 1e-9))
        #expect(second.value.quality == .good)
        // The first block starts before the first reading: uncertain, not in the peak.
        let first = try #require(blocks.first { $0.wallNanos == f.instant(900).wallNanos })
        #expect(first.value.quality != .good)
        let day = try #require(f.records.first { $0.period == .day })
        #expect(close(day.metric("peak_demand_kw")?.value, 2000, rel: 1e-9))
    }

    @Test func deltaAcrossAnEdgeAfterAGapIsSplitByTimeAndEstimated() throws {
        var f = try Feeder(site: Fixture.site(), lines: [Self.line], epoch: FormulaTests.hour10)
        f.sample(0, 0, at: 0)
        f.sample(0, 10, at: 3540)
        f.sample(0, 12, at: 3660)  // 2 kWh over 120 s, half in each hour
        f.sample(0, 12.001, at: 3661)
        f.advance(to: 7210)
        let h10 = try #require(f.record(.hour, startingAt: 0)?.metric("electricity_import_kwh"))
        let h11 = try #require(f.record(.hour, startingAt: 3600)?.metric("electricity_import_kwh"))
        #expect(close(h10.value, 11, rel: 1e-12) && close(h10.estimatedShare, 1.0 / 11, rel: 1e-9) && h10.quality == .uncertain)
        #expect(close(h11.value, 1.001, rel: 1e-12) && h11.estimatedShare > 0)
    }

    /// Counter at 3600 kWh/h (1 kWh/s) read every second; a restart loses `down` seconds of polls.
    @Test(arguments: [300.0, 4000.0])
    func restoreNeitherLosesNorDoubleCounts(down: Double) throws {
        var whole = try Feeder(site: Fixture.site(), lines: [Self.line], epoch: FormulaTests.hour10)
        var before = try Feeder(site: Fixture.site(), lines: [Self.line], epoch: FormulaTests.hour10)
        let stop = 1500.0, end = 9000.0
        var t = 0.0
        while t <= end {
            whole.sample(0, 1000 + t * 0.9, at: t)
            if t <= stop { before.sample(0, 1000 + t * 0.9, at: t) }
            if t.truncatingRemainder(dividingBy: 10) == 0 { whole.advance(to: t); if t <= stop { before.advance(to: t) } }
            t += 1
        }
        whole.advance(to: 86_400 + 10)
        let snapshot = before.engine.snapshot(at: before.instant(stop))
        let data = try JSONEncoder().encode(snapshot)
        let decoded = try JSONDecoder().decode(EngineSnapshot.self, from: data)
        // After the reboot the monotonic clock starts again near zero.
        var after = try Feeder(site: Fixture.site(), lines: [Self.line], epoch: FormulaTests.hour10)
        after.monoBase = 5_000_000_000 - Int64((stop + down) * 1e9)
        after.engine = try MetricEngine(site: Fixture.site(), lines: [Self.line], start: after.instant(stop + down))
        try after.engine.restore(from: decoded)
        after.advance(to: stop + down)
        t = stop + down
        while t <= end {
            after.sample(0, 1000 + t * 0.9, at: t)
            if t.truncatingRemainder(dividingBy: 10) == 0 { after.advance(to: t) }
            t += 1
        }
        after.advance(to: 86_400 + 10)
        let hoursWhole = whole.records.filter { $0.period == .hour }
        let hoursAfter = before.records.filter { $0.period == .hour } + after.records.filter { $0.period == .hour }
        func total(_ rs: [PeriodRecord]) -> Double { rs.compactMap { $0.metric("electricity_import_kwh")?.value }.reduce(0, +) }
        #expect(close(total(hoursWhole), end * 0.9, rel: 1e-9))
        #expect(close(total(hoursAfter), end * 0.9, rel: 1e-9))
        #expect(hoursAfter.map(\.seq) == hoursWhole.map(\.seq))
        let dayAfter = try #require(after.records.first { $0.period == .day })
        let dayWhole = try #require(whole.records.first { $0.period == .day })
        #expect(close(dayAfter.metric("electricity_import_kwh")?.value, dayWhole.metric("electricity_import_kwh")?.value ?? -1, rel: 1e-9))
        #expect(dayAfter.metric("electricity_import_kwh")?.estimatedShare ?? 0 > 0 && dayAfter.reasons.contains(.restart))
    }

    @Test(arguments: [UInt64(1), 2, 3, 42])
    func randomStreamsTotalTheTrueCounterAdvance(seed: UInt64) throws {
        var rng = SeededGenerator(state: seed)
        let modulus = 65_536.0
        let spec = LineDefinition(id: "l", name: "l", product: ProductBasis(name: "t", lceFactor: nil, minimumTonnes: 1), inputs: [
            Fixture.counter(0, "pm/energy_import", .electricityImport, rate: 36_000, modulus: modulus)])
        var f = try Feeder(site: Fixture.site(), lines: [spec], epoch: FormulaTests.hour10)
        var counter = Double.random(in: 60_000..<65_000, using: &rng)
        var truth = 0.0
        var t = 0.0
        f.sample(0, counter, at: t)
        while t < 3 * 3600 {
            let gap = Double.random(in: 0.5...8, using: &rng)
            let kw = Double.random(in: 0...30_000, using: &rng)
            var step = kw * gap / 3600
            // A reset that grows past the old value within one gap is invisible without a marker (§5.1).
            if Double.random(in: 0..<1, using: &rng) < 0.002 && counter > step {
                step = Double.random(in: 0...step, using: &rng)
                counter = 0  // meter reset within the gap, then counting on
            }
            counter = (counter + step).truncatingRemainder(dividingBy: modulus)
            truth += step
            t += gap
            if Double.random(in: 0..<1, using: &rng) < 0.01 { f.sample(0, .nan, at: t - gap / 2, quality: .bad, reason: .timeout) }
            f.sample(0, counter, at: t)
            f.advance(to: t)
        }
        f.advance(to: 4 * 3600 + 10)
        let hours = f.records.filter { $0.period == .hour }
        let total = hours.compactMap { $0.metric("electricity_import_kwh")?.value }.reduce(0, +)
        #expect(close(total, truth, rel: 1e-9), "seed \(seed): \(total) vs \(truth)")
        #expect(hours.contains { $0.reasons.contains(.rollover) })
    }
}
