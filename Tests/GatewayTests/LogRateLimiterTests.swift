import Gateway
import Logging
import Testing

/// A meter alternating between two errors (a timeout, then a reset connection) is one condition.
@Suite struct LogRateLimiterAlternationTests {
    @Test func alternatingMessagesAreLoggedOnceEachThenSummarisedPerMessage() {
        let clock = StepClock()
        let limiter = LogRateLimiter(window: .seconds(60), now: { clock.now() })
        var logged: [LogRateLimiter.Line] = []
        for step in 0..<600 {   // 10 Hz for a minute
            logged += limiter.note(step % 2 == 0 ? "timeout" : "connection reset", key: "flow-2", level: .warning)
            clock.advance(by: .milliseconds(100))
        }
        #expect(logged.map(\.text) == ["timeout", "connection reset"])
        clock.advance(by: .milliseconds(100))   // the second message's window (it came 100 ms later) ends too
        let summaries = limiter.dueSummaries()
        #expect(summaries.map(\.text) == [
            "timeout (repeated 299 times in the last 60 s)", "connection reset (repeated 299 times in the last 60 s)",
        ])
        #expect(summaries.map(\.level) == [.warning, .warning])
        let cleared = limiter.clear(key: "flow-2")
        #expect(cleared.map(\.kind) == [.cleared])
        #expect(cleared.first?.text == "cleared: connection reset")
    }

    @Test func aMessageBeyondTheLastFewIsLoggedAgain() {
        let limiter = LogRateLimiter()
        let messages = ["a", "b", "c", "d", "e"]
        let first = messages.flatMap { limiter.note($0, key: "k") }
        #expect(first.map(\.kind) == Array(repeating: .occurrence, count: 5))
        // "a" was pushed out by the fifth distinct message; "e" is remembered.
        #expect(limiter.note("e", key: "k").isEmpty)
        #expect(limiter.note("a", key: "k").map(\.text) == ["e (repeated 1 time in the last 0 s)", "a"])
    }
}
