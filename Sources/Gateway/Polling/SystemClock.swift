import Glibc
import PlantModel

/// The clocks the gateway needs, kept apart on purpose:
/// - the **real** clocks (`now()`, `monotonicNanos()`, `sleep(untilMonotonicNanos:)`) for deadlines,
///   sleeping, the watchdog, uptime and measuring how long work took — polling cadence lives here;
/// - the **plant** clock (`plantNow()`, `plantTime(of:)`) that samples are stamped with and calendar
///   periods are cut by. It is the real clock, unless `PLANTGATE_SIMULATED_CLOCK` asks for a simulated
///   one that runs K times faster (see `SimulatedClock`), read once per process.
public enum SystemClock {
    /// The environment variable that turns on the simulated plant clock.
    public static let simulationVariable = "PLANTGATE_SIMULATED_CLOCK"

    /// The simulated plant clock, or the reason the variable could not be used; `.success(nil)` when unset.
    /// Read once, at first use (the daemon touches it at start).
    public static let simulationSetting: Result<SimulatedClock?, SimulatedClockError> = {
        guard let raw = getenv(simulationVariable) else { return .success(nil) }
        let text = String(cString: raw)
        if text.isEmpty { return .success(nil) }
        do throws(SimulatedClockError) {
            return .success(try SimulatedClock.parse(text, real: now()))
        } catch {
            return .failure(error)
        }
    }()

    /// The simulated plant clock in force, if any (nil when unset or unusable).
    public static let simulation: SimulatedClock? = {
        if case .success(let clock) = simulationSetting { return clock }
        return nil
    }()

    /// Plant seconds per real second: 1 unless simulated.
    public static var plantSpeed: Double { simulation?.speed ?? 1 }

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

    /// The current instant on the plant clock: what a sample read now is stamped with.
    @inline(__always)
    public static func plantNow() -> Instant { plantTime(of: now()) }

    /// The plant instant at a real instant (the same instant unless the plant clock is simulated).
    @inline(__always)
    public static func plantTime(of real: Instant) -> Instant {
        guard let simulation else { return real }
        return simulation.plantTime(of: real)
    }

    /// A real duration in plant nanoseconds (the same unless simulated).
    public static func plantNanos(real nanos: Int64) -> Int64 {
        simulation?.plantNanos(real: nanos) ?? nanos
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
