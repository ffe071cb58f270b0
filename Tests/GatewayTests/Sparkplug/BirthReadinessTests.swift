import Testing

@testable import Gateway

@Suite struct BirthReadinessTests {
    /// Feeds passes `(nowMono, everyMeterPolled, metricUpdates)` and returns on which pass (index) the births may go.
    static func readyPasses(_ passes: [(Int64, Bool, Int)], hasLines: Bool = true, limitNanos: Int64 = 30_000_000_000) -> [Int] {
        var readiness = BirthReadiness(startMono: 0, hasLines: hasLines, limitNanos: limitNanos)
        var ready: [Int] = []
        for (index, pass) in passes.enumerated() where readiness.passEnded(nowMono: pass.0, everyMeterPolled: pass.1, metricUpdates: pass.2) {
            ready.append(index)
        }
        return ready
    }

    @Test func aFreshStartWaitsForThePollsAndTheNextLiveEmission() {
        // The first pass emits the empty windows before any meter answered; the next emission is 5 s later.
        let passes: [(Int64, Bool, Int)] = [
            (250_000_000, false, 40), (500_000_000, true, 40), (750_000_000, true, 40), (5_250_000_000, true, 80), (5_500_000_000, true, 80),
        ]
        #expect(Self.readyPasses(passes) == [3], "ready once, on the emission after every meter was polled")
    }

    @Test func aReloadWithPollingMetersIsReadyOnTheEmissionAfterItsFirstPass() {
        // The first pass of a new engine emits at once, maybe before this pass's readings: the next emission counts.
        #expect(Self.readyPasses([(250_000_000, true, 40), (500_000_000, true, 40), (5_250_000_000, true, 80)]) == [2])
    }

    @Test func withoutLinesThePollsAreEnoughAndADeadPlantStillGetsBirths() {
        #expect(Self.readyPasses([(1, false, 0), (2, true, 0)], hasLines: false) == [1])
        #expect(Self.readyPasses([(29_000_000_000, false, 10), (30_000_000_000, false, 10)]) == [1])
    }
}
