/// When a device is next due, on absolute monotonic deadlines: after N intervals exactly N cycles have
/// started or been counted as overruns, whatever each cycle took. Pure; driven by the poller's clock.
public struct DeviceSchedule: Sendable, Hashable {
    public let intervalNanos: Int64
    /// The deadline of the next cycle (monotonic ns).
    public private(set) var nextDeadline: Int64
    /// Cycles started or skipped since start; selects the slower groups' turns.
    public private(set) var tick = 0
    /// Cycles skipped because a cycle ran past the next deadline.
    public private(set) var overruns = 0
    /// While a device is down it is polled every `backoff`-th cycle (1, 2, 4 … 8).
    public private(set) var backoff = 1

    public init(intervalNanos: Int64, firstDeadline: Int64) {
        self.intervalNanos = max(1, intervalNanos)
        self.nextDeadline = firstDeadline
    }

    /// Moves to the next deadline after a cycle that ended at `now`; never piles work up.
    ///
    /// A cycle that ran past the next deadline skips it (an overrun), unless `startLate`: then the latest
    /// passed deadline starts at once, late, and only the ones before it are skipped. The poller asks for
    /// that after a failed cycle, so the check that confirms a dead device does not wait a whole interval.
    public mutating func advance(now: Int64, startLate: Bool = false) {
        let step = Int64(backoff)
        tick += backoff
        nextDeadline += intervalNanos * step
        if nextDeadline <= now {
            let missed = (now - nextDeadline) / intervalNanos + (startLate ? 0 : 1)
            overruns += Int(missed)
            tick += Int(missed)
            nextDeadline += missed * intervalNanos
        }
    }

    /// A cycle failed completely: poll less often (up to every 8th cycle) so one dead device cannot
    /// eat a shared bus's time.
    public mutating func backOff() { backoff = min(8, backoff * 2) }

    /// A good reply: back to every cycle.
    public mutating func recover() { backoff = 1 }
}
