import Glibc
import PlantModel

/// Both clocks the gateway needs: monotonic for deadlines and durations, wall for labels.
public enum SystemClock {
    /// The current instant on both clocks.
    @inline(__always)
    public static func now() -> Instant {
        var mono = timespec()
        var wall = timespec()
        clock_gettime(CLOCK_MONOTONIC, &mono)
        clock_gettime(CLOCK_REALTIME, &wall)
        return Instant(wallNanos: Int64(wall.tv_sec) * 1_000_000_000 + Int64(wall.tv_nsec),
                       monoNanos: Int64(mono.tv_sec) * 1_000_000_000 + Int64(mono.tv_nsec))
    }

    /// Monotonic nanoseconds.
    @inline(__always)
    public static func monotonicNanos() -> Int64 {
        var mono = timespec()
        clock_gettime(CLOCK_MONOTONIC, &mono)
        return Int64(mono.tv_sec) * 1_000_000_000 + Int64(mono.tv_nsec)
    }

    /// Sleeps until an absolute monotonic deadline (`clock_nanosleep` with `TIMER_ABSTIME`: no drift
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
