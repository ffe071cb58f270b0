/// When a bus may try to connect again after a failed attempt: 0.5 s doubling to 30 s, each wait
/// jittered to between half and all of it, so gateways that lost one switch do not return in step.
/// Pure: time and the random source come in.
struct ReconnectBackoff: Sendable, Hashable {
    static let initial: Int64 = 500_000_000
    static let cap: Int64 = 30_000_000_000

    /// Monotonic ns before which no attempt is made.
    private(set) var nextAttempt: Int64 = 0
    /// The un-jittered wait after the next failure.
    private(set) var wait = initial

    /// Whether an attempt is due at `now`.
    func mayAttempt(at now: Int64) -> Bool { now >= nextAttempt }

    /// The attempt at `now` failed: the next one waits `wait` jittered, and `wait` doubles up to the cap.
    mutating func failed(at now: Int64, using random: inout some RandomNumberGenerator) {
        nextAttempt = now + wait / 2 + Int64.random(in: 0...max(1, wait / 2), using: &random)
        wait = min(Self.cap, wait * 2)
    }

    /// Connected: the next loss starts from the shortest wait again.
    mutating func succeeded() {
        wait = Self.initial
        nextAttempt = 0
    }
}
