import Glibc

/// Real-time scheduling for bus threads, so a poll starts on its deadline even while the publisher and
/// the broker keep both cores busy (daemon at 10,000 msg/s on 2 cores: jitter p99 8.9 ms → 0.34–1.2 ms).
///
/// A bus thread sleeps until its deadline and then blocks on the link, so `SCHED_FIFO` costs the rest of
/// the machine nothing but the wake-up it would have waited for. The priority stays low (kernel
/// interrupt threads run at 50) and the kernel's real-time throttling keeps 5 % of each core for others.
/// The thread goes only as high as `RLIMIT_RTPRIO` (`LimitRTPRIO=` in the realtime.conf drop-in); the
/// hardened unit alone forbids it (`RestrictRealtime=yes`), and the thread then keeps normal scheduling:
/// the poll loop works exactly as before, only with more jitter.
public enum RealtimeScheduling {
    /// The `SCHED_FIFO` priority bus threads ask for.
    public static let busPriority: Int32 = 10

    /// The outcome for the calling thread.
    public enum Outcome: Sendable, Hashable {
        case realtime(priority: Int32)
        case normal(reason: String)
    }

    /// Moves the calling thread to `SCHED_FIFO` at `priority`, or lower if `RLIMIT_RTPRIO` is lower. Only
    /// an explicit grant counts: with the limit at 0 the thread stays normal even as root, so a daemon
    /// run by hand or in a container does not take real-time priority nobody asked for.
    public static func elevateCurrentThread(to priority: Int32 = busPriority) -> Outcome {
        let limit = rtprioLimit()
        let granted = Int32(clamping: min(limit, UInt64(priority)))
        guard granted >= 1 else { return .normal(reason: "RLIMIT_RTPRIO is 0 (LimitRTPRIO not set)") }
        var parameters = sched_param(sched_priority: granted)
        let result = pthread_setschedparam(pthread_self(), SCHED_FIFO, &parameters)
        guard result == 0 else { return .normal(reason: "SCHED_FIFO refused (error \(result)) although RLIMIT_RTPRIO is \(limit)") }
        return .realtime(priority: granted)
    }

    /// Raises this process's `RLIMIT_RTPRIO` to `priority`, as `LimitRTPRIO=` does for the service (root
    /// only; benchmarks and tests). Returns the previous limit to restore, nil if it could not.
    public static func grantProcess(_ priority: Int32 = busPriority) -> rlimit? {
        var previous = rlimit()
        guard getrlimit(__rlimit_resource_t(__RLIMIT_RTPRIO.rawValue), &previous) == 0 else { return nil }
        var raised = rlimit(rlim_cur: rlim_t(priority), rlim_max: max(previous.rlim_max, rlim_t(priority)))
        guard setrlimit(__rlimit_resource_t(__RLIMIT_RTPRIO.rawValue), &raised) == 0 else { return nil }
        return previous
    }

    /// Puts back a limit `grantProcess` replaced.
    public static func restoreProcess(_ limit: rlimit) {
        var limit = limit
        _ = setrlimit(__rlimit_resource_t(__RLIMIT_RTPRIO.rawValue), &limit)
    }

    /// The soft `RLIMIT_RTPRIO`; "unlimited" (all ones) compares above every priority.
    private static func rtprioLimit() -> UInt64 {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(__RLIMIT_RTPRIO.rawValue), &limit) == 0 else { return 0 }
        return UInt64(limit.rlim_cur)
    }
}
