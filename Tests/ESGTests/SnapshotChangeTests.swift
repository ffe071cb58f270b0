import ESG
import PlantModel
import Testing

/// The daemon skips its periodic state save when the snapshot holds the same state as the one saved last
/// (`holdsSameState`): that must hold for an engine nothing happened to, and never for one that took a
/// reading.
@Suite struct SnapshotChangeTests {
    @Test func anEngineWithoutLinesGivesTheSameSnapshotUntilAPeriodTurns() throws {
        var f = try Feeder(site: Fixture.site(), lines: [], epoch: FormulaTests.hour10)
        f.advance(to: 1)
        let first = f.engine.snapshot(at: f.instant(1))
        f.advance(to: 300)
        #expect(f.engine.snapshot(at: f.instant(300)).holdsSameState(as: first))
        f.advance(to: 960)
        #expect(!f.engine.snapshot(at: f.instant(960)).holdsSameState(as: first), "the 15-min span moved on")
        #expect(!first.holdsSameState(as: nil), "nothing saved yet")
    }

    @Test func aReadingAlwaysChangesTheSnapshot() throws {
        var f = try Feeder(site: Fixture.site(), lines: [CounterTests.line()], epoch: FormulaTests.hour10)
        f.sample(0, 100, at: 1)
        f.advance(to: 1)
        let before = f.engine.snapshot(at: f.instant(1))
        // The same counter value again: the meter stood still, but the reading's time is state too.
        f.sample(0, 100, at: 2)
        #expect(!f.engine.snapshot(at: f.instant(2)).holdsSameState(as: before))
    }
}
