import Foundation
import Gateway
import POSIX

/// A thread that only sleeps to absolute deadlines, at the bus threads' priority, and records how late it
/// wakes: the floor under any poll loop's start jitter on this machine at this moment.
final class TimerWakeProbe: @unchecked Sendable {
    private var lateness = LatencyHistogram()
    private let done = DispatchSemaphore(value: 0)

    /// Starts measuring at once for `seconds`; `finish()` waits for the result.
    init(intervalNanos: Int64, seconds: Double) {
        let thread = Thread { [self] in
            _ = RealtimeScheduling.elevateCurrentThread()
            let end = SystemClock.monotonicNanos() + Int64(seconds * 1e9)
            var deadline = SystemClock.monotonicNanos() + intervalNanos
            while deadline < end {
                SystemClock.sleep(untilMonotonicNanos: deadline)
                lateness.record(nanos: SystemClock.monotonicNanos() - deadline)
                deadline += intervalNanos
            }
            done.signal()
        }
        thread.name = "bench-timer-probe"
        thread.start()
    }

    /// The lateness histogram; written only by the probe thread until `done` is signalled.
    func finish() -> LatencyHistogram {
        done.wait()
        return lateness
    }
}
