import ESG
import Foundation
import PlantModel
import Testing

/// Electrowinning per harvest cycle: a `harvest` record each time the harvest count steps.
@Suite struct HarvestCycleTests {
    static let spec = ElectrowinningSpec(metal: .cu, cells: 100)
    static let amperes = 30_000.0

    /// Tags: 0 DC current (A), 1 DC energy (kWh counter), 2 cathode (kg counter), 3 harvests.
    static func line() -> LineDefinition {
        LineDefinition(id: "ew-1", name: "EW", product: ProductBasis(name: "Cu cathode", lceFactor: nil, minimumTonnes: 0.2), inputs: [
            LineInput(tag: 0, tagPath: "rect/dc_current", role: .dcCurrent),
            Fixture.counter(1, "rect/dc_energy", .dcEnergy, rate: 1_000_000),
            Fixture.counter(2, "scale/total", .cathode, toBase: 0.001, rate: 100),
            LineInput(tag: 3, tagPath: "plc/harvests", role: .harvestCount),
        ], electrowinning: spec)
    }

    /// Polls every 10 s from `from` to `to` (s): 30 kA at 2.0 V per cell, the cathode counting `efficiency`
    /// of Faraday's mass (`efficiency(t)`), a harvest every 2 h (count 500 + t / 7,200).
    static func run(_ f: inout Feeder, from: Int, to: Int, efficiency: (Double) -> Double, state: inout (energy: Double, cathodeKg: Double)) {
        let kWhPer10s = amperes * 2.0 * 100 / 1000 / 360
        for s in stride(from: from, through: to, by: 10) {
            let t = Double(s)
            if s > from {
                state.energy += kWhPer10s
                state.cathodeKg += 1_000 * amperes * spec.tonnesPerAmpereHour / 360 * efficiency(t - 5)
            }
            f.sample(0, amperes, at: t)
            f.sample(1, state.energy, at: t)
            f.sample(2, state.cathodeKg, at: t)
            f.sample(3, 500 + (t / 7_200).rounded(.down), at: t)
            if s % 60 == 0 { f.advance(to: t) }
        }
    }

    static func harvests(_ f: Feeder) -> [PeriodRecord] { f.records.filter { $0.period == .harvest } }

    @Test func eachCycleBetweenHarvestsIsJudgedWithItsOwnCurrentEfficiency() throws {
        var f = try Feeder(site: Fixture.site(), lines: [Self.line()], epoch: FormulaTests.hour10)
        var state = (energy: 5_000.0, cathodeKg: 100_000.0)
        // 92 % for the first cycles, 85 % from 5 h on (a short circuit in the cells, say).
        Self.run(&f, from: 0, to: 4 * 7_200 + 60, efficiency: { $0 < 5 * 3600 ? 0.92 : 0.85 }, state: &state)
        let cycles = Self.harvests(f)
        // The cycle under way at the start (count 500) has no known start: the first judged one is 2 h → 4 h.
        #expect(cycles.map(\.seq) == [1, 2, 3])
        #expect(cycles.map(\.span.label) == ["harvest 502", "harvest 503", "harvest 504"])
        let hour = Int64(3_600_000_000_000)
        #expect(cycles.map { ($0.span.start - f.epochNanos) / hour } == [2, 4, 6])
        #expect(cycles.map(\.span.hours) == [2, 2, 2])
        let ce = cycles.map { $0.metric("ew_current_efficiency")?.value ?? 0 }
        #expect(close(ce[0], 0.92, rel: 1e-6), "\(ce)")
        // 4 h → 6 h: an hour at 92 % and an hour at 85 %.
        #expect(close(ce[1], 0.885, rel: 1e-6), "\(ce)")
        #expect(close(ce[2], 0.85, rel: 1e-6), "\(ce)")
        for cycle in cycles {
            #expect(close(cycle.metric("ew_charge_kah")?.value, 60, rel: 1e-9), "2 h at 30 kA")
            #expect(close(cycle.metric("ew_dc_energy_kwh")?.value, 12_000, rel: 1e-6))
            #expect(cycle.metric("ew_current_efficiency")?.quality == .good)
            #expect(cycle.json().contains("\"period\":\"harvest\""))
        }
        // The day and hour records are what they were: a harvest ends no calendar period.
        let hourRecord = try #require(f.record(.hour, startingAt: 3 * 3600))
        #expect(close(hourRecord.metric("ew_current_efficiency")?.value, 0.92, rel: 1e-6))
    }

