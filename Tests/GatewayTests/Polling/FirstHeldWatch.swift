import Foundation
import Synchronization

/// Notes when a condition first holds, polling it every 2 ms from a thread of its own. A task polling the
/// same way waits for one of the few cooperative threads, which the rest of the suite may hold for longer
/// than the moment being timed (CI saw a dead meter's 2 s verdict 1.3 s late that way).
final class FirstHeldWatch: Sendable {
    private let heldAt = Atomic<Int64>(0)

    init(timeoutSeconds: Double, _ condition: @escaping @Sendable () -> Bool) {
        let end = monotonicNow() + Int64(timeoutSeconds * 1e9)
        Thread { [self] in
            while monotonicNow() < end {
                if condition() { return heldAt.store(monotonicNow(), ordering: .relaxed) }
                usleep(2_000)
            }
        }.start()
    }

    /// When the condition was first seen to hold (monotonic ns), nil while it has not.
    var firstHeld: Int64? {
        let time = heldAt.load(ordering: .relaxed)
        return time == 0 ? nil : time
    }
}
