import Glibc
import PlantModel

/// The real clocks: `now()`, `monotonicNanos()` and `sleep(untilMonotonicNanos:)` for deadlines, sleeping,
/// the watchdog, uptime and measuring how long work took; polling cadence lives here. The **plant** clock
/// that samples are stamped with is a separate value, `PlantClock`, passed to the parts that need it.
public enum SystemClock {
    /// The environment variable that turns on the simulated plant clock (read once, by `plantgated`'s main).
    public static let simulationVariable = "PLANTGATE_SIMULATED_CLOCK"

    /// The current instant on both real clocks.
    @inline(__always)
    public static func now() -> Instant {
        var mono = timespec()
        var wall = timespec()
        clock_gettime(CLOCK_MONOTONIC, &mono)
        clock_gettime(CLOCK_REALTIME, &wall)
        return Instant(wallNanos: Int64(wall.tv_sec) * 1_000_000_000 + Int64(wall.tv_nsec),
                       monoNanos: Int64(mono.tv_sec) * 1_000_000_000 + Int64(mono.tv_nsec))
    }

    /// Real monotonic nanoseconds.
    @inline(__always)
    public static func monotonicNanos() -> Int64 {
        var mono = timespec()
        clock_gettime(CLOCK_MONOTONIC, &mono)
        return Int64(mono.tv_sec) * 1_000_000_000 + Int64(mono.tv_nsec)
    }

    /// Sleeps until an absolute real monotonic deadline (`clock_nanosleep` with `TIMER_ABSTIME`: no drift
    /// accumulates however long the work before it took).
    public static func sleep(untilMonotonicNanos deadline: Int64) {
        var target = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
        while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &target, nil) == EINTR {}
    }
}

extension Duration {
    /// Whole nanoseconds.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
