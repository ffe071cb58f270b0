import Synchronization

/// Records when each long-running loop (bus poller, metric engine, publisher) last made progress, and
/// answers "is everything moving?" for ``WatchdogPacer``.
///
/// Loops call ``beat(_:)`` after each completed cycle. A loop that has not beaten for `stallAfter` makes
/// ``isHealthy()`` false. A loop that has never beaten is measured from the heartbeat's creation, which
/// gives slow first connections the same grace. Thread-safe and non-blocking.
public final class LoopHeartbeat: Sendable {
    private let stallAfter: Duration
    private let now: @Sendable () -> ContinuousClock.Instant
    private let lastBeat: Mutex<[String: ContinuousClock.Instant]>

    /// Creates a heartbeat that expects a beat from each of `loops` at least every `stallAfter`.
    ///
    /// - Parameter now: injected clock, so tests can move time without sleeping.
    public init(
        loops: [String],
        stallAfter: Duration,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) {
        self.stallAfter = stallAfter
        self.now = now
        let start = now()
        self.lastBeat = Mutex(Dictionary(loops.map { ($0, start) }, uniquingKeysWith: { first, _ in first }))
    }

    /// Records progress of `loop`; a loop not named at creation starts being watched from now on.
    public func beat(_ loop: String) {
        let instant = self.now()
        self.lastBeat.withLock { $0[loop] = instant }
    }

    /// The loops that have not beaten within `stallAfter`, sorted by name (for logs and `plantgate status`).
    public func stalledLoops() -> [String] {
        let instant = self.now()
        return self.lastBeat.withLock { beats in
            beats.filter { instant - $0.value > self.stallAfter }.map(\.key).sorted()
        }
    }

    /// `true` when every watched loop beat within `stallAfter`.
    public func isHealthy() -> Bool {
        self.stalledLoops().isEmpty
    }
}
