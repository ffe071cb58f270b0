import ESG
import PlantModel
import Testing

/// `nextDueWallNanos` is what lets the daemon's engine thread sleep until work is due: advancing to any
/// moment before it hands out nothing, advancing to it hands out something.
@Suite struct NextDueTests {
    @Test func nothingComesBeforeTheDueTimeAndSomethingComesAtIt() throws {
        var rng = SeededGenerator(state: 7)
        let settings = EngineSettings(liveIntervalNanos: 5_000_000_000)
        // Three minutes before an hour: live hand-outs, then 15-min, hour and demand-block closes.
        var f = try Feeder(site: Fixture.site(), lines: [CounterTests.line()], settings: settings, epoch: FormulaTests.hour10 - 180)
        f.advance(to: 0)
        var now = 0.0
        var dueCount = 0
        var closes = 0
        while now < 1800 {
            let due = Double(f.engine.nextDueWallNanos(now: f.instant(now)) - f.epochNanos) / 1e9
            #expect(due > now, "work left undone at \(now) s")
            let before = (f.records.count, f.live.count)
            let early = now + (due - now) * Double.random(in: 0..<1, using: &rng)
            f.sample(0, 2000 * early / 3600, at: early)
            f.advance(to: early)
            #expect(f.records.count == before.0 && f.live.count == before.1, "advancing to \(early) s, before the due \(due) s, handed out something")
            f.advance(to: due)
            #expect(f.records.count + f.live.count > before.0 + before.1, "nothing handed out at the due time \(due) s")
            closes += f.records.count - before.0
            dueCount += 1
            now = due
        }
        #expect(dueCount >= 300 && closes >= 3, "\(dueCount) due times, \(closes) records")
    }

    @Test func anEngineWithoutLinesIsDueOnlyForItsCalendar() throws {
        var f = try Feeder(site: Fixture.site(), lines: [], epoch: FormulaTests.hour10)
        f.advance(to: 1)
        let due = f.engine.nextDueWallNanos(now: f.instant(1))
        // The demand block and the 15-min period end at 10:15 (plus their close delay); no live values.
        #expect(due >= f.epochNanos + 900_000_000_000 && due < f.epochNanos + 960_000_000_000, "\(Double(due - f.epochNanos) / 1e9) s")
    }
}
