import Foundation
import Synchronization

/// Where a running simulation gets "now": simulated seconds since the scenario's start.
public protocol SimulationClock: Sendable {
    func elapsed() -> Double
}

/// Simulated time = `speed` × monotonic time since the clock was made (a simulated day in 4 minutes at 360).
public struct AcceleratedClock: SimulationClock {
    public let speed: Double
    private let origin: ContinuousClock.Instant
    /// Real wall time at `origin` (taken together with it): simulated time t is real time
    /// `originWall + t / speed`, which is what the truth file's `wall_time` must say.
    public let originWall: Date

    public init(speed: Double = 1) {
        self.speed = speed
        origin = ContinuousClock.now
        originWall = Date()
    }

    /// Simulated time 0 at real wall time `anchor` (past or future: before it the plant waits at 0), so
    /// another process given the same anchor (the daemon's `PLANTGATE_SIMULATED_CLOCK`) agrees on "now".
    public init(speed: Double, anchor: Date) {
        self.speed = speed
        let (monotonic, wall) = (ContinuousClock.now, Date())
        origin = monotonic.advanced(by: .nanoseconds(Int64((anchor.timeIntervalSince(wall) * 1e9).rounded())))
        originWall = anchor
    }

    public func elapsed() -> Double {
        let (seconds, attoseconds) = (ContinuousClock.now - origin).components
        return max(0, speed * (Double(seconds) + Double(attoseconds) / 1e18))
    }
}

/// A clock tests set by hand.
public final class ManualClock: SimulationClock {
    private let now = Mutex<Double>(0)

    public init(_ start: Double = 0) { now.withLock { $0 = start } }

    public func elapsed() -> Double { now.withLock { $0 } }

    /// Moves to `t` (never backwards).
    public func set(_ t: Double) { now.withLock { $0 = max($0, t) } }

    /// Moves forward by `seconds`.
    public func advance(by seconds: Double) { now.withLock { $0 += max(0, seconds) } }
}
