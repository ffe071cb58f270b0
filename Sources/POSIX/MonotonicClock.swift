import Glibc

/// `CLOCK_MONOTONIC`: the clock that never jumps, the one systemd compares `MONOTONIC_USEC=` with.
public enum MonotonicClock {
    /// Now in microseconds.
    public static func microseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
    }

    /// Now in milliseconds.
    public static func milliseconds() -> UInt64 { microseconds() / 1_000 }
}
