@testable import Gateway
import Testing

/// The bus poller's availability and reconnect decisions on a manual clock.
@Suite("DeviceAvailability decisions")
struct DeviceAvailabilityTests {
    static let second: Int64 = 1_000_000_000

    @Test("soft errors: down only after soft_errors failed cycles in a row, up again on one good reply")
    func softErrors() {
        var device = DeviceAvailability(softErrors: 3, intervalNanos: Self.second)
        #expect(device.cycleEnded(anyGood: true, anyFailed: false, othersUp: true, now: 0).pace == .recover)
        #expect(device.up)
        for cycle in 1...2 {
            device.failed(at: Int64(cycle) * Self.second)
            let verdict = device.cycleEnded(anyGood: false, anyFailed: true, othersUp: true, now: Int64(cycle) * Self.second)
            #expect(device.up, "still up after \(cycle) failed cycles")
            #expect(!verdict.wentDown)
            #expect(verdict.pace == .keep)
        }
        device.failed(at: 3 * Self.second)
        let down = device.cycleEnded(anyGood: false, anyFailed: true, othersUp: true, now: 3 * Self.second)
        #expect(!device.up)
        #expect(down.wentDown)
        #expect(down.pace == .backOff)
        #expect(device.retries(configured: 2) == 0)
        let back = device.cycleEnded(anyGood: true, anyFailed: false, othersUp: true, now: 4 * Self.second)
        #expect(device.up)
        #expect(back.recovered)
        #expect(back.pace == .recover)
        #expect(device.retries(configured: 2) == 2)
    }

    @Test("a device down with nobody else up on its bus keeps its cadence")
    func aloneKeepsCadence() {
        var device = DeviceAvailability(softErrors: 1, intervalNanos: Self.second)
        device.failed(at: 0)
        #expect(device.cycleEnded(anyGood: false, anyFailed: true, othersUp: false, now: 0).pace == .recover)
        device.failed(at: Self.second)
        #expect(device.cycleEnded(anyGood: false, anyFailed: true, othersUp: true, now: Self.second).pace == .backOff)
    }

    @Test("a flapping device's recovery is announced only after it has been quiet for 30 s")
    func flappingRecovery() {
        var device = DeviceAvailability(softErrors: 1, intervalNanos: Self.second)
        _ = device.cycleEnded(anyGood: true, anyFailed: false, othersUp: false, now: 0)
        device.failed(at: 1 * Self.second)
        _ = device.cycleEnded(anyGood: false, anyFailed: true, othersUp: false, now: 1 * Self.second)
        #expect(device.cycleEnded(anyGood: true, anyFailed: false, othersUp: false, now: 2 * Self.second).recovered)
        device.failed(at: 10 * Self.second)
        _ = device.cycleEnded(anyGood: false, anyFailed: true, othersUp: false, now: 10 * Self.second)
        #expect(!device.cycleEnded(anyGood: true, anyFailed: false, othersUp: false, now: 11 * Self.second).recovered)
        #expect(!device.cycleEnded(anyGood: true, anyFailed: false, othersUp: false, now: 40 * Self.second - 1).recovered)
        #expect(device.cycleEnded(anyGood: true, anyFailed: false, othersUp: false, now: 40 * Self.second).recovered)
    }

    @Test("reconnect back-off doubles from 0.5 s to 30 s, each wait jittered between half and all of it")
    func reconnectBackoff() {
        var random = SplitMix64(seed: 7)
        var backoff = ReconnectBackoff()
        #expect(backoff.mayAttempt(at: 0))
        var now: Int64 = 0
        var waits: [Int64] = []
        for _ in 0..<10 {
            let wait = backoff.wait
            backoff.failed(at: now, using: &random)
            let delay = backoff.nextAttempt - now
            #expect(delay >= wait / 2 && delay <= wait, "delay \(delay) for a wait of \(wait)")
            #expect(!backoff.mayAttempt(at: backoff.nextAttempt - 1))
            #expect(backoff.mayAttempt(at: backoff.nextAttempt))
            waits.append(wait)
            now = backoff.nextAttempt
        }
        #expect(Array(waits.prefix(7)) == [500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000].map { Int64($0) * 1_000_000 })
        #expect(waits.last == ReconnectBackoff.cap)
        backoff.succeeded()
        #expect(backoff.wait == ReconnectBackoff.initial)
        #expect(backoff.mayAttempt(at: now))
    }

    @Test("the jitter comes from the random source it is given: two gateways do not retry in step")
    func jitterFromTheSource() {
        var first = ReconnectBackoff(), second = ReconnectBackoff()
        var randomA = SplitMix64(seed: 1), randomB = SplitMix64(seed: 2), again = SplitMix64(seed: 1)
        var replay = ReconnectBackoff()
        first.failed(at: 0, using: &randomA)
        second.failed(at: 0, using: &randomB)
        replay.failed(at: 0, using: &again)
        #expect(first.nextAttempt != second.nextAttempt)
        #expect(first.nextAttempt == replay.nextAttempt)
    }
}

extension SplitMix64: RandomNumberGenerator {}
