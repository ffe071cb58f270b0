/// Whether a device is up, and what its bus should do about it: the poller's availability decisions,
/// without I/O. The bus thread feeds it each cycle's outcome and the real monotonic time; it answers
/// with the schedule change and the log lines the cycle calls for.
///
/// - Soft errors: a device goes down only after `softErrors` failed cycles in a row, and comes up again
///   only on a real good reply.
/// - A device down while others on its bus are up is backed off (see `DeviceSchedule.backOff`), so it
///   cannot eat their time; with nobody to protect it keeps its cadence, so it is seen again within one
///   poll of answering.
/// - Recovery of a flapping device (it recovered less than a minute ago) is announced only once it has
///   been quiet for three intervals (at least 30 s), so it stays one summarised condition in the log.
struct DeviceAvailability: Sendable, Hashable {
    /// What one cycle's verdict asks of the poller.
    struct Verdict: Sendable, Hashable {
        enum Pace: Sendable, Hashable { case keep, recover, backOff }
        var pace: Pace = .keep
        /// The device just went down: log it once.
        var wentDown = false
        /// The device answers again after a logged failure: say so.
        var recovered = false
    }

    /// Failed cycles in a row before the device counts as down (at least 1).
    let softErrors: Int
    let intervalNanos: Int64
    private(set) var up = false
    private(set) var consecutiveFailures = 0
    /// A failure was logged and its recovery not yet.
    private(set) var failing = false
    private(set) var lastFailure: Int64 = 0
    /// When the recovery was last announced (0: never), to tell a flapping device.
    private(set) var lastRecovery: Int64 = 0

    init(softErrors: Int, intervalNanos: Int64) {
        self.softErrors = max(1, softErrors)
        self.intervalNanos = intervalNanos
    }

    /// Retries a failed request may spend: only a device that is up gets them, so a dead meter costs its
    /// bus one response timeout per probe.
    func retries(configured: Int) -> Int { up ? configured : 0 }

    /// A request failed at `now` (real monotonic ns).
    mutating func failed(at now: Int64) {
        failing = true
        lastFailure = now
    }

    /// The cycle ended at `now`: `anyGood` if a request was answered (or none was due), `anyFailed` if one
    /// failed; `othersUp` whether another device on the bus is up.
    mutating func cycleEnded(anyGood: Bool, anyFailed: Bool, othersUp: Bool, now: Int64) -> Verdict {
        let wasUp = up
        if anyGood {
            consecutiveFailures = 0
            up = true
        } else {
            consecutiveFailures += 1
            if consecutiveFailures >= softErrors { up = false }
        }
        var verdict = Verdict()
        if anyGood {
            verdict.pace = .recover
            if !anyFailed { verdict.recovered = announceRecoveryIfQuiet(now: now) }
        } else if !up {
            verdict.pace = othersUp ? .backOff : .recover
        }
        if wasUp && !up {
            failing = true
            verdict.wentDown = true
        }
        return verdict
    }

    private mutating func announceRecoveryIfQuiet(now: Int64) -> Bool {
        guard failing else { return false }
        let flapping = lastRecovery != 0 && now - lastRecovery < 60_000_000_000
        guard !flapping || now - lastFailure >= max(3 * intervalNanos, 30_000_000_000) else { return false }
        failing = false
        lastRecovery = now
        return true
    }
}
