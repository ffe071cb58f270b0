import ESG
import PlantModel
import Testing

/// The §5.1 counter algorithm, alone and through the engine.
@Suite struct CounterTests {
    static func step(_ c0: Double, _ c1: Double, rate: Double = 3600, seconds: Double = 1, modulus: Double = 0) -> CounterState.Step {
        var s = CounterState()
        s.hasLast = true
        s.last = c0
        return s.step(to: c1, seconds: seconds, maxRatePerHour: rate, modulus: modulus, margin: 0.1, jitterRelative: 1e-6)
    }

    @Test(arguments: [65_536.0, 4_294_967_296.0, 18_446_744_073_709_551_616.0])
    func rolloverAtModulus(modulus: Double) {
        let u = modulus / 1_048_576
        let s = Self.step(modulus - 3 * u, 2 * u, rate: 3600 * 10 * u, modulus: modulus)
        #expect(s.reasons == .rollover && s.accepted)
        #expect(close(s.delta, 5 * u, rel: 1e-9))
    }

    @Test func resetCountsSinceReset() {
        let s = Self.step(50_000, 0.4)
        #expect(s.reasons == .reset && s.delta == 0.4 && s.accepted)
    }

    @Test func implausibleStepIsAJumpNeverASpike() {
        let s = Self.step(1000, 1000 + 4_000_000)
        #expect(s.reasons == .jump && s.delta == 0 && !s.accepted)
    }

    @Test func backwardsBeyondJitterIsBad() {
        let s = Self.step(50_000, 40_000)
        #expect(s.reasons == .backwards && s.delta == 0 && !s.accepted)
    }

    @Test func floatJitterOnAStandingCounterIsZero() {
        let s = Self.step(16_777_216, 16_777_216 - 2)
        #expect(s.reasons.isEmpty && s.delta == 0 && s.accepted)
    }

    /// One import counter (kWh) at up to 3600 kWh/h, in a UTC hour starting at `hour10`.
    static func line(modulus: Double? = nil, marker: TagIndex? = nil) -> LineDefinition {
        LineDefinition(id: "l", name: "l", product: ProductBasis(name: "t", lceFactor: nil, minimumTonnes: 1), inputs: [
            Fixture.counter(0, "pm/energy_import", .electricityImport, rate: 3600, modulus: modulus, marker: marker)])
    }

    static func hourRecord(_ values: [(Double, Double?)], modulus: Double? = nil) throws -> PeriodRecord {
        var f = try Feeder(site: Fixture.site(), lines: [line(modulus: modulus)], epoch: FormulaTests.hour10)
        for (t, v) in values { f.sample(0, v ?? .nan, at: t, quality: v == nil ? .bad : .good, reason: v == nil ? .notANumber : .none) }
        f.advance(to: 3610)
        return try #require(f.record(.hour, startingAt: 0))
    }

    @Test func engineCountsResetAndMarksItUncertain() throws {
        let r = try Self.hourRecord([(0, 100), (1, 101), (2, 102), (3, 0.5), (4, 1.5)])
        let m = try #require(r.metric("electricity_import_kwh"))
        #expect(close(m.value, 2 + 0.5 + 1, rel: 1e-12) && m.quality != .good && r.reasons.contains(.reset))
    }

    @Test func engineDropsJumpAndBackwardsAndRebases() throws {
        let r = try Self.hourRecord([(0, 100), (1, 101), (2, 5_000_000), (3, 5_000_001), (4, 4_000_000), (5, 4_000_001)])
        let m = try #require(r.metric("electricity_import_kwh"))
        #expect(close(m.value, 3, rel: 1e-12))
        #expect(r.reasons.contains(.jump) && r.reasons.contains(.backwards))
    }

    @Test func nanAndNegativeReadingsAreNeverIntegrated() throws {
        let r = try Self.hourRecord([(0, 100), (1, nil), (2, -50), (3, 103), (4, 104)])
        let m = try #require(r.metric("electricity_import_kwh"))
        #expect(close(m.value, 4, rel: 1e-12))
        #expect(r.reasons.contains(.notANumber) && r.reasons.contains(.outOfRange))
    }

    @Test func engineRollsOverAt16Bits() throws {
        let r = try Self.hourRecord([(0, 65_534), (1, 65_535), (2, 0.5), (3, 1.5)], modulus: 65_536)
        #expect(close(r.metric("electricity_import_kwh")?.value, 3.5, rel: 1e-12) && r.reasons.contains(.rollover))
    }

    @Test func resetMarkerRevealsResetWithGrowthPastOldValue() throws {
        var f = try Feeder(site: Fixture.site(), lines: [Self.line(marker: 9)], epoch: FormulaTests.hour10)
        f.sample(9, 1, at: 0)
        f.sample(0, 0.2, at: 0)
        f.sample(0, 0.4, at: 60)
        f.sample(9, 2, at: 119)  // energies reset; counter since grew to 0.5 > old 0.4
        f.sample(0, 0.5, at: 120)
        f.advance(to: 3610)
        let r = try #require(f.record(.hour, startingAt: 0))
        #expect(close(r.metric("electricity_import_kwh")?.value, 0.2 + 0.5, rel: 1e-12) && r.reasons.contains(.reset))
    }
}
