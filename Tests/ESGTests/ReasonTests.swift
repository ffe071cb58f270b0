import ESG
import Foundation
import PlantModel
import Testing

/// Each reason code appears for its own cause and for nothing else: one scenario per code, and the
/// record's reasons must be exactly that code.
@Suite struct ReasonTests {
    static let line = CounterTests.line(modulus: 1000)

    /// A counter at 0.5 kWh/s read every second for `seconds`, from `start`, with `change` applied at 30 s.
    static func hour(_ change: (inout Feeder, Double) -> Bool = { _, _ in false }, line: LineDefinition = line) throws -> PeriodRecord {
        var f = try Feeder(site: Fixture.site(), lines: [line], epoch: FormulaTests.hour10)
        var value = 100.0
        for s in 0...120 {
            let t = Double(s)
            if !change(&f, t) { f.sample(0, value, at: t) }
            value += 0.5
        }
        f.advance(to: 3610)
        return try #require(f.record(.hour, startingAt: 0))
    }

    @Test func healthyCounterHasNoReason() throws {
        #expect(try Self.hour().reasons.isEmpty)
    }

    /// A failed read leaves its own code, and never NAN: the value of a failed read is NaN, but the meter returned none.
    @Test(arguments: [
        (SampleReason.timeout, "TIMEOUT"), (.exception, "EXCEPTION"), (.connection, "CONNECTION"), (.garbled, "GARBLED"),
        (.deviceDown, "DEVICE_DOWN"), (.decodeFailure, "DECODE_FAILURE"), (.outOfRange, "OUT_OF_RANGE"), (.notANumber, "NAN"),
    ])
    func failedReadLeavesOnlyItsOwnCode(reason: SampleReason, code: String) throws {
        let record = try Self.hour { f, t in
            guard t == 30 else { return false }
            f.sample(0, .nan, at: t, quality: .bad, reason: reason)
            return true
        }
        #expect(record.reasons.codes == [code])
        #expect(record.metric("electricity_import_kwh")?.reasons.codes == [code])
    }

    @Test func staleReadingSaysStale() throws {
        let record = try Self.hour { f, t in
            guard t == 30 else { return false }
            f.sample(0, 100 + 0.5 * t, at: t, quality: .uncertain, reason: .stale)
            return true
        }
        #expect(record.reasons.codes == ["STALE"])
    }

    @Test func negativeCounterIsOutOfRange() throws {
        let record = try Self.hour { f, t in
            guard t == 30 else { return false }
            f.sample(0, -5, at: t)
            return true
        }
        #expect(record.reasons.codes == ["OUT_OF_RANGE"])
    }

    @Test func counterEvents() throws {
        let wrapping = try Self.hour { f, t in
            f.sample(0, (990 + 0.5 * t).truncatingRemainder(dividingBy: 1000), at: t)   // wraps at 20 s
            return true
        }
        #expect(wrapping.reasons.codes == ["ROLLOVER"])
        let reset = try Self.hour { f, t in
            guard t >= 30 else { return false }
            f.sample(0, 0.5 * (t - 29), at: t)
            return true
        }
        #expect(reset.reasons.codes == ["RESET"])
        // A meter replaced without a marker by one reading far ahead, or behind: that step is dropped.
        let jump = try Self.hour { f, t in
            guard t >= 30 else { return false }
            f.sample(0, 900 + 0.5 * (t - 30), at: t)
            return true
        }
        #expect(jump.reasons.codes == ["JUMP"])
        let backwards = try Self.hour { f, t in
            guard t >= 30 else { return false }
            f.sample(0, 50 + 0.5 * (t - 30), at: t)
            return true
        }
        #expect(backwards.reasons.codes == ["BACKWARDS"])
        // One reading out of line: its step is dropped (JUMP) and the engine rebases on it (§5.1), so
        // the next good reading is a step back (BACKWARDS), also dropped; nothing else.
        let spike = try Self.hour { f, t in
            guard t == 30 else { return false }
            f.sample(0, 900, at: t)
            return true
        }
        #expect(spike.reasons.codes == ["JUMP", "BACKWARDS"])
    }

    @Test func powerBridgedOverAFewMissedPollsIsGapFilled() throws {
        let line = LineDefinition(id: "p", name: "p", product: ProductBasis(name: "t", lceFactor: nil, minimumTonnes: 1),
                                  inputs: [LineInput(tag: 0, tagPath: "pm/power", role: .activePower)])
        let record = try Self.hour({ f, t in
            guard t >= 30 && t < 35 else { f.sample(0, 500, at: t); return true }
            return true   // five polls missed: bridged (≤ 10 s), filled
        }, line: line)
        #expect(record.reasons.codes == ["GAP_FILLED"])
    }

    @Test func wallClockStepSaysClockStep() throws {
        var f = try Feeder(site: Fixture.site(), lines: [Self.line], epoch: FormulaTests.hour10)
        for s in 0...60 {
            let t = Double(s)
            var time = f.instant(t)
            if s >= 30 { time.wallNanos += 5_000_000_000 }   // NTP stepped the wall clock 5 s ahead
            f.engine.ingest(Sample(tag: 0, value: 100 + 0.5 * t, quality: .good, time: time))
        }
        f.advance(to: 3610)
        #expect(try #require(f.record(.hour, startingAt: 0)).reasons.codes == ["CLOCK_STEP"])
    }

    @Test func restoreAfterAStopSaysRestart() throws {
        var before = try Feeder(site: Fixture.site(), lines: [Self.line], epoch: FormulaTests.hour10)
        for s in 0...30 { before.sample(0, 100 + 0.5 * Double(s), at: Double(s)) }
        var after = try Feeder(site: Fixture.site(), lines: [Self.line], epoch: FormulaTests.hour10)
        after.monoBase = 7_000_000_000
        try after.engine.restore(from: before.engine.snapshot(at: before.instant(30)))
        for s in 40...60 { after.sample(0, 100 + 0.5 * Double(s), at: Double(s)) }
        after.advance(to: 3610)
        #expect(try #require(after.record(.hour, startingAt: 0)).reasons.codes == ["RESTART"])
    }

    @Test func gasWithoutAFactorSaysMissingFactor() throws {
        let line = LineDefinition(id: "g", name: "g", product: ProductBasis(name: "t", lceFactor: nil, minimumTonnes: 1), inputs: [
            LineInput(tag: 0, tagPath: "gas/volume", role: .gasVolume,
                      counter: CounterSpec(modulus: nil, maxRatePerHour: 3600), fuel: FuelSpec(fuel: "biogas", ncvMJPerNm3: 20)),
        ])
        let record = try Self.hour(line: line)
        #expect(record.reasons.isEmpty)
        #expect(record.metric("scope1_combustion_tco2e")?.reasons.codes == ["MISSING_FACTOR"])
        #expect(record.metric("gas_volume_nm3")?.reasons.isEmpty == true)
    }
}
