@testable import Gateway
import Testing

/// One engine wake-up per round of devices due together, never a sample held longer than 10 ms.
@Suite struct HeldSamplesTests {
    /// Feeds device cycles (start, end in ms) and then the thread's going to sleep; returns where it signalled.
    static func signals(_ cycles: [(start: Double, end: Double)]) -> (cycles: [Bool], atSleep: Bool) {
        var held = HeldSamples()
        let each = cycles.map { held.queued(startedAt: Int64($0.start * 1e6), now: Int64($0.end * 1e6)) }
        return (each, held.release())
    }

    @Test func aRoundOfFastDevicesSignalsOnceWhenTheThreadGoesToSleep() {
        // Five devices due at t = 0, each cycle 1.5 ms on a TCP link.
        let round = Self.signals((0..<5).map { (start: Double($0) * 1.5, end: Double($0 + 1) * 1.5) })
        #expect(round.cycles == [false, false, false, false, false], "a device signalled on its own")
        #expect(round.atSleep, "the round's samples are signalled before the thread sleeps")
        var held = HeldSamples()
        #expect(!{ held.release() }(), "nothing held, nothing signalled")
    }

    @Test func samplesWaitAtMostTenMillisecondsForTheRestOfTheRound() {
        // The third device ends 12 ms after the first started: the oldest samples have waited long enough.
        // The fourth starts a new hold from its own cycle's start, signalled when the thread sleeps.
        let round = Self.signals([(0, 4), (4, 9), (9, 12), (12, 14)])
        #expect(round.cycles == [false, false, true, false])
        #expect(round.atSleep)
        #expect(Self.signals([(0, 4), (4, 9), (9, 12)]).atSleep == false, "what was signalled is not signalled again")
    }

    @Test func aSlowSerialDeviceSignalsPerCycle() {
        // 9,600 baud: one device's cycle of a few requests takes 60 ms.
        let round = Self.signals([(0, 60), (60, 120), (120, 180)])
        #expect(round.cycles == [true, true, true])
        #expect(!round.atSleep)
    }
}
