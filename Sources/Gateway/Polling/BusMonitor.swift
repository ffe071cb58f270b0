import Synchronization

/// The shared, lock-protected statistics of one bus: the poller updates them in place once per
/// request; the control socket and stats publisher take copies.
public final class BusMonitor: Sendable {
    private let state: Mutex<BusStatistics>

    public init(_ statistics: BusStatistics) {
        state = Mutex(statistics)
    }

    /// Updates in place (no copy on the polling path).
    @inline(__always)
    public func update<R>(_ body: (inout BusStatistics) -> R) -> R {
        state.withLock { body(&$0) }
    }

    /// A copy for reporting.
    public var snapshot: BusStatistics { state.withLock { $0 } }
}
