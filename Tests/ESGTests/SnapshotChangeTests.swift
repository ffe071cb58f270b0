import ESG
import PlantModel
import Testing

/// The daemon skips its periodic state save when the snapshot, its time aside, equals the one saved last:
/// that must hold for an engine nothing happened to, and never for one that took a reading.
@Suite struct SnapshotChangeTests {
    private func untimed(_ snapshot: EngineSnapshot) -> EngineSnapshot {
        var copy = snapshot
        copy.takenAt = Instant(wallNanos: 0, monoNanos: 0)
        return copy
    }

    @Test func anEngineWithoutLinesGivesTheSameSnapshotUntilAPeriodTurns() throws {
        var f = try Feeder(site: Fixture.site(), lines: [], epoch: FormulaTests.hour10)
        f.advance(to: 1)
        let first = f.engine.snapshot(at: f.instant(1))
        f.advance(to: 300)
        #expect(untimed(f.engine.snapshot(at: f.instant(300))) == untimed(first))
        f.advance(to: 960)
        #expect(untimed(f.engine.snapshot(at: f.instant(960))) != untimed(first), "the 15-min span moved on")
    }

    @Test func aReadingAlwaysChangesTheSnapshot() throws {
        var f = try Feeder(site: Fixture.site(), lines: [CounterTests.line()], epoch: FormulaTests.hour10)
        f.sample(0, 100, at: 1)
        f.advance(to: 1)
        let before = untimed(f.engine.snapshot(at: f.instant(1)))
        // The same counter value again: the meter stood still, but the reading's time is state too.
        f.sample(0, 100, at: 2)
        #expect(untimed(f.engine.snapshot(at: f.instant(2))) != before)
    }
}