    @Test func aCycleContinuesAcrossASnapshotRestart() throws {
        var reference = try Feeder(site: Fixture.site(), lines: [Self.line()], epoch: FormulaTests.hour10)
        var refState = (energy: 5_000.0, cathodeKg: 100_000.0)
        Self.run(&reference, from: 0, to: 3 * 7_200 + 60, efficiency: { _ in 0.9 }, state: &refState)

        var restarted = try Feeder(site: Fixture.site(), lines: [Self.line()], epoch: FormulaTests.hour10)
        var state = (energy: 5_000.0, cathodeKg: 100_000.0)
        Self.run(&restarted, from: 0, to: 3 * 3600, efficiency: { _ in 0.9 }, state: &state)
        let saved = try JSONEncoder().encode(restarted.engine.snapshot(at: restarted.instant(3 * 3600)))
        var engine = try MetricEngine(site: Fixture.site(), lines: [Self.line()], start: restarted.instant(3 * 3600 + 1))
        try engine.restore(from: JSONDecoder().decode(EngineSnapshot.self, from: saved))
        restarted.engine = engine
        // The new process reads again at the time of the snapshot, then on.
        Self.run(&restarted, from: 3 * 3600, to: 3 * 7_200 + 60, efficiency: { _ in 0.9 }, state: &state)

        let after = Self.harvests(restarted), before = Self.harvests(reference)
        #expect(after.map(\.seq) == [1, 2] && before.map(\.seq) == [1, 2])
        // The cycle across the restart (2 h → 4 h, restarted at 3 h) keeps what it counted before it.
        let across = try #require(after.first)
        #expect(across.span == before[0].span)
        #expect(close(across.metric("ew_charge_kah")?.value, 60, rel: 1e-9))
        let ce = try #require(across.metric("ew_current_efficiency")?.value)
        #expect(close(ce, 0.9, rel: 1e-6), "CE \(ce) across the restart")
        #expect(close(after.last?.metric("ew_current_efficiency")?.value, 0.9, rel: 1e-6))
    }

    @Test func aCountThatGoesBackStartsAfreshAndJudgesNothingHalfSeen() throws {
        var f = try Feeder(site: Fixture.site(), lines: [Self.line()], epoch: FormulaTests.hour10)
        var state = (energy: 5_000.0, cathodeKg: 100_000.0)
        Self.run(&f, from: 0, to: 2 * 7_200 + 60, efficiency: { _ in 0.9 }, state: &state)
        #expect(Self.harvests(f).map(\.seq) == [1])
        // The PLC restarts and counts from 1: the cycle it cut, and the one under way after it (its start is
        // unknown), are not judged; the next full one is.
        for s in stride(from: 2 * 7_200 + 70, through: 4 * 7_200 + 60, by: 10) {
            let t = Double(s)
            state.energy += Self.amperes * 2.0 * 100 / 1000 / 360
            state.cathodeKg += 1_000 * Self.amperes * Self.spec.tonnesPerAmpereHour / 360 * 0.9
            f.sample(0, Self.amperes, at: t)
            f.sample(1, state.energy, at: t)
            f.sample(2, state.cathodeKg, at: t)
            f.sample(3, (t / 7_200).rounded(.down) - 1, at: t)
            if s % 60 == 0 { f.advance(to: t) }
        }
        let cycles = Self.harvests(f)
        #expect(cycles.map(\.seq) == [1, 2], "\(cycles.map(\.span.label))")
        #expect(close(cycles.last?.metric("ew_current_efficiency")?.value, 0.9, rel: 1e-6))
    }
}
