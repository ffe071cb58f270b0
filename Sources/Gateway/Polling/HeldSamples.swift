/// When a bus thread wakes the engine for the samples it queued: once per round of devices due together
/// (all of a bus's devices share their first deadline), when the thread is about to sleep, rather than
/// after every device. On the example lithium plant that is 2 engine wake-ups a second instead of 7, and
/// fewer publisher wake-ups with them. Samples never wait longer than `maximumHoldNanos` for the rest of a
/// round: the poller asks after every request, so on a slow serial bus, where one request takes longer
/// than that, each request's values go to the engine as soon as they are read, not at the end of the
/// device's cycle. A decision without I/O: the poller signals the queue when it answers true.
struct HeldSamples {
    /// Longer than a round of devices on a TCP link or a fast serial one, short next to a poll interval.
    static let maximumHoldNanos: Int64 = 10_000_000

    /// When the oldest samples not yet signalled were taken (the start of their request or device cycle).
    private var since: Int64?

    /// A request, or a device's whole cycle, that started at `start` queued its samples; true: signal now,
    /// the oldest held ones have waited long enough.
    mutating func queued(startedAt start: Int64, now: Int64) -> Bool {
        let oldest = since ?? start
        since = oldest
        return now - oldest >= Self.maximumHoldNanos && release()
    }

    /// Samples queued at `now` without a request (reported bad or refused without asking the device).
    mutating func queued(at now: Int64) -> Bool { queued(startedAt: now, now: now) }

    /// The thread is about to sleep, freeze or stop; true: signal what is held.
    mutating func release() -> Bool {
        defer { since = nil }
        return since != nil
    }
}
